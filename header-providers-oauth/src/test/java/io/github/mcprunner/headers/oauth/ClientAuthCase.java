package io.github.mcprunner.headers.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Each way of client authentication, and how to check a recorded request used it. */
public enum ClientAuthCase {
  CLIENT_SECRET_BASIC,
  CLIENT_SECRET_POST,
  PRIVATE_KEY_JWT_RSA,
  PRIVATE_KEY_JWT_EC;

  public static final String CLIENT_ID = "mcp-runner";
  public static final String SECRET = "s3cr3t-client-secret-value";

  public ClientAuthentication authentication() {
    switch (this) {
      case CLIENT_SECRET_BASIC:
        return ClientAuthentication.clientSecretBasic(CLIENT_ID, SECRET);
      case CLIENT_SECRET_POST:
        return ClientAuthentication.clientSecretPost(CLIENT_ID, SECRET);
      case PRIVATE_KEY_JWT_RSA:
        return ClientAuthentication.privateKeyJwt(CLIENT_ID, TestKeys.RSA.getPrivate(), "rsa-1");
      case PRIVATE_KEY_JWT_EC:
        return ClientAuthentication.privateKeyJwt(CLIENT_ID, TestKeys.EC.getPrivate(), "ec-1");
    }
    throw new AssertionError(this);
  }

  /** Asserts the recorded token request authenticated this way, as client {@code CLIENT_ID}. */
  void assertUsedBy(TestIdp.TokenRequestRecord request, URI tokenEndpoint) throws Exception {
    Map<String, List<String>> form = request.form();
    String authorization = request.authorization();
    switch (this) {
      case CLIENT_SECRET_BASIC:
        assertThat(authorization).startsWith("Basic ");
        String decoded =
            new String(Base64.getDecoder().decode(authorization.substring("Basic ".length())));
        assertThat(decoded).isEqualTo(CLIENT_ID + ":" + SECRET);
        assertThat(form).doesNotContainKeys("client_secret", "client_assertion");
        return;
      case CLIENT_SECRET_POST:
        assertThat(authorization).isNull();
        assertThat(form.get("client_id")).containsExactly(CLIENT_ID);
        assertThat(form.get("client_secret")).containsExactly(SECRET);
        return;
      case PRIVATE_KEY_JWT_RSA:
      case PRIVATE_KEY_JWT_EC:
        assertThat(authorization).isNull();
        assertThat(form).doesNotContainKey("client_secret");
        assertThat(form.get("client_assertion_type"))
            .containsExactly("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        SignedJWT assertion = SignedJWT.parse(form.get("client_assertion").get(0));
        JWSVerifier verifier =
            this == PRIVATE_KEY_JWT_RSA
                ? new RSASSAVerifier((RSAPublicKey) TestKeys.RSA.getPublic())
                : new ECDSAVerifier((ECPublicKey) TestKeys.EC.getPublic());
        assertThat(assertion.verify(verifier)).as("assertion signature").isTrue();
        assertThat(assertion.getHeader().getKeyID())
            .isEqualTo(this == PRIVATE_KEY_JWT_RSA ? "rsa-1" : "ec-1");
        assertThat(assertion.getJWTClaimsSet().getIssuer()).isEqualTo(CLIENT_ID);
        assertThat(assertion.getJWTClaimsSet().getSubject()).isEqualTo(CLIENT_ID);
        assertThat(assertion.getJWTClaimsSet().getAudience())
            .containsExactly(tokenEndpoint.toString());
        assertThat(assertion.getJWTClaimsSet().getJWTID()).isNotBlank();
        return;
    }
    throw new AssertionError(this);
  }
}
