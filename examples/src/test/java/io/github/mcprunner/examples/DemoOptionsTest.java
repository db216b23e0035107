package io.github.mcprunner.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DemoOptionsTest {

  @Test
  void noArgumentsMeanEmbeddedServerEveryTransportThreeTenants() throws Exception {
    DemoOptions options = DemoOptions.parse();

    assertThat(options.mcpUrl()).isNull();
    assertThat(options.transports()).isEmpty();
    assertThat(options.tenants()).isEqualTo(3);
    assertThat(options.headers()).isEmpty();
    assertThat(options.tools()).isEmpty();
    assertThat(options.help()).isFalse();
  }

  @Test
  void everyOptionIsRead_inBothSpellings() throws Exception {
    DemoOptions options =
        DemoOptions.parse(
            "--mcp-url",
            "https://mcp.example.com/mcp?x=1",
            "--transport=httpclient",
            "--transport",
            "OKHTTP",
            "--tenants",
            "7",
            "--header",
            "X-Request-Id={run}-{tenant}-{user}",
            "--header=X-Client=demo",
            "--tool",
            "whoami",
            "--tool=echo_headers");

    assertThat(options.mcpUrl()).isEqualTo(URI.create("https://mcp.example.com/mcp?x=1"));
    assertThat(options.transports()).containsExactly("httpclient", "okhttp");
    assertThat(options.tenants()).isEqualTo(7);
    assertThat(options.headers())
        .extracting(DemoOptions.HeaderOption::name)
        .containsExactly("X-Request-Id", "X-Client");
    assertThat(options.headers().get(0).valueFor("acme", "alice", "seq-1"))
        .isEqualTo("seq-1-acme-alice");
    assertThat(options.headers().get(1).valueFor("acme", "alice", "seq-1")).isEqualTo("demo");
    assertThat(options.tools()).containsExactly("whoami", "echo_headers");
  }

  @Test
  void helpIsRecognised() throws Exception {
    assertThat(DemoOptions.parse("-h").help()).isTrue();
    assertThat(DemoOptions.parse("--help").help()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--tenants 0",
        "--tenants 51",
        "--tenants three",
        "--tenants",
        "--transport netty",
        "--mcp-url ftp://example.com/mcp",
        "--mcp-url not-a-url",
        "--mcp-url http://user:pw@example.com/mcp",
        "--header NoEquals",
        "--header =value",
        "--header Content-Type=text/plain",
        "--header Mcp-Session-Id=abc",
        "--header X-Run-Nonce=mine",
        "--header Bad_Name(=x",
        "--tool",
        "--verbose",
        "stray"
      })
  void badCommandLinesAreRefusedWithAReason(String commandLine) {
    String[] args = commandLine.split(" ");
    assertThatThrownBy(() -> DemoOptions.parse(args))
        .isInstanceOf(UsageException.class)
        .hasMessageNotContaining("Exception");
  }

  @Test
  void theSameHeaderTwiceIsRefused() {
    assertThatThrownBy(() -> DemoOptions.parse("--header", "X-A=1", "--header", "x-a=2"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("twice");
  }

  @Test
  void aRefusedHeaderValueIsNotEchoed() {
    assertThatThrownBy(() -> DemoOptions.parse("--header", "X-Secret-Token=abc\u0001def"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("X-Secret-Token")
        .hasMessageNotContaining("abc");
  }

  @Test
  void usageNamesEveryOption() {
    for (String option :
        List.of("--mcp-url", "--transport", "--tenants", "--header", "--tool", "--help")) {
      assertThat(DemoOptions.USAGE).contains(option);
    }
  }
}
