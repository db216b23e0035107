package io.github.mcprunner.headers;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An immutable, insertion-ordered set of HTTP headers for MCP servers, with case-insensitive names
 * that keep their spelling.
 *
 * <p>One {@code McpHeaders} is one layer of the precedence chain (runner defaults, server static
 * headers, a provider's output, per-run headers, per-run per-server headers). Besides headers to
 * set, a layer may hold <em>removals</em> ({@link Builder#remove(String)}): a removal deletes a
 * header of the same name from every lower layer when the layers are merged with {@link
 * #overriddenBy(McpHeaders)}.
 *
 * <pre>{@code
 * McpHeaders perRun = McpHeaders.of("Authorization", "Bearer " + userToken, "X-User-Id", userId);
 * McpHeaders noTrace = McpHeaders.builder().remove("X-Trace").build();
 * }</pre>
 *
 * <p><b>Validation.</b> Every name must be an RFC 9110 token of at most {@value #MAX_NAME_LENGTH}
 * characters and every value visible ASCII, space or horizontal tab (no CR, LF, NUL or other
 * control character, no non-ASCII). Invalid input is refused with an {@link
 * InvalidMcpHeaderException} that names the header and never contains the value. Protocol and
 * framing headers ({@link #isProtected(String)}) are refused where a layer is handed to the runner,
 * because only there is the layer known.
 *
 * <p><b>Secrets.</b> {@link #toString()} redacts the values of sensitive headers ({@link
 * #isSensitive(String)}): {@code {Authorization=██, X-Tenant-Id=acme}}. A value that is secret
 * whatever its header's name (one read from a secret file or an environment variable) is set with
 * {@link Builder#setSecret(String, String)}: it is redacted too ({@link #isSecret(String)}), and
 * stays so through {@link #overriddenBy(McpHeaders)}, {@link Builder#setAll(McpHeaders)} and {@link
 * #toBuilder()} for as long as it is the value that wins.
 *
 * <p>Two instances are equal when they hold the same names (ignoring case) with the same values and
 * the same removals, in any order; whether a value is marked secret does not take part. Instances
 * are thread-safe.
 */
public final class McpHeaders {

  /** What {@link #toString()} prints in place of a sensitive value. */
  public static final String REDACTED = "██";

  /** The longest header name accepted, in characters. */
  public static final int MAX_NAME_LENGTH = HeaderNames.MAX_NAME_LENGTH;

  private static final String[] NO_NAMES = new String[0];

  private static final McpHeaders EMPTY = new McpHeaders(new String[0], new String[0], null);

  // names[i] keeps the spelling of the layer that set it; values[i] == null marks a removal;
  // secrets[i] marks a value set with Builder.setSecret. secrets is null when no value is marked,
  // so that the header chain's merges allocate nothing more for the common case.
  private final String[] names;
  private final @Nullable String[] values;
  private final boolean @Nullable [] secrets;

  private McpHeaders(String[] names, @Nullable String[] values, boolean @Nullable [] secrets) {
    this.names = names;
    this.values = values;
    this.secrets = secrets;
  }

  /** Returns the empty header set. */
  public static McpHeaders empty() {
    return EMPTY;
  }

  /**
   * Returns headers from alternating names and values: {@code of("X-User-Id", "u1", "X-Tenant-Id",
   * "t1")}. A later pair replaces an earlier one of the same name (ignoring case).
   *
   * @throws IllegalArgumentException if an odd number of arguments is given
   * @throws InvalidMcpHeaderException if a name or value is invalid (the message never holds the
   *     value)
   * @throws NullPointerException if any argument is null
   */
  public static McpHeaders of(String... namesAndValues) {
    requireNonNull(namesAndValues, "namesAndValues");
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException(
          "namesAndValues must alternate name and value, but "
              + namesAndValues.length
              + " arguments were given");
    }
    Builder builder = builder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      String name = requireNonNull(namesAndValues[i], "header name at index " + i);
      String value = namesAndValues[i + 1];
      if (value == null) {
        throw new NullPointerException("value of header '" + safeName(name) + "' is null");
      }
      builder.set(name, value, "McpHeaders.of");
    }
    return builder.build();
  }

  /**
   * Returns headers holding every entry of {@code map}, in its iteration order.
   *
   * @throws InvalidMcpHeaderException if a name or value is invalid
   */
  public static McpHeaders of(Map<String, String> map) {
    requireNonNull(map, "map");
    Builder builder = builder();
    map.forEach((name, value) -> builder.set(name, value, "McpHeaders.of"));
    return builder.build();
  }

  /** Returns a new, empty builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder that starts with the entries (and removals) of this instance. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    for (int i = 0; i < names.length; i++) {
      builder.put(names[i], values[i], secretAt(i));
    }
    return builder;
  }

  /**
   * Returns the value of the header named {@code name} (ignoring case), or empty when it is not set
   * or is removed by this layer.
   */
  public Optional<String> get(String name) {
    requireNonNull(name, "name");
    int i = indexOf(names, names.length, name);
    return i < 0 ? Optional.empty() : Optional.ofNullable(values[i]);
  }

  /** Returns whether a header named {@code name} (ignoring case) is set by this instance. */
  public boolean contains(String name) {
    requireNonNull(name, "name");
    int i = indexOf(names, names.length, name);
    return i >= 0 && values[i] != null;
  }

  /**
   * Returns whether the value of header {@code name} (ignoring case) must be redacted wherever it
   * is printed: the header is set, and either its name is sensitive ({@link #isSensitive(String)})
   * or its value was set with {@link Builder#setSecret(String, String)}. Logs and messages that
   * print header values ask this, as {@link #toString()} does.
   */
  public boolean isSecret(String name) {
    requireNonNull(name, "name");
    int i = indexOf(names, names.length, name);
    return i >= 0 && values[i] != null && (secretAt(i) || isSensitive(names[i]));
  }

  /** Returns whether this layer removes the header named {@code name} from lower layers. */
  public boolean removes(String name) {
    requireNonNull(name, "name");
    int i = indexOf(names, names.length, name);
    return i >= 0 && values[i] == null;
  }

  /** Returns the names of the headers set, in insertion order and with their spelling. */
  public Set<String> names() {
    Set<String> result = new LinkedHashSet<>();
    for (int i = 0; i < names.length; i++) {
      if (values[i] != null) {
        result.add(names[i]);
      }
    }
    return Collections.unmodifiableSet(result);
  }

  /** Returns the names this layer removes from lower layers, in insertion order. */
  public Set<String> removedNames() {
    Set<String> result = new LinkedHashSet<>();
    for (int i = 0; i < names.length; i++) {
      if (values[i] == null) {
        result.add(names[i]);
      }
    }
    return Collections.unmodifiableSet(result);
  }

  /** Returns the headers set as an unmodifiable, insertion-ordered map (removals left out). */
  public Map<String, String> asMap() {
    Map<String, String> result = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      String value = values[i];
      if (value != null) {
        result.put(names[i], value);
      }
    }
    return Collections.unmodifiableMap(result);
  }

  /** Returns the number of headers set (removals not counted). */
  public int size() {
    int size = 0;
    for (String value : values) {
      if (value != null) {
        size++;
      }
    }
    return size;
  }

  /** Returns whether this instance sets no header and removes none. */
  public boolean isEmpty() {
    return names.length == 0;
  }

  /** Returns whether this instance holds at least one removal. */
  public boolean hasRemovals() {
    for (String value : values) {
      if (value == null) {
        return true;
      }
    }
    return false;
  }

  /**
   * Calls {@code action} for every header set, in order, with the name as spelled by the layer that
   * set it. Allocation-free; removals are skipped.
   */
  public void forEach(java.util.function.BiConsumer<String, String> action) {
    requireNonNull(action, "action");
    for (int i = 0; i < names.length; i++) {
      String value = values[i];
      if (value != null) {
        action.accept(names[i], value);
      }
    }
  }

  /**
   * Returns the merge of this (lower) layer with {@code higher}: for every name (ignoring case) the
   * higher layer's entry wins, spelling included; a removal in {@code higher} removes the header of
   * this layer. Names keep the position of their first appearance. Removals are kept in the result,
   * so that merging is associative: {@code a.overriddenBy(b).overriddenBy(c)} equals {@code
   * a.overriddenBy(b.overriddenBy(c))}. The runner merges its layers this way and sends the headers
   * set ({@link #forEach}), never a removal.
   */
  public McpHeaders overriddenBy(McpHeaders higher) {
    requireNonNull(higher, "higher");
    if (higher.names.length == 0) {
      return this;
    }
    if (names.length == 0) {
      return higher;
    }
    String[] mergedNames = Arrays.copyOf(names, names.length + higher.names.length);
    @Nullable String[] mergedValues = Arrays.copyOf(values, mergedNames.length);
    boolean[] mergedSecrets =
        secrets == null && higher.secrets == null ? null : new boolean[mergedNames.length];
    if (mergedSecrets != null && secrets != null) {
      System.arraycopy(secrets, 0, mergedSecrets, 0, names.length);
    }
    int size = names.length;
    for (int i = 0; i < higher.names.length; i++) {
      int at = indexOf(mergedNames, size, higher.names[i]);
      if (at < 0) {
        at = size++;
      }
      mergedNames[at] = higher.names[i];
      mergedValues[at] = higher.values[i];
      if (mergedSecrets != null) {
        mergedSecrets[at] = higher.secretAt(i);
      }
    }
    return trimmed(mergedNames, mergedValues, mergedSecrets, size);
  }

  private static McpHeaders trimmed(
      String[] names, @Nullable String[] values, boolean @Nullable [] secrets, int size) {
    if (size < names.length) {
      names = Arrays.copyOf(names, size);
      values = Arrays.copyOf(values, size);
      secrets = secrets == null ? null : Arrays.copyOf(secrets, size);
    }
    return new McpHeaders(names, values, secrets);
  }

  private boolean secretAt(int i) {
    return secrets != null && secrets[i];
  }

  /**
   * Returns whether {@code name} is a header that no layer may set: HTTP framing headers ({@code
   * Host}, {@code Content-Length}, {@code Transfer-Encoding}, {@code Connection}, {@code Upgrade},
   * {@code Expect}, {@code TE}, {@code Trailer}, {@code Keep-Alive}, {@code Proxy-Connection},
   * {@code HTTP2-Settings}), content coding ({@code Content-Encoding}, {@code Accept-Encoding}: the
   * transport decides what it sends and which compressed answers it can read), {@code Origin} (a
   * browser's header, which MCP servers check against DNS rebinding: a per-run value could claim an
   * origin the server trusts) and MCP protocol headers ({@code Content-Type}, {@code Accept},
   * {@code Mcp-Session-Id}, {@code MCP-Protocol-Version}, {@code Last-Event-ID}, {@code
   * Mcp-Method}, {@code Mcp-Name}, {@code Mcp-Param-*}, {@code Cache-Control}), in any case
   * spelling (of the ASCII letters: header names are ASCII).
   *
   * <p>{@code User-Agent} is not protected: a deployment may name itself to the servers it calls
   * (the transport's own value is sent when no layer sets one).
   */
  public static boolean isProtected(String name) {
    return HeaderNames.isProtected(requireNonNull(name, "name"));
  }

  /**
   * Returns whether the value of header {@code name} is a secret that logs, exceptions and {@code
   * toString()} must redact: {@code Authorization}, {@code Proxy-Authorization}, {@code Cookie},
   * {@code Set-Cookie}, and every name containing {@code token}, {@code secret}, {@code key},
   * {@code pass}, {@code session}, {@code credential}, {@code auth}, {@code cookie}, {@code
   * signature}, {@code csrf}, {@code xsrf}, {@code jwt} or {@code assertion} (ignoring case): so
   * {@code X-Auth-User}, {@code Cookie2}, {@code X-Hub-Signature-256} and {@code X-CSRF-Token} too.
   * A runner can add names of its own ({@code RunnerBuilder.sensitiveHeaders}); a value set with
   * {@link Builder#setSecret(String, String)} is redacted whatever its name.
   */
  public static boolean isSensitive(String name) {
    return HeaderNames.isSensitive(requireNonNull(name, "name"));
  }

  /**
   * Checks that {@code name} is a valid header name and {@code value} a valid header value.
   *
   * @param layer where the header comes from, named in the error (e.g. {@code "per-run headers"})
   * @throws InvalidMcpHeaderException naming the header and the layer, never the value
   */
  public static void validate(String name, String value, String layer) {
    requireNonNull(name, "name");
    requireNonNull(value, "value");
    requireNonNull(layer, "layer");
    validateName(name, layer);
    String problem = valueProblem(value);
    if (problem != null) {
      throw new InvalidMcpHeaderException(name, layer, problem);
    }
  }

  private static void validateName(String name, String layer) {
    if (name.isEmpty()) {
      throw new InvalidMcpHeaderException(name, layer, "has an empty name");
    }
    if (name.length() > HeaderNames.MAX_NAME_LENGTH) {
      throw new InvalidMcpHeaderException(
          name,
          layer,
          "has a name of "
              + name.length()
              + " characters, longer than the "
              + HeaderNames.MAX_NAME_LENGTH
              + " allowed");
    }
    for (int i = 0; i < name.length(); i++) {
      if (!isTchar(name.charAt(i))) {
        throw new InvalidMcpHeaderException(
            name,
            layer,
            "has a name that is not an RFC 9110 token (character at index " + i + " not allowed)");
      }
    }
  }

  private static @Nullable String valueProblem(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n') {
        return "has a value that contains a line break (CR or LF)";
      }
      if (c == 0) {
        return "has a value that contains a NUL character";
      }
      if (c == '\t') {
        continue;
      }
      if (c < 0x20 || c == 0x7f) {
        return "has a value that contains a control character at index " + i;
      }
      if (c > 0x7e) {
        return "has a value that contains a non-ASCII character at index " + i;
      }
    }
    return null;
  }

  private static boolean isTchar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      return true;
    }
    switch (c) {
      case '!':
      case '#':
      case '$':
      case '%':
      case '&':
      case '\'':
      case '*':
      case '+':
      case '-':
      case '.':
      case '^':
      case '_':
      case '`':
      case '|':
      case '~':
        return true;
      default:
        return false;
    }
  }

  /** Returns the name as printable text for an error, with characters outside tokens escaped. */
  static String safeName(String name) {
    StringBuilder out = new StringBuilder(Math.min(name.length(), 64) + 8);
    int limit = Math.min(name.length(), 64);
    for (int i = 0; i < limit; i++) {
      char c = name.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '\'') {
        out.append(c);
      } else {
        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      }
    }
    if (name.length() > limit) {
      out.append("...");
    }
    return out.toString();
  }

  private static int indexOf(String[] names, int size, String name) {
    int length = name.length();
    for (int i = 0; i < size; i++) {
      String candidate = names[i];
      if (candidate.length() == length
          && HeaderNames.asciiRegionEqualsIgnoreCase(candidate, name, length)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof McpHeaders)) {
      return false;
    }
    McpHeaders other = (McpHeaders) o;
    if (names.length != other.names.length) {
      return false;
    }
    for (int i = 0; i < names.length; i++) {
      int j = indexOf(other.names, other.names.length, names[i]);
      if (j < 0 || !java.util.Objects.equals(values[i], other.values[j])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int hash = 0;
    for (int i = 0; i < names.length; i++) {
      hash += names[i].toLowerCase(Locale.ROOT).hashCode() ^ java.util.Objects.hashCode(values[i]);
    }
    return hash;
  }

  /**
   * Returns {@code {Name=value, ...}} with sensitive and secret values ({@link #isSecret(String)})
   * replaced by {@value #REDACTED} and removals shown as {@code -Name}.
   */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < names.length; i++) {
      if (i > 0) {
        out.append(", ");
      }
      String value = values[i];
      if (value == null) {
        out.append('-').append(names[i]);
      } else {
        boolean redact = secretAt(i) || isSensitive(names[i]);
        out.append(names[i]).append('=').append(redact ? REDACTED : value);
      }
    }
    return out.append('}').toString();
  }

  /**
   * Builds an {@link McpHeaders}. Setting or removing a name replaces an earlier entry of the same
   * name (ignoring case), keeping its position. Not thread-safe.
   */
  public static final class Builder {
    // Arrays rather than lists: the runner merges its layers for every request with setAll and
    // build (HeaderChainBenchmark), so entries are compared in place and copied once.
    private String[] names = NO_NAMES;
    private @Nullable String[] values = NO_NAMES;
    private boolean @Nullable [] secrets;
    private int size;
    private boolean anySecret;

    private Builder() {}

    /**
     * Sets header {@code name} to {@code value}, replacing an earlier entry of that name.
     *
     * @throws InvalidMcpHeaderException if the name or value is invalid (message without the value)
     */
    public Builder set(String name, String value) {
      return set(name, value, "McpHeaders.Builder.set");
    }

    /**
     * Sets header {@code name} to a secret {@code value}, replacing an earlier entry of that name:
     * like {@link #set(String, String)}, but the value is redacted wherever it is printed ({@link
     * McpHeaders#isSecret(String)}), whatever the header's name. For values read from secret
     * references (a file, an environment variable), whose header name need not look sensitive.
     *
     * @throws InvalidMcpHeaderException if the name or value is invalid (message without the value)
     */
    public Builder setSecret(String name, String value) {
      return set(name, value, "McpHeaders.Builder.setSecret", true);
    }

    /**
     * Sets every header of {@code headers} (and copies its removals), replacing earlier entries of
     * the same names.
     */
    public Builder setAll(McpHeaders headers) {
      requireNonNull(headers, "headers");
      for (int i = 0; i < headers.names.length; i++) {
        put(headers.names[i], headers.values[i], headers.secretAt(i));
      }
      return this;
    }

    /**
     * Removes header {@code name}: from this builder, and, once merged as a higher layer, from
     * every lower layer.
     *
     * @throws InvalidMcpHeaderException if the name is not a valid header name
     */
    public Builder remove(String name) {
      requireNonNull(name, "name");
      validateName(name, "McpHeaders.Builder.remove");
      put(name, null, false);
      return this;
    }

    /** Returns the immutable headers built so far; the builder stays usable. */
    public McpHeaders build() {
      if (size == 0) {
        return EMPTY;
      }
      boolean[] marked = null;
      if (anySecret && secrets != null) {
        marked = Arrays.copyOf(secrets, size);
      }
      return new McpHeaders(Arrays.copyOf(names, size), Arrays.copyOf(values, size), marked);
    }

    Builder set(String name, String value, String layer) {
      return set(name, value, layer, false);
    }

    private Builder set(String name, String value, String layer, boolean secret) {
      requireNonNull(name, "name");
      if (value == null) {
        throw new NullPointerException("value of header '" + safeName(name) + "' is null");
      }
      validate(name, value, layer);
      put(name, value, secret);
      return this;
    }

    private void put(String name, @Nullable String value, boolean secret) {
      int at = indexOf(names, size, name);
      if (at < 0) {
        if (size == names.length) {
          int capacity = Math.max(16, size * 2);
          names = Arrays.copyOf(names, capacity);
          values = Arrays.copyOf(values, capacity);
          if (secrets != null) {
            secrets = Arrays.copyOf(secrets, capacity);
          }
        }
        at = size++;
      }
      names[at] = name;
      values[at] = value;
      if (secret && secrets == null) {
        secrets = new boolean[names.length];
        anySecret = true;
      }
      if (secrets != null) {
        secrets[at] = secret;
      }
    }
  }
}
