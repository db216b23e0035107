package io.github.mcprunner.examples;

import io.github.mcprunner.headers.McpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How the demo prints a header value: sensitive ones ({@link McpHeaders#isSensitive(String)}) as
 * {@code ██} and the first 6 hex digits of the SHA-256 of the value, so a reader can tell that two
 * users' tokens differ without seeing either; an authorization scheme ({@code Bearer}) stays
 * readable.
 */
final class Redaction {
  static final int DIGEST_DIGITS = 6;
  private static final int MAX_PLAIN = 28;

  private Redaction() {}

  /** Returns the value as the demo prints it. */
  static String show(String name, String value) {
    if (!McpHeaders.isSensitive(name)) {
      String oneLine = value.replace('\n', ' ').replace('\r', ' ');
      return oneLine.length() <= MAX_PLAIN ? oneLine : oneLine.substring(0, MAX_PLAIN - 1) + "…";
    }
    String scheme = "";
    int space = value.indexOf(' ');
    if (space > 0 && value.substring(0, space).chars().allMatch(Character::isLetter)) {
      scheme = value.substring(0, space) + " ";
    }
    return scheme + McpHeaders.REDACTED + " " + digest(value);
  }

  /** Returns the first {@value #DIGEST_DIGITS} hex digits of the SHA-256 of {@code value}. */
  static String digest(String value) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash).substring(0, DIGEST_DIGITS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
