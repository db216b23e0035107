package io.github.mcprunner.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcprunner.HeaderProviderException;
import io.github.mcprunner.McpServerException;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.McpUnauthorizedException;
import io.github.mcprunner.core.spi.ResponseLostException;
import io.github.mcprunner.core.spi.TransportHttpException;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The retry rules of one MCP operation, decision by decision. */
class RetryRulesTest {
  private static final McpServerSpec CRM =
      McpServerSpec.builder("crm", "http://127.0.0.1:1/mcp").build();

  private final List<String> asked = new ArrayList<>();

  private RetryRules.Unauthorized providers(boolean retry) {
    return (opening, www) -> {
      asked.add(opening + "/" + www);
      return retry;
    };
  }

  private static RuntimeException status(int code, boolean onSession) {
    return TransportHttpException.forStatus(code, "POST", "Bearer realm=\"crm\"", onSession);
  }

  @Test
  void anExpiredSessionIsRetriedOnceOnANewSessionThenFails() {
    RetryRules rules = new RetryRules(CRM, "tools/call", "search");

    RetryRules.Decision first = rules.afterFailure(status(404, true), true, true, providers(true));
    RetryRules.Decision second = rules.afterFailure(status(404, true), true, true, providers(true));

    assertThat(first.action()).isEqualTo(RetryRules.Action.RETRY_ON_NEW_SESSION);
    assertThat(first.dropSession()).isTrue();
    assertThat(second.action()).isEqualTo(RetryRules.Action.FAIL);
    assertThat(second.dropSession()).as("the lost session is dropped").isTrue();
    assertThat(second.error())
        .isInstanceOf(McpServerException.class)
        .hasMessageContaining("'crm'")
        .hasMessageContaining("tools/call")
        .hasMessageContaining("no longer knows the session, also after it was re-opened once")
        .hasMessageContaining("HTTP 404");
    assertThat(asked).isEmpty();
  }

  @Test
  void unauthorizedAsksTheProvidersOnceAndRetriesWhenOneSaysSo() {
    RetryRules rules = new RetryRules(CRM, "tools/call", "search");

    RetryRules.Decision first = rules.afterFailure(status(401, true), true, false, providers(true));
    RetryRules.Decision second =
        rules.afterFailure(status(401, true), true, false, providers(true));

    assertThat(first.action()).isEqualTo(RetryRules.Action.RETRY);
    assertThat(first.dropSession()).isFalse();
    assertThat(asked).containsExactly("false/Bearer realm=\"crm\"");
    assertThat(second.action()).isEqualTo(RetryRules.Action.FAIL);
    assertThat(second.error()).isInstanceOf(McpUnauthorizedException.class);
    assertThat(((McpUnauthorizedException) second.error()).getMessage()).contains("crm");
  }

  @Test
  void unauthorizedFailsAtOnceWhenNoProviderOffersARetry() {
    RetryRules rules = new RetryRules(CRM, "tools/list", null);

    RetryRules.Decision decision =
        rules.afterFailure(status(403, false), false, false, providers(false));

    assertThat(decision.action()).isEqualTo(RetryRules.Action.FAIL);
    assertThat(decision.error()).isInstanceOf(McpUnauthorizedException.class);
    // The session was being opened: the providers are told so.
    assertThat(asked).containsExactly("true/Bearer realm=\"crm\"");
  }

  @Test
  void aLostResponseIsNeverRetriedAndDropsASessionTheServerForgot() {
    RetryRules rules = new RetryRules(CRM, "tools/call", "pay");
    ResponseLostException lost =
        new ResponseLostException(
            "crm", "tools/call", "the resumption was answered with HTTP 404", status(404, true));

    RetryRules.Decision decision = rules.afterFailure(lost, true, true, providers(true));

    assertThat(decision.action()).isEqualTo(RetryRules.Action.FAIL);
    assertThat(decision.dropSession()).isTrue();
    assertThat(decision.error())
        .isInstanceOf(McpServerException.class)
        .hasMessageContaining("response was lost")
        .hasMessageContaining("not retried");
    assertThat(asked).isEmpty();
  }

  @Test
  void aJsonRpcErrorOfAToolCallGoesToTheModel() {
    RetryRules rules = new RetryRules(CRM, "tools/call", "search");
    McpError error =
        new McpError(new McpSchema.JSONRPCResponse.JSONRPCError(-32602, "no such ticket", null));

    RetryRules.Decision decision = rules.afterFailure(error, true, false, providers(true));

    assertThat(decision.action()).isEqualTo(RetryRules.Action.FAIL);
    assertThat(decision.error()).isInstanceOf(JsonRpcFailure.class);
    assertThat(((JsonRpcFailure) decision.error()).toolMessage())
        .isEqualTo("MCP server 'crm' refused the call: no such ticket");
  }

  @Test
  void ourOwnFailuresPassThroughUnchangedEvenOnALostSession() {
    RetryRules rules = new RetryRules(CRM, "tools/call", "search");
    HeaderProviderException provider =
        new HeaderProviderException("vault", "crm", "threw IllegalStateException", null);

    RetryRules.Decision decision = rules.afterFailure(provider, true, true, providers(true));

    assertThat(decision.action()).isEqualTo(RetryRules.Action.FAIL);
    assertThat(decision.error()).isSameAs(provider);
  }

  @Test
  void aTimeoutFailsTheOperationNamingWhatWasNotAnswered() {
    RetryRules rules = new RetryRules(CRM, "tools/call", "search");

    RetryRules.Decision decision =
        rules.afterFailure(
            new RuntimeException(new TimeoutException("late")), false, false, providers(true));

    assertThat(decision.action()).isEqualTo(RetryRules.Action.FAIL);
    assertThat(decision.error())
        .isInstanceOf(McpServerException.class)
        .hasMessageContaining("did not answer initialize");
  }
}
