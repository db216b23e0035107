package io.github.mcprunner.headers.oauth.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The {@code Bearer} challenge of a {@code WWW-Authenticate} header (RFC 6750 §3, RFC 9728 §5.1):
 * {@code error}, {@code scope} and {@code resource_metadata}. Other schemes in the same header
 * ({@code DPoP ...}, {@code Basic ...}) are skipped; parameter names are matched ignoring case;
 * values may be tokens or quoted strings. Never holds a secret (a challenge carries none). Not
 * public API.
 *
 * @param error the {@code error} code, or null
 * @param scope the {@code scope} the server asks for (space separated), or null
 * @param resourceMetadata the {@code resource_metadata} URL, or null
 */
public record BearerChallenge(
    @Nullable String error, @Nullable String scope, @Nullable String resourceMetadata) {

  /** The error a server answers (HTTP 403) when the token lacks a scope the request needs. */
  public static final String INSUFFICIENT_SCOPE = "insufficient_scope";

  /** Returns whether the server asks for more scope (step-up authorization). */
  public boolean insufficientScope() {
    return INSUFFICIENT_SCOPE.equals(error);
  }

  /** What a refusal of a request (401 or 403) asks of a provider. */
  public enum Refusal {
    /** The token lacks scope ({@code insufficient_scope}): authorize again for more scope. */
    STEP_UP,
    /** The token is invalid, or none was usable: drop it and authorize again. */
    REAUTHORIZE,
    /** Nothing a new token would fix (such as a 403 for a forbidden operation): keep the token. */
    NONE
  }

  /**
   * Classifies a refusal by its {@code WWW-Authenticate} header alone, as the runner reports 401
   * and 403 alike and passes no status:
   *
   * <ul>
   *   <li>a {@code Bearer} challenge with {@code error="insufficient_scope"}: {@link
   *       Refusal#STEP_UP} (the MCP authorization specification's 403 for step-up);
   *   <li>a {@code Bearer} challenge with {@code error="invalid_token"}, or with no {@code error}
   *       (RFC 6750 §3.1: the answer to a request without usable credentials): {@link
   *       Refusal#REAUTHORIZE};
   *   <li>a {@code Bearer} challenge with another error, or only challenges of other schemes:
   *       {@link Refusal#NONE};
   *   <li>no header: {@link Refusal#REAUTHORIZE} when no token of the provider was sent, else
   *       {@link Refusal#NONE}: a 401 must carry a challenge (RFC 9110 §15.5.2), so a refusal of a
   *       request that carried the token and names no challenge is taken for a 403.
   * </ul>
   *
   * @param header the {@code WWW-Authenticate} header value, or null
   * @param tokenSent whether the refused request carried a token of the provider
   */
  public static Refusal classify(@Nullable String header, boolean tokenSent) {
    if (header == null || header.isBlank()) {
      return tokenSent ? Refusal.NONE : Refusal.REAUTHORIZE;
    }
    Optional<BearerChallenge> challenge = parse(header);
    if (challenge.isEmpty()) {
      return Refusal.NONE;
    }
    String error = challenge.get().error();
    if (error == null || error.equals("invalid_token")) {
      return Refusal.REAUTHORIZE;
    }
    return error.equals(INSUFFICIENT_SCOPE) ? Refusal.STEP_UP : Refusal.NONE;
  }

  /**
   * Returns the {@code Bearer} challenge in {@code header}, if there is one.
   *
   * @param header a {@code WWW-Authenticate} header value, or null
   */
  public static Optional<BearerChallenge> parse(@Nullable String header) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    Parser parser = new Parser(header);
    while (parser.more()) {
      String scheme = parser.token();
      if (scheme.isEmpty()) {
        parser.skipJunk();
        continue;
      }
      Map<String, String> params = parser.params();
      if (scheme.equalsIgnoreCase("Bearer")) {
        return Optional.of(
            new BearerChallenge(
                blankToNull(params.get("error")),
                blankToNull(params.get("scope")),
                blankToNull(params.get("resource_metadata"))));
      }
    }
    return Optional.empty();
  }

  private static @Nullable String blankToNull(@Nullable String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** A small RFC 9110 §11.6.1 challenge reader: scheme, then {@code name=value} pairs. */
  private static final class Parser {
    private final String in;
    private int pos;

    Parser(String in) {
      this.in = in;
    }

    boolean more() {
      skip(" \t,");
      return pos < in.length();
    }

    void skipJunk() {
      pos++;
    }

    String token() {
      int start = pos;
      while (pos < in.length() && isTokenChar(in.charAt(pos))) {
        pos++;
      }
      return in.substring(start, pos);
    }

    /** Reads the parameters of one challenge, stopping before the next scheme. */
    Map<String, String> params() {
      Map<String, String> params = new LinkedHashMap<>();
      while (true) {
        int mark = pos;
        skip(" \t,");
        String name = token();
        skip(" \t");
        if (name.isEmpty() || pos >= in.length() || in.charAt(pos) != '=') {
          // Not a parameter: the next challenge's scheme (a token68 is read as one, harmlessly).
          pos = mark;
          return params;
        }
        pos++; // '='
        skip(" \t");
        String value = pos < in.length() && in.charAt(pos) == '"' ? quoted() : token();
        params.putIfAbsent(name.toLowerCase(Locale.ROOT), value);
      }
    }

    private String quoted() {
      StringBuilder out = new StringBuilder();
      pos++; // opening quote
      while (pos < in.length()) {
        char c = in.charAt(pos++);
        if (c == '\\' && pos < in.length()) {
          out.append(in.charAt(pos++));
        } else if (c == '"') {
          break;
        } else {
          out.append(c);
        }
      }
      return out.toString();
    }

    private void skip(String chars) {
      while (pos < in.length() && chars.indexOf(in.charAt(pos)) >= 0) {
        pos++;
      }
    }

    private static boolean isTokenChar(char c) {
      return (c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "!#$%&'*+-.^_`|~/".indexOf(c) >= 0;
    }
  }
}
