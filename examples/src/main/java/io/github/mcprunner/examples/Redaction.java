package io.github.mcprunner.examples;

import io.github.mcprunner.headers.McpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the demo prints a header value: sensitive ones ({@link McpHeaders#isSensitive(String)}) as
 * {@code ██} and the first 6 hex digits of the SHA-256 of the value, so a reader can tell that two
 * users' tokens differ without seeing either; an authorization scheme ({@code Bearer}) stays
 * readable.
 */
final class Redaction {
  static final int DIGEST_DIGITS = 6;
  private static final int MAX_PLAIN = 28;
  private static final int MIN_SECRET = 4;
  private static final Pattern JSON_MEMBER =
      Pattern.compile("\"([A-Za-z0-9_.\\-]+)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern PAIR =
      Pattern.compile("(?<![\\w-])([A-Za-z][A-Za-z0-9_-]*)(\\s*[:=]\\s*)([^\\s,;&\"'}\\]]+)");
  private static final Pattern AUTH_SCHEME = Pattern.compile("(?i)bearer|basic");
  private static final Pattern CREDENTIAL =
      // A credential has a digit or a punctuation mark: "Bearer token" in prose is no credential.
      Pattern.compile(
          "(?i)\\b(Bearer|Basic)\\s+([A-Za-z._~+/=-]*[0-9._~+/=-][A-Za-z0-9._~+/=-]*|██)");

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

  /**
   * Returns {@code text} (a tool's output, an answer, an error) with every secret in it redacted as
   * {@link #show} shows it: each of {@code secrets} wherever it appears, the value of every
   * sensitive name in a JSON member ({@code "authorization":"..."}) or a {@code name: value} or
   * {@code name=value} pair, and any {@code Bearer}/{@code Basic} credential.
   */
  static String scrub(String text, Collection<String> secrets) {
    String result = text;
    List<String> longestFirst = new ArrayList<>(new LinkedHashSet<>(secrets));
    longestFirst.removeIf(secret -> secret.length() < MIN_SECRET);
    longestFirst.sort(Comparator.comparingInt(String::length).reversed());
    for (String secret : longestFirst) {
      result = result.replace(secret, redacted(secret));
    }
    result = replace(CREDENTIAL, result, m -> !m.group(2).startsWith(McpHeaders.REDACTED), 2);
    result = replace(JSON_MEMBER, result, m -> sensitive(m.group(1), m.group(2)), 2);
    result = replace(PAIR, result, m -> sensitive(m.group(1), m.group(3)), 3);
    return result;
  }

  private static boolean sensitive(String name, String value) {
    return McpHeaders.isSensitive(name)
        && !value.isEmpty()
        && !value.contains(McpHeaders.REDACTED)
        && !value.equals("null")
        && !AUTH_SCHEME.matcher(value).matches(); // the credential after it is redacted already
  }

  /** Replaces group {@code group} of every match that {@code redact} accepts with its redaction. */
  private static String replace(
      Pattern pattern, String text, Predicate<MatchResult> redact, int group) {
    Matcher matcher = pattern.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String replacement = matcher.group();
      if (redact.test(matcher)) {
        int start = matcher.start(group) - matcher.start();
        int end = matcher.end(group) - matcher.start();
        replacement =
            replacement.substring(0, start)
                + McpHeaders.REDACTED
                + " "
                + digest(matcher.group(group))
                + replacement.substring(end);
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  /** Returns a sensitive value as the demo prints it: its scheme, if any, then ██ and a digest. */
  private static String redacted(String value) {
    return show("Authorization", value);
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
