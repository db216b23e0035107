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
}
