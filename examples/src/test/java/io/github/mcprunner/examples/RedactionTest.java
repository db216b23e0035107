package io.github.mcprunner.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactionTest {

  @Test
  void sensitiveValuesShowOnlyTheSchemeAndADigestPrefix() {
    String shown = Redaction.show("Authorization", "Bearer utk_0123456789abcdef");

    assertThat(shown).startsWith("Bearer ██ ").hasSize("Bearer ██ ".length() + 6);
    assertThat(shown).doesNotContain("utk_").doesNotContain("0123456789");
    assertThat(Redaction.show("X-Api-Key", "key_acme_secret")).matches("██ [0-9a-f]{6}");
    assertThat(Redaction.show("Cookie", "a=b; c=d")).matches("██ [0-9a-f]{6}");
  }

  @Test
  void differentSecretsShowDifferentDigests_theSameSecretTheSame() {
    assertThat(Redaction.show("Authorization", "Bearer alice-token"))
        .isNotEqualTo(Redaction.show("Authorization", "Bearer bob-token"))
        .isEqualTo(Redaction.show("Authorization", "Bearer alice-token"));
  }

  @Test
  void plainValuesShowAsTheyAre_longOnesClipped() {
    assertThat(Redaction.show("X-Tenant-Id", "acme")).isEqualTo("acme");
    assertThat(Redaction.show("X-Note", "x".repeat(40))).hasSize(28).endsWith("…");
  }

  @Test
  void scrubRedactsKnownSecretsAnywhereAndTheValuesOfSensitiveNames() {
    String echoed =
        "{\"authorization\":\"Bearer utk_alice\",\"x-user-id\":\"alice\","
            + "\"x-api-key\":\"other-key-1\",\"cookie\":\"sid=42\"} token=abc123 "
            + "Authorization: Bearer eyJhbGciOi.payload.sig note: key_acme_secret inside text";

    String shown = Redaction.scrub(echoed, java.util.List.of("key_acme_secret", "utk_alice"));

    assertThat(shown)
        .doesNotContain("utk_alice")
        .doesNotContain("other-key-1")
        .doesNotContain("sid=42")
        .doesNotContain("abc123")
        .doesNotContain("eyJhbGciOi")
        .doesNotContain("key_acme_secret")
        .contains("\"x-user-id\":\"alice\"")
        .contains("note: ")
        .contains("\"x-api-key\":\"" + Redaction.show("X-Api-Key", "other-key-1") + "\"")
        .contains("Authorization: Bearer ██ ")
        .contains(Redaction.show("X-Api-Key", "key_acme_secret") + " inside text");
  }

  @Test
  void scrubShowsAKnownSecretWithTheDigestTheRequestTableShows() {
    String token = "Bearer utk_0123456789abcdef";

    assertThat(Redaction.scrub("sent " + token, java.util.List.of(token)))
        .isEqualTo("sent " + Redaction.show("Authorization", token));
  }
}
