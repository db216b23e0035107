package io.github.mcprunner.headers.oauth.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * Reads an unencrypted PKCS#8 private key ({@code -----BEGIN PRIVATE KEY-----}), RSA or EC, from
 * PEM text. Messages never quote the key. Not public API.
 */
public final class PemPrivateKeys {
  private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String END = "-----END PRIVATE KEY-----";

  private PemPrivateKeys() {}

  /**
   * Returns the key in the PEM file at {@code path}.
   *
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException if it holds no unencrypted PKCS#8 RSA or EC key
   */
  public static PrivateKey read(Path path) throws IOException {
    return parse(Files.readString(path, StandardCharsets.US_ASCII));
  }

  /**
   * Returns the key in {@code pem}.
   *
   * @throws IllegalArgumentException if it holds no unencrypted PKCS#8 RSA or EC key
   */
  public static PrivateKey parse(String pem) {
    int begin = pem.indexOf(BEGIN);
    int end = pem.indexOf(END);
    if (begin < 0 || end < begin) {
      if (pem.contains("-----BEGIN RSA PRIVATE KEY-----")
          || pem.contains("-----BEGIN EC PRIVATE KEY-----")
          || pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
        throw new IllegalArgumentException(
            "private key must be unencrypted PKCS#8 (BEGIN PRIVATE KEY); convert it with"
                + " 'openssl pkcs8 -topk8 -nocrypt'");
      }
      throw new IllegalArgumentException("no PEM private key (BEGIN PRIVATE KEY) found");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(pem.substring(begin + BEGIN.length(), end));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("PEM private key is not valid base64");
    }
    try {
      PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
      for (String algorithm : new String[] {"RSA", "EC"}) {
        try {
          return KeyFactory.getInstance(algorithm).generatePrivate(spec);
        } catch (GeneralSecurityException e) {
          // try the next algorithm
        }
      }
      throw new IllegalArgumentException("PEM private key is neither an RSA nor an EC key");
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }
}
