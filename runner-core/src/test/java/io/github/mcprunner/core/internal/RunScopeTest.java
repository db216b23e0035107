package io.github.mcprunner.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.McpHeaders;
import org.junit.jupiter.api.Test;

class RunScopeTest {

  @Test
  void neutralScopeHasNoRunNoHeadersNoContext() {
    RunScope scope = RunScope.neutral("support-bot");

    assertThat(scope.agentName()).isEqualTo("support-bot");
    assertThat(scope.runId()).isEmpty();
    assertThat(scope.identity()).isEmpty();
    assertThat(scope.perRunHeaders().isEmpty()).isTrue();
    assertThat(scope.perServerHeaders("crm").isEmpty()).isTrue();
    assertThat(scope.contextValues()).isEmpty();
    assertThat(scope.context(ContextKey.USER_ID)).isEmpty();
  }

  @Test
  void builtScopeIsACopyUnaffectedByLaterBuilderCalls() {
    RunScope.Builder builder =
        RunScope.builder("bot", "run-1")
            .identity("alice")
            .perRunHeaders(McpHeaders.of("X-User-Id", "alice"))
            .perServerHeaders("crm", McpHeaders.of("X-Crm", "1"))
            .context(ContextKey.USER_ID, "alice");
    RunScope scope = builder.build();

    builder
        .identity("bob")
        .perRunHeaders(McpHeaders.of("X-User-Id", "bob"))
        .perServerHeaders("crm", McpHeaders.of("X-Crm", "2"))
        .context(ContextKey.USER_ID, "bob");

    assertThat(scope.identity()).hasValue("alice");
    assertThat(scope.perRunHeaders().get("x-user-id")).hasValue("alice");
    assertThat(scope.perServerHeaders("crm").get("X-Crm")).hasValue("1");
    assertThat(scope.perServerHeaders("docs").isEmpty()).isTrue();
    assertThat(scope.context(ContextKey.USER_ID)).hasValue("alice");
    assertThat(builder.build().context(ContextKey.USER_ID)).hasValue("bob");
  }

  @Test
  void contextValuesAreUnmodifiableAndKeyedByIdentity() {
    ContextKey<String> lookalike = ContextKey.of("user_id", String.class);
    RunScope scope = RunScope.builder("bot", "r").context(ContextKey.USER_ID, "alice").build();

    assertThat(scope.context(lookalike)).isEmpty();
    assertThat(scope.contextValues()).containsOnlyKeys(ContextKey.USER_ID);
    assertThatThrownBy(() -> scope.contextValues().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void contextValueOfTheWrongTypeIsRefused() {
    @SuppressWarnings({"unchecked", "rawtypes"})
    ContextKey<Object> raw = (ContextKey) ContextKey.of("port", Integer.class);

    assertThatThrownBy(() -> RunScope.builder("bot", "r").context(raw, "not a number"))
        .isInstanceOf(ClassCastException.class);
  }

  @Test
  void toStringShowsNamesButNoValue() {
    RunScope scope =
        RunScope.builder("bot", "run-9")
            .identity("alice@example.com")
            .perRunHeaders(McpHeaders.builder().set("X-User-Id", "alice").remove("X-Trace").build())
            .perServerHeaders("crm", McpHeaders.of("Authorization", "Bearer abc"))
            .context(ContextKey.SUBJECT_TOKEN, "eyJhbGciOi")
            .build();

    assertThat(scope.toString())
        .isEqualTo(
            "RunScope{agent=bot, run=run-9, identity=set, perRunHeaders=[X-User-Id, -X-Trace],"
                + " perServerHeaders={crm=[Authorization]}, context=[subject_token]}");
  }
}
