package io.github.mcprunner.core.internal;

import static io.github.mcprunner.core.internal.ChainArbitraries.exact;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.HeaderProviderException;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.InvalidMcpHeaderException;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.McpServerRef;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderChainTest {

  private static final McpServerRef CRM = McpServerRef.of("crm", "https://crm.example.com/mcp");
  private static final McpServerRef DOCS = McpServerRef.of("docs", "https://docs.example.com/mcp");
  private static final String SECRET = "s3cr3t-Value-42";

  private static HeaderRequest request(McpServerRef server) {
    return new HeaderRequest(server, McpHeaders.empty(), RunScope.neutral("agent"), null, null);
  }

  @Test
  void failingProviderFailsClosedNamingProviderAndServerWithoutValueOrCauseMessage() {
    IllegalStateException cause = new IllegalStateException("token endpoint said " + SECRET);
    HeaderChain chain =
        HeaderChain.create(McpHeaders.empty(), List.of(TestProvider.throwing("oauth", cause)));

    assertThatThrownBy(() -> chain.resolve(request(CRM)))
        .isInstanceOf(HeaderProviderException.class)
        .hasMessage(
            "Header provider 'oauth' failed for server 'crm': threw IllegalStateException; the"
                + " request was not sent")
        .hasCause(cause);
  }

  @Test
  void providerBuildingAnInvalidHeaderFailsNamingTheHeaderNotTheValue() {
    HeaderChain chain =
        HeaderChain.create(
            McpHeaders.empty(),
            List.of(
                TestProvider.computing(
                    "tenant", 0, c -> McpHeaders.of("X-Tenant-Id", SECRET + "\r\nX-Evil: 1"))));

    assertThatThrownBy(() -> chain.resolve(request(CRM)))
        .isInstanceOf(HeaderProviderException.class)
        .hasMessageContaining("'tenant'")
        .hasMessageContaining("'crm'")
        .hasMessageContaining("'X-Tenant-Id'")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET))
        .hasCauseInstanceOf(InvalidMcpHeaderException.class);
  }

  @Test
  void providerReturningNullFailsClosed() {
    HeaderChain chain =
        HeaderChain.create(
            McpHeaders.empty(), List.of(TestProvider.computing("lazy", 0, c -> null)));

    assertThatThrownBy(() -> chain.resolve(request(DOCS)))
        .isInstanceOf(HeaderProviderException.class)
        .hasMessage(
            "Header provider 'lazy' failed for server 'docs': returned null instead of McpHeaders;"
                + " the request was not sent");
  }

  @Test
  void providerReturningProtectedHeaderFailsNamingHeaderProviderAndServer() {
    HeaderChain chain =
        HeaderChain.create(
            McpHeaders.empty(),
            List.of(TestProvider.fixed("sso", 0, McpHeaders.of("mcp-SESSION-id", SECRET))));

    assertThatThrownBy(() -> chain.resolve(request(CRM)))
        .isInstanceOf(HeaderProviderException.class)
        .hasMessage(
            "Header provider 'sso' failed for server 'crm': returned the protected header"
                + " 'mcp-SESSION-id'; the request was not sent");
  }

  @Test
  void optionalProviderThatFailsIsSkippedWithOneWarningWithoutSecrets() {
    TestProvider failing =
        TestProvider.throwing("audit", new IllegalStateException("password=" + SECRET))
            .asOptional();
    TestProvider tenant = TestProvider.fixed("tenant", 1, McpHeaders.of("X-Tenant-Id", "acme"));
    HeaderChain chain =
        HeaderChain.create(McpHeaders.of("User-Agent", "r"), List.of(failing, tenant));

    ResolvedHeaders resolved;
    String log;
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      resolved = chain.resolve(request(CRM));
    } finally {
      System.setErr(original);
      log = captured.toString(StandardCharsets.UTF_8);
    }

    assertThat(exact(resolved.headers())).containsExactly("User-Agent=r", "X-Tenant-Id=acme");
    assertThat(resolved.contributors()).containsExactly(tenant);
    assertThat(failing.calls).hasValue(1);
    assertThat(log.lines())
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .contains("WARN")
                    .contains("'audit'")
                    .contains("'crm'")
                    .contains("IllegalStateException")
                    .doesNotContain(SECRET));
  }

  @Test
  void optionalProviderReturningProtectedHeaderIsSkipped() {
    HeaderChain chain =
        HeaderChain.create(
            McpHeaders.empty(),
            List.of(TestProvider.fixed("bad", 0, McpHeaders.of("Host", "evil")).asOptional()));

    ResolvedHeaders resolved = chain.resolve(request(CRM));

    assertThat(resolved.headers().isEmpty()).isTrue();
    assertThat(resolved.contributors()).isEmpty();
  }

  @Test
  void providerThatDoesNotApplyToTheServerIsNotCalled() {
    TestProvider crmOnly =
        TestProvider.fixed("crm-key", 0, McpHeaders.of("X-Api-Key", SECRET)).onlyFor("crm");
    HeaderChain chain = HeaderChain.create(McpHeaders.empty(), List.of(crmOnly));

    ResolvedHeaders docs = chain.resolve(request(DOCS));

    assertThat(crmOnly.calls).hasValue(0);
    assertThat(docs.headers().contains("X-Api-Key")).isFalse();
    assertThat(docs.contributors()).isEmpty();
    assertThat(chain.resolve(request(CRM)).headers().get("x-api-key")).hasValue(SECRET);
    assertThat(crmOnly.calls).hasValue(1);
  }

  @Test
  void duplicateProviderNamesAreRejectedNamingTheName() {
    TestProvider first = TestProvider.fixed("tenant", 0, McpHeaders.empty());
    TestProvider second = TestProvider.fixed("tenant", 7, McpHeaders.empty());

    assertThatThrownBy(() -> HeaderChain.create(McpHeaders.empty(), List.of(first, second)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'tenant'");
  }

  @Test
  void providersAreOrderedByOrderThenName() {
    TestProvider b = TestProvider.fixed("b", 0, McpHeaders.empty());
    TestProvider a = TestProvider.fixed("a", 0, McpHeaders.empty());
    TestProvider late = TestProvider.fixed("0-late", 10, McpHeaders.empty());
    TestProvider early = TestProvider.fixed("z-early", -10, McpHeaders.empty());

    HeaderChain chain = HeaderChain.create(McpHeaders.empty(), List.of(late, b, early, a));

    assertThat(chain.providers()).containsExactly(early, a, b, late);
    assertThat(chain.toString())
        .isEqualTo("HeaderChain{defaults=[], providers=[z-early, a, b, 0-late]}");
  }

  @Test
  void resolvesTheFiveLayersInTheDocumentedOrder() {
    HeaderChain chain =
        HeaderChain.create(
            McpHeaders.of("User-Agent", "runner", "X-Trace", "on", "X-Tier", "default"),
            List.of(
                TestProvider.computing(
                    "tenant",
                    0,
                    c ->
                        McpHeaders.of(
                            "X-Tenant-Id",
                            c.get(ContextKey.TENANT_ID).orElseThrow(),
                            "X-Tier",
                            "gold"))));
    RunScope run =
        RunScope.builder("support-bot", "run-1")
            .context(ContextKey.TENANT_ID, "acme")
            .perRunHeaders(McpHeaders.of("X-User-Id", "u-1", "x-tier", "run"))
            .perServerHeaders(
                "crm", McpHeaders.builder().remove("x-trace").set("X-TIER", "crm").build())
            .build();
    McpHeaders crmStatic = McpHeaders.of("X-Api-Version", "2", "x-trace", "static");

    ResolvedHeaders crm =
        chain.resolve(new HeaderRequest(CRM, crmStatic, run, "tools/call", "search"));
    ResolvedHeaders docs =
        chain.resolve(new HeaderRequest(DOCS, McpHeaders.empty(), run, null, null));

    assertThat(exact(crm.headers()))
        .containsExactly(
            "User-Agent=runner",
            "X-TIER=crm",
            "X-Api-Version=2",
            "X-Tenant-Id=acme",
            "X-User-Id=u-1");
    assertThat(exact(docs.headers()))
        .containsExactly(
            "User-Agent=runner", "X-Trace=on", "x-tier=run", "X-Tenant-Id=acme", "X-User-Id=u-1");
    assertThat(crm.contributors()).containsExactlyElementsOf(chain.providers());
  }

  @Test
  void resolvedHeadersAreFinalAndImmutable() {
    HeaderChain chain =
        HeaderChain.create(
            McpHeaders.of("X-A", "1"),
            List.of(TestProvider.fixed("rm", 0, McpHeaders.builder().remove("X-A").build())));

    ResolvedHeaders resolved = chain.resolve(request(CRM));

    assertThat(resolved.headers().hasRemovals()).isFalse();
    assertThat(resolved.headers().isEmpty()).isTrue();
    assertThat(resolved.contributors()).hasSize(1);
    assertThatThrownBy(() -> resolved.contributors().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void theRunnersOwnSensitiveNamesAreMarkedSecretWhateverLayerSetsThem() {
    HeaderChain chain =
        HeaderChain.create(
            McpHeaders.of("x-corp-sig", SECRET, "X-Tier", "gold"),
            List.of(TestProvider.fixed("sso", 0, McpHeaders.of("X-Sso-Ticket-Ref", "t-" + SECRET))),
            List.of("X-Corp-Sig", "x-sso-ticket-ref", "X-Absent"));

    McpHeaders resolved = chain.resolve(request(CRM)).headers();

    assertThat(resolved.names()).containsExactly("x-corp-sig", "X-Tier", "X-Sso-Ticket-Ref");
    assertThat(resolved.get("X-Corp-Sig")).hasValue(SECRET);
    assertThat(resolved.isSecret("X-Corp-Sig")).isTrue();
    assertThat(resolved.isSecret("X-Sso-Ticket-Ref")).isTrue();
    assertThat(resolved.isSecret("X-Tier")).isFalse();
    assertThat(resolved.toString())
        .isEqualTo("{x-corp-sig=██, X-Tier=gold, X-Sso-Ticket-Ref=██}")
        .doesNotContain(SECRET);
    assertThat(
            HeaderChain.create(McpHeaders.of("x-corp-sig", SECRET), List.of())
                .resolve(request(CRM))
                .headers()
                .toString())
        .contains(SECRET);
  }

  @Test
  void anInvalidSensitiveNameIsRefusedWhenTheChainIsBuilt() {
    assertThatThrownBy(
            () -> HeaderChain.create(McpHeaders.empty(), List.of(), List.of("X Corp Sig")))
        .isInstanceOf(InvalidMcpHeaderException.class)
        .hasMessageContaining("RunnerBuilder.sensitiveHeaders");
  }

  @Test
  void aProviderThrowingAnAssertionErrorIsNamedLikeOneThrowingAnException() {
    AssertionError cause = new AssertionError("expected " + SECRET);
    HeaderChain chain =
        HeaderChain.create(
            McpHeaders.empty(),
            List.of(
                TestProvider.computing(
                    "asserting",
                    0,
                    c -> {
                      throw cause;
                    })));

    assertThatThrownBy(() -> chain.resolve(request(CRM)))
        .isInstanceOf(HeaderProviderException.class)
        .hasMessage(
            "Header provider 'asserting' failed for server 'crm': threw AssertionError; the"
                + " request was not sent")
        .hasCause(cause);
  }

  /** A provider that blocks in headers() and onUnauthorized() until it is interrupted. */
  private static final class Blocking implements io.github.mcprunner.headers.McpHeaderProvider {
    final java.util.concurrent.atomic.AtomicInteger interrupts =
        new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public String name() {
      return "blocking";
    }

    @Override
    public McpHeaders headers(io.github.mcprunner.headers.HeaderContext context) {
      block();
      return McpHeaders.of("X-Late", "yes");
    }

    @Override
    public boolean onUnauthorized(
        io.github.mcprunner.headers.HeaderContext context, String wwwAuthenticate) {
      block();
      return true;
    }

    private void block() {
      try {
        new java.util.concurrent.CountDownLatch(1).await();
      } catch (InterruptedException e) {
        interrupts.incrementAndGet();
        throw new IllegalStateException("interrupted");
      }
    }
  }

  @Test
  void aProviderPastTheRequestDeadlineIsInterruptedAndNamed() {
    Blocking blocking = new Blocking();
    HeaderChain chain = HeaderChain.create(McpHeaders.empty(), List.of(blocking));
    try {
      assertThatThrownBy(() -> chain.resolve(request(CRM), java.time.Duration.ofMillis(200)))
          .isInstanceOf(HeaderProviderException.class)
          .hasMessage(
              "Header provider 'blocking' failed for server 'crm': did not answer within PT0.2S"
                  + " and was interrupted; the request was not sent");
      assertThatThrownBy(
              () -> chain.onUnauthorized(request(CRM), null, java.time.Duration.ofMillis(200)))
          .isInstanceOf(HeaderProviderException.class)
          .hasMessageContaining("did not answer within PT0.2S");
      assertThat(blocking.interrupts.get()).isEqualTo(2);
      assertThat(Thread.currentThread().isInterrupted())
          .as("the interrupt is not left on the caller's thread")
          .isFalse();
    } finally {
      chain.close();
    }
  }

  @Test
  void cancellingTheRunInterruptsItsProviderCall() throws Exception {
    Blocking blocking = new Blocking();
    HeaderChain chain = HeaderChain.create(McpHeaders.empty(), List.of(blocking));
    RunScope run = RunScope.builder("agent", "r-cancel").build();
    java.util.concurrent.ExecutorService canceller =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      canceller.submit(
          () -> {
            Thread.sleep(100);
            run.cancel();
            return null;
          });
      assertThatThrownBy(
              () ->
                  chain.resolve(
                      new HeaderRequest(CRM, McpHeaders.empty(), run, "tools/call", "t"),
                      java.time.Duration.ofMinutes(5)))
          .isInstanceOf(io.github.mcprunner.RunCancelledException.class)
          .hasMessage("Run r-cancel was cancelled");
      assertThat(blocking.interrupts.get()).isEqualTo(1);
    } finally {
      canceller.shutdownNow();
      chain.close();
    }
  }
}
