package io.github.mcprunner.headers.oauth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.WithNull;
import org.junit.jupiter.api.Test;

/** The MCP scope selection strategy and the challenge parser. */
class ScopeSelectionProperties {

  @Provide
  Arbitrary<List<String>> scopeLists() {
    return Arbitraries.of("mcp:basic", "mcp:read", "mcp:write", "files", "offline_access")
        .list()
        .ofMaxSize(4);
  }

  @Property
  void challengeScopeWinsElseAllScopesSupportedElseNone(
      @ForAll("scopeLists") @WithNull(0.3) List<String> challenge,
      @ForAll("scopeLists") @WithNull(0.3) List<String> supported) {
    String challengeScope = challenge == null ? null : String.join(" ", challenge);
    String selected = ScopeSelection.select(challengeScope, supported);
    if (challenge != null && !challenge.isEmpty()) {
      assertThat(selected).isEqualTo(String.join(" ", new LinkedHashSet<>(challenge)));
    } else if (supported != null && !supported.isEmpty()) {
      assertThat(selected).isEqualTo(String.join(" ", new LinkedHashSet<>(supported)));
    } else {
      assertThat(selected).isNull();
    }
  }

  @Property
  void stepUpUnionKeepsEveryOldScopeAndAddsEveryNewOneOnce(
      @ForAll("scopeLists") List<String> old, @ForAll("scopeLists") List<String> asked) {
    String union = ScopeSelection.union(String.join(" ", old), String.join(" ", asked));
    Set<String> expected = new LinkedHashSet<>(old);
    expected.addAll(asked);
    assertThat(union == null ? List.of() : List.of(union.split(" ")))
        .containsExactlyElementsOf(expected);
    assertThat(ScopeSelection.covers(union, String.join(" ", asked))).isTrue();
  }

  @Property
  void aChallengeSurvivesOtherSchemesAndParameterOrder(
      @ForAll("scopeLists") List<String> scopes,
      @ForAll boolean dpopFirst,
      @ForAll boolean scopeFirst) {
    String scope = "scope=\"" + String.join(" ", scopes) + "\"";
    String metadata =
        "resource_metadata=\"https://mcp.example.com/.well-known/oauth-protected-resource/mcp\"";
    String bearer =
        "Bearer realm=\"mcp\", error=\"insufficient_scope\", "
            + (scopeFirst ? scope + ", " + metadata : metadata + ", " + scope);
    String header = dpopFirst ? "DPoP algs=\"ES256\", " + bearer : bearer + ", Basic realm=\"x\"";
    BearerChallenge challenge = BearerChallenge.parse(header).orElseThrow();
    assertThat(challenge.insufficientScope()).isTrue();
    assertThat(challenge.resourceMetadata())
        .isEqualTo("https://mcp.example.com/.well-known/oauth-protected-resource/mcp");
    assertThat(challenge.scope()).isEqualTo(scopes.isEmpty() ? null : String.join(" ", scopes));
  }

  @Test
  void tokenValuesAndAbsentChallengesParse() {
    assertThat(BearerChallenge.parse("Bearer error=invalid_token").orElseThrow().error())
        .isEqualTo("invalid_token");
    assertThat(BearerChallenge.parse("Basic realm=\"x\"")).isEmpty();
    assertThat(BearerChallenge.parse(null)).isEmpty();
    assertThat(BearerChallenge.parse("Bearer").orElseThrow().resourceMetadata()).isNull();
  }

  @Test
  void theResourceMustBeTheServerOrAPathPrefixOfIt() {
    String server = "https://mcp.example.com/tools/mcp";
    assertThat(
            AuthorizationDiscovery.resourceMatches(
                "https://MCP.example.com:443/tools/mcp/", server))
        .isTrue();
    assertThat(AuthorizationDiscovery.resourceMatches("https://mcp.example.com", server)).isTrue();
    assertThat(AuthorizationDiscovery.resourceMatches("https://mcp.example.com/tools", server))
        .isTrue();
    assertThat(AuthorizationDiscovery.resourceMatches("https://mcp.example.com/to", server))
        .isFalse();
    assertThat(AuthorizationDiscovery.resourceMatches("https://evil.example.com/tools/mcp", server))
        .isFalse();
    assertThat(AuthorizationDiscovery.resourceMatches("http://mcp.example.com/tools/mcp", server))
        .isFalse();
  }
}
