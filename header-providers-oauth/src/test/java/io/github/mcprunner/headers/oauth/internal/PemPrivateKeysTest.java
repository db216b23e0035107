package io.github.mcprunner.headers.oauth.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.headers.oauth.TestKeys;
import org.junit.jupiter.api.Test;

class PemPrivateKeysTest {

  @Test
  void readsPkcs8RsaAndEcKeys() {
    assertThat(
            PemPrivateKeys.parse(
                ConfiguredProviderTest.pem(TestKeys.RSA.getPrivate().getEncoded())))
        .isEqualTo(TestKeys.RSA.getPrivate());
    assertThat(
            PemPrivateKeys.parse(ConfiguredProviderTest.pem(TestKeys.EC.getPrivate().getEncoded())))
        .isEqualTo(TestKeys.EC.getPrivate());
  }

  @Test
  void refusesOtherFormatsWithoutQuotingThem() {
    assertThatThrownBy(
            () ->
                PemPrivateKeys.parse(
                    "-----BEGIN RSA PRIVATE KEY-----\nQUJD\n-----END RSA PRIVATE KEY-----"))
        .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt")
        .hasMessageNotContaining("QUJD");
    assertThatThrownBy(
            () ->
                PemPrivateKeys.parse(
                    "-----BEGIN PRIVATE KEY-----\nQUJD\n-----END PRIVATE KEY-----"))
        .hasMessage("PEM private key is neither an RSA nor an EC key");
  }
}
