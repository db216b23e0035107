package io.github.mcprunner.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcprunner.SessionStrategy;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.McpHeaders;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** The session-pool key of a run: which identity a session belongs to. */
class IdentitiesTest {

  private static RunScope.Builder run(String runId) {
    return RunScope.builder("support", runId);
  }

  @Test
  void sharedAndPerRunStrategiesIgnoreTheIdentity() {
    RunScope scope = run("r-1").identity("alice").build();

    assertThat(Identities.key(SessionStrategy.SHARED, scope, "crm")).isEqualTo("shared");
    assertThat(Identities.key(SessionStrategy.PER_RUN, scope, "crm")).isEqualTo("run:r-1");
  }

  @Test
  void perIdentityPrefersTheExplicitIdentityThenContextThenHeaders() {
    RunScope explicit = run("r").identity("alice").context(ContextKey.USER_ID, "bob").build();
    RunScope context =
        run("r")
            .context(ContextKey.TENANT_ID, "acme")
            .context(ContextKey.USER_ID, "bob")
            .perRunHeaders(McpHeaders.of("X-User-Id", "carol"))
            .build();
    RunScope headers =
        run("r").perRunHeaders(McpHeaders.of("X-User-Id", "carol", "X-Tenant-Id", "acme")).build();

    assertThat(Identities.key(SessionStrategy.PER_IDENTITY, explicit, "crm")).isEqualTo("id:alice");
    assertThat(Identities.key(SessionStrategy.PER_IDENTITY, context, "crm"))
        .isEqualTo("ctx:acme/bob");
    assertThat(Identities.key(SessionStrategy.PER_IDENTITY, headers, "crm"))
        .isEqualTo("hdr:acme/carol");
  }

  @Test
  void theServersOwnPerRunHeadersTakePartAndCanRemoveAnIdentityHeader() {
    RunScope scope =
        run("r")
            .perRunHeaders(McpHeaders.of("X-User-Id", "carol"))
            .perServerHeaders("crm", McpHeaders.of("X-User-Id", "dave"))
            .perServerHeaders("billing", McpHeaders.builder().remove("X-User-Id").build())
            .build();

    assertThat(Identities.key(SessionStrategy.PER_IDENTITY, scope, "crm")).isEqualTo("hdr:/dave");
    assertThat(Identities.key(SessionStrategy.PER_IDENTITY, scope, "tickets"))
        .isEqualTo("hdr:/carol");
    // Removed for billing: nothing of the run's own is left there.
    assertThat(Identities.key(SessionStrategy.PER_IDENTITY, scope, "billing"))
        .isEqualTo(Identities.ANONYMOUS);
  }

  @Test
  void aRunWithNothingOfItsOwnSharesTheAnonymousSession() {
    assertThat(Identities.key(SessionStrategy.PER_IDENTITY, run("r").build(), "crm"))
        .isEqualTo(Identities.ANONYMOUS);
  }

  @Property
  void credentialsEnterTheKeyOnlyThroughADigestThatTellsThemApart(
      @ForAll @AlphaChars @StringLength(min = 8, max = 40) String token,
      @ForAll @AlphaChars @StringLength(min = 8, max = 40) String other) {
    RunScope byHeader =
        run("r").perRunHeaders(McpHeaders.of("Authorization", "Bearer " + token)).build();
    RunScope bySubject = run("r").context(ContextKey.SUBJECT_TOKEN, token).build();
    RunScope otherHeader =
        run("r").perRunHeaders(McpHeaders.of("Authorization", "Bearer " + other)).build();

    String headerKey = Identities.key(SessionStrategy.PER_IDENTITY, byHeader, "crm");
    String subjectKey = Identities.key(SessionStrategy.PER_IDENTITY, bySubject, "crm");

    assertThat(headerKey).startsWith("sha256:").doesNotContain(token);
    assertThat(subjectKey).startsWith("sha256:").doesNotContain(token).isNotEqualTo(headerKey);
    // The same credential gives the same key (a refreshed run keeps its session) ...
    assertThat(Identities.key(SessionStrategy.PER_IDENTITY, byHeader, "crm")).isEqualTo(headerKey);
    // ... and another one another key.
    String otherKey = Identities.key(SessionStrategy.PER_IDENTITY, otherHeader, "crm");
    assertThat(otherKey.equals(headerKey)).isEqualTo(token.equals(other));
  }

  @Property
  void identitiesFromDifferentSourcesNeverCollide(
      @ForAll @AlphaChars @StringLength(min = 1, max = 10) String value) {
    String explicit =
        Identities.key(SessionStrategy.PER_IDENTITY, run("r").identity(value).build(), "crm");
    String context =
        Identities.key(
            SessionStrategy.PER_IDENTITY,
            run("r").context(ContextKey.USER_ID, value).build(),
            "crm");
    String header =
        Identities.key(
            SessionStrategy.PER_IDENTITY,
            run("r").perRunHeaders(McpHeaders.of("X-User-Id", value)).build(),
            "crm");

    assertThat(explicit).isNotEqualTo(context).isNotEqualTo(header);
    assertThat(context).isNotEqualTo(header);
  }
}
