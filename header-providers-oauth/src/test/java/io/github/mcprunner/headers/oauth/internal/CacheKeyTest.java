package io.github.mcprunner.headers.oauth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CacheKeyTest {

  @Test
  void runIdentityIsNotASubjectToken() {
    CacheKey authorized = CacheKey.forIdentity("alice-identity", "client", "https://r/", "s");
    CacheKey exchanged = new CacheKey("alice-identity", "client", null, "https://r/", "s");

    assertThat(authorized.identity()).isEqualTo("alice-identity");
    assertThat(authorized.subjectToken()).isNull();
    assertThat(authorized).isNotEqualTo(exchanged);
    assertThat(authorized)
        .isEqualTo(CacheKey.forIdentity("alice-identity", "client", "https://r/", "s"))
        .hasSameHashCodeAs(CacheKey.forIdentity("alice-identity", "client", "https://r/", "s"));
    assertThat(authorized.toString()).doesNotContain("alice-identity").contains("identity=██");
  }
}
