package io.github.mcprunner.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.RecordedRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The demo as a user runs it, in-process: exit status and what it prints. */
class MultiTenantDemoTest {

  private record Outcome(int status, String out, String err) {}

  private static Outcome demo(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        MultiTenantDemo.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            env);
    return new Outcome(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void withNoArgumentsEveryTenantsHeadersReachTheServerOnEveryRequest() {
    Outcome outcome = demo(Map.of());

    assertThat(outcome.status()).as(outcome.out() + outcome.err()).isZero();
    assertThat(outcome.out())
        .containsPattern("OK: \\d+ requests checked, 0 carried another run's headers")
        .contains("seq-1", "seq-3", "par-1", "par-3")
        .contains("alice@acme (token ok, API key ok, route eu-1)")
        .contains("bob@globex (token ok, API key ok, route us-1)")
        .contains("carol@initech (token ok, API key ok, route us-2)")
        .contains("acme, open: ACME-101");
    // Every row of a tools/call names its run and shows that run's user and tenant as the server
    // saw them.
    Pattern call =
        Pattern.compile(
            "(seq|par)-(\\d)\\s+(\\w+)\\s+httpclient\\s+POST tools/call"
                + " \\w+\\s+200\\s+s\\d\\s+Bearer ██ [0-9a-f]{6}\\s+(\\w+)\\s+(\\w+)\\s");
    Matcher rows = call.matcher(outcome.out());
    int calls = 0;
    while (rows.find()) {
      calls++;
      assertThat(rows.group(5)).as("X-Tenant-Id seen").isEqualTo(rows.group(3));
    }
    assertThat(calls).isEqualTo(12);
    // No credential is printed: the demo's tokens and keys all start with these prefixes.
    assertThat(outcome.out() + outcome.err()).doesNotContain("utk_").doesNotContain("key_");
  }

  @Test
  void moreTenantsAndAPerRunHeaderWithPlaceholders() {
    Outcome outcome = demo(Map.of(), "--tenants", "5", "--header", "X-Request-Id={run}-{user}");

    assertThat(outcome.status()).as(outcome.out() + outcome.err()).isZero();
    assertThat(outcome.out())
        .contains("X-Request-Id")
        .contains("seq-5-erin", "par-4-dave")
        .contains("erin@hooli (token ok, API key ok, route us-1)")
        .contains(
            "0 carried another run's headers (20 runs, 5 tenants, over httpclient and okhttp)");
  }

  @Test
  void aPerRunHeaderOverridingTheTokenIsSentAndStillCheckedPerRun() {
    Outcome outcome =
        demo(Map.of(), "--tenants", "2", "--header", "Authorization=Bearer shared-{tenant}");

    // The server no longer knows the token: whoami says so and list_tickets refuses...
    assertThat(outcome.out()).contains("alice@acme (token unknown, API key ok, route eu-1)");
    assertThat(outcome.out()).contains("401: bearer token not recognised");
    // ...yet every request carried its own run's (overridden) headers.
    assertThat(outcome.out()).contains("0 carried another run's headers");
  }

  @Test
  void againstAServerThatSpeaksOnlyTheStatelessProtocol() {
    try (EmbeddedMcpServer external =
        EmbeddedMcpServer.builder().mode(EmbeddedMcpServer.Mode.MODERN).defaultTools().start()) {
      Outcome outcome =
          demo(
              Map.of(),
              "--mcp-url",
              external.url().toString(),
              "--tenants",
              "2",
              "--tool",
              "whoami");

      assertThat(outcome.status()).as(outcome.out() + outcome.err()).isZero();
      assertThat(outcome.out())
          .contains("Protocol: MCP 2026-07-28 (stateless")
          .containsPattern("OK: \\d+ requests checked, 0 carried another run's headers");
      List<RecordedRequest> requests = external.requests();
      assertThat(requests).extracting(RecordedRequest::mcpMethod).doesNotContain("initialize");
      // Every request of the runner: the demo's own reachability check (a bare ping) aside.
      assertThat(
              requests.stream().filter(r -> r.mcpMethod() != null && !"ping".equals(r.mcpMethod())))
          .isNotEmpty()
          .allSatisfy(
              r -> {
                assertThat(r.httpMethod()).isEqualTo("POST");
                assertThat(r.headerValues("MCP-Protocol-Version")).containsExactly("2026-07-28");
                assertThat(r.headerValues("Mcp-Method")).containsExactly(r.mcpMethod());
                assertThat(r.body())
                    .contains("\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\"");
                assertThat(r.sessionId()).isNull();
                assertThat(r.headerValues("X-Tenant-Id")).hasSize(1);
              });
      assertThat(requests.stream().filter(r -> "tools/call".equals(r.mcpMethod())))
          .isNotEmpty()
          .allSatisfy(
              r -> {
                assertThat(r.headerValues("Mcp-Name")).containsExactly(r.toolName());
                assertThat(r.headerValues("X-Run-Nonce")).hasSize(1);
              });
    }
  }

  @Test
  void againstAnExternalServerThroughTheRelay() {
    try (EmbeddedMcpServer external =
        EmbeddedMcpServer.builder().mode(EmbeddedMcpServer.Mode.STATEFUL).defaultTools().start()) {
      Outcome outcome =
          demo(
              Map.of(),
              "--mcp-url",
              external.url().toString(),
              "--tenants",
              "2",
              "--tool",
              "whoami",
              "--tool",
              "list_tickets");

      assertThat(outcome.status()).as(outcome.out() + outcome.err()).isZero();
      assertThat(outcome.out())
          .contains("through a recording relay")
          .contains("\"tenant\":\"acme\"")
          .contains("\"tenant\":\"globex\"")
          .containsPattern("OK: \\d+ requests checked, 0 carried another run's headers");
      // What the relay showed is what the server itself received.
      List<RecordedRequest> calls =
          external.requests().stream().filter(r -> "tools/call".equals(r.mcpMethod())).toList();
      assertThat(calls).as("2 tenants x 2 runs x 2 tools, over both transports").hasSize(16);
      assertThat(calls)
          .allSatisfy(
              r -> {
                assertThat(r.headerValues("X-Tenant-Id")).hasSize(1);
                assertThat(r.headerValues("X-Api-Key")).hasSize(1);
                assertThat(r.headerValues("X-Run-Nonce")).hasSize(1);
                assertThat(r.header("Authorization")).get().asString().startsWith("Bearer utk_");
              });
    }
  }

  @Test
  void withoutToolsAnExternalServersToolsAreListed() {
    try (EmbeddedMcpServer external =
        EmbeddedMcpServer.builder().mode(EmbeddedMcpServer.Mode.STATEFUL).defaultTools().start()) {
      Outcome outcome = demo(Map.of(), "--mcp-url", external.url().toString(), "--tenants", "1");

      assertThat(outcome.status()).as(outcome.out() + outcome.err()).isZero();
      assertThat(outcome.out()).contains("the server offers", "whoami", "echo_headers");
    }
  }

  @Test
  void aToolTheServerLacksFailsTheRunsAndExitsWithOne() {
    Outcome outcome = demo(Map.of(), "--tenants", "1", "--tool", "no_such_tool");

    assertThat(outcome.status()).isEqualTo(1);
    assertThat(outcome.out())
        .contains("error: Unknown tool 'no_such_tool'")
        .contains("PROBLEM: run seq-1: none of its tool calls reached the server")
        .contains("FAILED:")
        .doesNotContain("OK:");
  }

  @Test
  void anUnreachableServerIsNamedWithItsCauseAndNothingElseIsClaimed() {
    Outcome outcome = demo(Map.of(), "--mcp-url", "http://127.0.0.1:1/mcp", "--tenants", "2");

    assertThat(outcome.status()).isEqualTo(1);
    assertThat(outcome.err())
        .contains("the MCP server at http://127.0.0.1:1/mcp could not be reached (")
        .contains("ConnectException: Connection refused")
        .contains("check that the server runs and the URL is right");
    assertThat(outcome.out()).doesNotContain("OK:").doesNotContain("Sessions:");
  }

  @Test
  void runsThatFailNeverEndInOkAndNoSessionReuseIsClaimed() {
    try (EmbeddedMcpServer external =
        EmbeddedMcpServer.builder()
            .mode(EmbeddedMcpServer.Mode.STATEFUL)
            .defaultTools()
            .requireBearerToken(token -> false)
            .start()) {
      Outcome outcome =
          demo(Map.of(), "--mcp-url", external.url().toString(), "--transport", "httpclient");

      assertThat(outcome.status()).isEqualTo(1);
      assertThat(outcome.out())
          .contains("FAILED: 6 of 6 runs failed")
          .contains("Sessions: none seen")
          .doesNotContain("OK:")
          .doesNotContain("reused the session");
    }
  }

  @Test
  void aLegacySseServerIsRunOverSseThroughTheRelay() {
    try (EmbeddedMcpServer external =
        EmbeddedMcpServer.builder().mode(EmbeddedMcpServer.Mode.SSE).defaultTools().start()) {
      Outcome outcome =
          demo(
              Map.of(),
              "--mcp-url",
              external.url().toString(),
              "--tenants",
              "2",
              "--tool",
              "whoami");

      assertThat(outcome.status()).as(outcome.out() + outcome.err()).isZero();
      assertThat(outcome.out())
          .contains("legacy HTTP+SSE (the URL ends in /sse)")
          .contains("\"tenantId\":\"acme\"")
          .containsPattern("OK: \\d+ requests checked, 0 carried another run's headers");
      assertThat(external.requests())
          .filteredOn(r -> r.isToolCall("whoami"))
          .hasSize(8)
          .allSatisfy(r -> assertThat(r.headerValues("X-Run-Nonce")).hasSize(1));
    }
  }

  @Test
  void aServerRefusingPostWithoutAnEventStreamGetsTheUrlItMustBe() throws Exception {
    com.sun.net.httpserver.HttpServer refusing =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    refusing.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(405, -1);
          exchange.close();
        });
    refusing.start();
    try {
      String url = "http://127.0.0.1:" + refusing.getAddress().getPort() + "/events";
      Outcome outcome = demo(Map.of(), "--mcp-url", url);

      assertThat(outcome.status()).isEqualTo(1);
      assertThat(outcome.err())
          .contains("the MCP server at " + url + " answered HTTP 405")
          .contains("usually ending in /mcp")
          .contains("usually ending in /sse");
      assertThat(outcome.out()).isEmpty();
    } finally {
      refusing.stop(0);
    }
  }

  @Test
  void secretsAServerEchoesBackAreRedactedInTheToolResults() {
    try (EmbeddedMcpServer external =
        EmbeddedMcpServer.builder().mode(EmbeddedMcpServer.Mode.STATEFUL).defaultTools().start()) {
      Outcome outcome =
          demo(
              Map.of(),
              "--mcp-url",
              external.url().toString(),
              "--tenants",
              "2",
              "--transport",
              "httpclient",
              "--tool",
              "whoami",
              "--tool",
              "echo_headers",
              "--header",
              "X-Session-Token=st-{user}-secret");

      assertThat(outcome.status()).as(outcome.out() + outcome.err()).isZero();
      // The server did receive the secrets, and echoed them...
      assertThat(external.requests())
          .filteredOn(r -> r.isToolCall("echo_headers"))
          .allSatisfy(r -> assertThat(r.header("Authorization").orElseThrow()).contains("utk_"));
      // ...but the demo prints none of them, only their digests.
      assertThat(outcome.out() + outcome.err())
          .doesNotContain("utk_")
          .doesNotContain("key_")
          .doesNotContain("-secret")
          .containsPattern("\"authorization\":\"Bearer ██ [0-9a-f]{6}\"");
    }
  }

  @Test
  void badOptionsPrintTheUsageAndExitWithTwo() {
    Outcome outcome = demo(Map.of(), "--tenants", "0");

    assertThat(outcome.status()).isEqualTo(2);
    assertThat(outcome.err()).contains("--tenants must be between 1 and 50").contains("Usage:");
    assertThat(outcome.out()).isEmpty();
  }

  @Test
  void aTransportNotOnTheClassPathExitsWithTwo() {
    List<String> available = MultiTenantDemo.availableTransports();
    assertThat(available).contains("httpclient");
    if (!available.contains("okhttp")) {
      Outcome outcome = demo(Map.of(), "--transport", "okhttp");

      assertThat(outcome.status()).isEqualTo(2);
      assertThat(outcome.err()).contains("transport 'okhttp' is not on the class path");
    }
  }

  @Test
  void helpExitsWithZero() {
    Outcome outcome = demo(Map.of(), "--help");

    assertThat(outcome.status()).isZero();
    assertThat(outcome.out()).startsWith("Usage:");
  }

  @Test
  void runsOverTheOkHttpTransportToo() {
    Outcome outcome = demo(Map.of(), "--transport", "okhttp", "--tenants", "2");

    assertThat(outcome.status()).as(outcome.out()).isZero();
    assertThat(outcome.out()).contains("okhttp").contains("0 carried another run's headers");
  }

  @Test
  void anOpenAiKeyChoosesTheOpenAiModelWithoutPrintingTheKey() {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    DemoModel chosen =
        DemoModel.choose(
            java.util.List.of("whoami"),
            true,
            Map.of("OPENAI_API_KEY", "sk-test-not-used", "OPENAI_MODEL", "gpt-test"),
            new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));

    assertThat(chosen.model()).isNotInstanceOf(io.github.mcprunner.testkit.ScriptedModel.class);
    assertThat(chosen.description()).contains("OpenAI gpt-test").doesNotContain("sk-test");
    assertThat(chosen.model().toString()).doesNotContain("sk-test");
    assertThat(chosen.callsToolsEveryRun()).isFalse();
    assertThat(bytes.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("sk-test");
  }
}
