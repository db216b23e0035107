package io.github.mcprunner.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.McpServerRef;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** {@link HeaderChain#onUnauthorized}: who is asked after a 401, with what, and what it means. */
class HeaderChainUnauthorizedTest {

  private static final McpServerRef CRM = McpServerRef.of("crm", "https://crm.example.com/mcp");
  private static final McpServerRef DOCS = McpServerRef.of("docs", "https://docs.example.com/mcp");
  private static final String CHALLENGE =
      "Bearer resource_metadata="
          + "\"https://crm.example.com/.well-known/oauth-protected-resource/mcp\"";

  /** Records its onUnauthorized calls; contributes {@code headers}; answers {@code retry}. */
  private static final class Asked implements McpHeaderProvider {
    final String name;
    final McpHeaders headers;
    final boolean retry;
    final @Nullable String onlyFor;
    final List<HeaderContext> contexts = new CopyOnWriteArrayList<>();
    final List<@Nullable String> challenges = new CopyOnWriteArrayList<>();

    Asked(String name, McpHeaders headers, boolean retry, @Nullable String onlyFor) {
      this.name = name;
      this.headers = headers;
      this.retry = retry;
      this.onlyFor = onlyFor;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public McpHeaders headers(HeaderContext context) {
      return headers;
    }

    @Override
    public boolean appliesTo(McpServerRef server) {
      return onlyFor == null || server.name().equals(onlyFor);
    }

    @Override
    public boolean onUnauthorized(HeaderContext context, @Nullable String wwwAuthenticate) {
      contexts.add(context);
      challenges.add(wwwAuthenticate);
      return retry;
    }
  }

  private static HeaderRequest request(McpServerRef server, RunScope scope) {
    return new HeaderRequest(
        server, McpHeaders.of("X-Static", "static"), scope, "tools/call", "lookup");
  }

  private static RunScope alice() {
    return RunScope.builder("agent", "run-1")
        .identity("alice")
        .perRunHeaders(McpHeaders.of("X-Per-Run", "run"))
        .context(ContextKey.USER_ID, "alice")
        .build();
  }

  @Test
  void providerThatContributedNothingIsAskedAndItsRetryCounts() {
    Asked discovering = new Asked("discovering", McpHeaders.empty(), true, null);
    HeaderChain chain =
        HeaderChain.create(McpHeaders.of("X-Default", "default"), List.of(discovering));

    assertThat(chain.resolve(request(CRM, alice())).contributors()).isEmpty();
    assertThat(chain.onUnauthorized(request(CRM, alice()), CHALLENGE)).isTrue();

    assertThat(discovering.challenges).containsExactly(CHALLENGE);
    HeaderContext seen = discovering.contexts.get(0);
    assertThat(seen.server()).isEqualTo(CRM);
    assertThat(seen.identity()).hasValue("alice");
    assertThat(seen.mcpMethod()).hasValue("tools/call");
    assertThat(seen.toolName()).hasValue("lookup");
    assertThat(seen.get(ContextKey.USER_ID)).hasValue("alice");
    // Below the providers: runner defaults and static headers, never per-run headers.
    assertThat(seen.resolvedSoFar().names()).containsExactlyInAnyOrder("X-Default", "X-Static");
  }

  @Test
  void everyApplyingProviderIsAskedInChainOrderAndOneRetryIsEnough() {
    Asked first = new Asked("a-first", McpHeaders.of("X-A", "a"), false, null);
    Asked second = new Asked("b-second", McpHeaders.empty(), true, null);
    Asked third = new Asked("c-third", McpHeaders.of("X-C", "c"), false, null);
    HeaderChain chain = HeaderChain.create(McpHeaders.empty(), List.of(third, first, second));

    assertThat(chain.onUnauthorized(request(CRM, alice()), null)).isTrue();

    assertThat(List.of(first.contexts.size(), second.contexts.size(), third.contexts.size()))
        .containsExactly(1, 1, 1);
    assertThat(second.challenges).containsExactly((String) null);
  }

  @Test
  void noRetryWhenNoProviderOffersOne() {
    Asked quiet = new Asked("quiet", McpHeaders.of("X-A", "a"), false, null);
    HeaderChain chain = HeaderChain.create(McpHeaders.empty(), List.of(quiet));

    assertThat(chain.onUnauthorized(request(CRM, alice()), CHALLENGE)).isFalse();
    assertThat(quiet.contexts).hasSize(1);
  }

  @Test
  void providerThatDoesNotApplyToTheServerIsNotAsked() {
    Asked docsOnly = new Asked("docs-only", McpHeaders.empty(), true, "docs");
    HeaderChain chain = HeaderChain.create(McpHeaders.empty(), List.of(docsOnly));

    assertThat(chain.onUnauthorized(request(CRM, alice()), CHALLENGE)).isFalse();
    assertThat(docsOnly.contexts).isEmpty();

    assertThat(chain.onUnauthorized(request(DOCS, alice()), CHALLENGE)).isTrue();
    assertThat(docsOnly.contexts).hasSize(1);
  }

  @Test
  void throwingProviderCountsAsNoRetryAndIsLoggedWithoutItsMessage() {
    String secret = "token-abc-123";
    McpHeaderProvider throwing =
        new McpHeaderProvider() {
          @Override
          public String name() {
            return "throwing";
          }

          @Override
          public McpHeaders headers(HeaderContext context) {
            return McpHeaders.empty();
          }

          @Override
          public boolean onUnauthorized(HeaderContext context, @Nullable String www) {
            throw new IllegalStateException("refresh failed for " + secret);
          }
        };
    Asked after = new Asked("z-after", McpHeaders.empty(), true, null);
    HeaderChain chain = HeaderChain.create(McpHeaders.empty(), List.of(throwing, after));

    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream original = System.err;
    boolean retry;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      retry = chain.onUnauthorized(request(CRM, alice()), CHALLENGE);
    } finally {
      System.setErr(original);
    }

    assertThat(retry).as("the provider after the failing one is still asked").isTrue();
    assertThat(after.contexts).hasSize(1);
    String log = err.toString(StandardCharsets.UTF_8);
    assertThat(log).contains("throwing").contains("crm").contains("IllegalStateException");
    assertThat(log).doesNotContain(secret);
  }
}
