package io.github.mcprunner.headers.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.headers.oauth.internal.ClientAuthenticator;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ClientAuthenticationPemTest {

  private static String pem(byte[] pkcs8) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pkcs8)
        + "\n-----END PRIVATE KEY-----\n";
  }

  @Test
  void ecKeyInPkcs8PemSignsAsPrivateKeyJwt() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    String pem = pem(generator.generateKeyPair().getPrivate().getEncoded());

    ClientAuthentication auth = ClientAuthentication.privateKeyJwtPem("agent", pem, "key-1");

    assertThat(auth.clientId()).isEqualTo("agent");
    assertThat(auth.authenticator().method()).isEqualTo(ClientAuthenticator.Method.PRIVATE_KEY_JWT);
    assertThat(auth.toString()).doesNotContain(pem.substring(30, 60));
  }

  @Test
  void textWithoutAKeyIsRefusedWithoutQuotingIt() {
    String notAKey =
        "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LXZhbHVlLTQy!!\n-----END PRIVATE KEY-----";

    assertThatThrownBy(() -> ClientAuthentication.privateKeyJwtPem("agent", notAKey, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("c2VjcmV0");
  }
}
