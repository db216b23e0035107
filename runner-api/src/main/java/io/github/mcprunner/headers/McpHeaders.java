package io.github.mcprunner.headers;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An immutable, insertion-ordered set of HTTP headers for MCP servers, with case-insensitive
 * names that keep their spelling.
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
 * <p><b>Validation.</b> Every name must be an RFC 9110 token and every value visible ASCII, space
 * or horizontal tab (no CR, LF, NUL or other control character, no non-ASCII). Invalid input is
 * refused with an {@link InvalidMcpHeaderException} that names the header and never contains the
 * value. Protocol and framing headers ({@link #isProtected(String)}) are refused where a layer is
 * handed to the runner, because only there is the layer known.
 *
 * <p><b>Secrets.</b> {@link #toString()} redacts the values of sensitive headers ({@link
 * #isSensitive(String)}): {@code {Authorization=██, X-Tenant-Id=acme}}. A value that is secret
 * whatever its header's name (one read from a secret file or an environment variable) is set with
 * {@link Builder#setSecret(String, String)}: it is redacted too ({@link #isSecret(String)}), and
 * stays so through {@link #overriddenBy(McpHeaders)}, {@link #merge(List)} and {@link
 * #toBuilder()} for as long as it is the value that wins.
 *
 * <p>Two instances are equal when they hold the same names (ignoring case) with the same values and
 * the same removals, in any order; whether a value is marked secret does not take part. Instances
 * are thread-safe.
 */
public final class McpHeaders {

  /** What {@link #toString()} prints in place of a sensitive value. */
  public static final String REDACTED = "██";

  private static final McpHeaders EMPTY = new McpHeaders(new String[0], new String[0], null);

  private static final Set<String> PROTECTED =
      Set.of(
          // HTTP framing
          "host",
          "content-length",
          "transfer-encoding",
          "connection",
          "upgrade",
          "expect",
          "te",
          "trailer",
          "keep-alive",
          "proxy-connection",
          "http2-settings",
          // MCP protocol
          "content-type",
          "accept",
          "mcp-session-id",
          "mcp-protocol-version",
          "last-event-id",
          "mcp-method",
          "mcp-name",
          "cache-control");

  /** {@code PROTECTED_BY_LENGTH[n]} holds the protected names of length {@code n}. */
  private static final String[][] PROTECTED_BY_LENGTH = byLength(PROTECTED);

  private static final String PROTECTED_PREFIX = "mcp-param-";

  /** Bit {@code c - 'a'} is set when a protected name (or the prefix) starts with letter c. */
  private static final int PROTECTED_FIRST_LETTERS = firstLetters(PROTECTED, PROTECTED_PREFIX);

  private static final Set<String> SENSITIVE_NAMES =
      Set.of("authorization", "proxy-authorization", "cookie", "set-cookie");

  private static final List<String> SENSITIVE_PARTS =
      List.of("token", "secret", "key", "password", "session", "credential");

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
   * Returns whether the value of header {@code name} (ignoring case) must be redacted wherever it is
   * printed: the header is set, and either its name is sensitive ({@link #isSensitive(String)}) or
   * its value was set with {@link Builder#setSecret(String, String)}. Logs and messages that print
   * header values ask this, as {@link #toString()} does.
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
   * a.overriddenBy(b.overriddenBy(c))}. Use {@link #withoutRemovals()} for the headers to send.
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
   * Returns the merge of {@code layers}, lowest first: the same result as {@code
   * layers.get(0).overriddenBy(layers.get(1)).overriddenBy(layers.get(2))...}, removals kept, but
   * computed in one pass with one new instance at most, for the header chain that merges layers for
   * every request. An empty list gives {@link #empty()}.
   *
   * @throws NullPointerException if {@code layers} or one of its elements is null
   */
  public static McpHeaders merge(List<McpHeaders> layers) {
    requireNonNull(layers, "layers");
    int count = layers.size();
    int total = 0;
    int nonEmpty = 0;
    boolean anySecret = false;
    McpHeaders only = EMPTY;
    for (int i = 0; i < count; i++) {
      McpHeaders layer = requireNonNull(layers.get(i), "layers must not hold null");
      if (layer.names.length > 0) {
        total += layer.names.length;
        nonEmpty++;
        anySecret |= layer.secrets != null;
        only = layer;
      }
    }
    if (nonEmpty <= 1) {
      return only;
    }
    String[] mergedNames = new String[total];
    @Nullable String[] mergedValues = new String[total];
    boolean[] mergedSecrets = anySecret ? new boolean[total] : null;
    int size = 0;
    for (int i = 0; i < count; i++) {
      McpHeaders layer = layers.get(i);
      if (size == 0) {
        // The lowest non-empty layer goes in as is: its names are distinct already.
        size = layer.names.length;
        System.arraycopy(layer.names, 0, mergedNames, 0, size);
        System.arraycopy(layer.values, 0, mergedValues, 0, size);
        if (mergedSecrets != null && layer.secrets != null) {
          System.arraycopy(layer.secrets, 0, mergedSecrets, 0, size);
        }
        continue;
      }
      for (int j = 0; j < layer.names.length; j++) {
        int at = indexOf(mergedNames, size, layer.names[j]);
        if (at < 0) {
          at = size++;
        }
        mergedNames[at] = layer.names[j];
        mergedValues[at] = layer.values[j];
        if (mergedSecrets != null) {
          mergedSecrets[at] = layer.secretAt(j);
        }
      }
    }
    return trimmed(mergedNames, mergedValues, mergedSecrets, size);
  }

  /** Returns the headers this instance sets, with its removals dropped. */
  public McpHeaders withoutRemovals() {
    if (!hasRemovals()) {
      return this;
    }
    int size = size();
    String[] keptNames = new String[size];
    String[] keptValues = new String[size];
    boolean[] keptSecrets = secrets == null ? null : new boolean[size];
    int j = 0;
    for (int i = 0; i < names.length; i++) {
      if (values[i] != null) {
        keptNames[j] = names[i];
        keptValues[j] = values[i];
        if (keptSecrets != null) {
          keptSecrets[j] = secretAt(i);
        }
        j++;
      }
    }
    return new McpHeaders(keptNames, keptValues, keptSecrets);
  }

  /**
   * Returns whether {@code name} is a header that no layer may set: HTTP framing headers ({@code
   * Host}, {@code Content-Length}, {@code Transfer-Encoding}, {@code Connection}, {@code Upgrade},
   * {@code Expect}, {@code TE}, {@code Trailer}, {@code Keep-Alive}, {@code Proxy-Connection},
   * {@code HTTP2-Settings}) and MCP protocol headers ({@code Content-Type}, {@code Accept}, {@code
   * Mcp-Session-Id}, {@code MCP-Protocol-Version}, {@code Last-Event-ID}, {@code Mcp-Method}, {@code
   * Mcp-Name}, {@code Mcp-Param-*}, {@code Cache-Control}), in any case spelling (of the ASCII
   * letters: header names are ASCII).
   */
  public static boolean isProtected(String name) {
    requireNonNull(name, "name");
    // Runs for every header of every request: compare in place, only with names of equal length,
    // rather than lower-casing a copy.
    int length = name.length();
    if (length == 0) {
      return false;
    }
    // Most names (X-...) start with a letter no protected name starts with.
    int first = name.charAt(0) | 0x20;
    if (first < 'a' || first > 'z' || (PROTECTED_FIRST_LETTERS & (1 << (first - 'a'))) == 0) {
      return false;
    }
    if (length < PROTECTED_BY_LENGTH.length) {
      for (String protectedName : PROTECTED_BY_LENGTH[length]) {
        if (asciiRegionEqualsIgnoreCase(name, protectedName, length)) {
          return true;
        }
      }
    }
    return length >= PROTECTED_PREFIX.length()
        && asciiRegionEqualsIgnoreCase(name, PROTECTED_PREFIX, PROTECTED_PREFIX.length());
  }

  /**
   * Returns whether the value of header {@code name} is a secret that logs, exceptions and {@code
   * toString()} must redact: {@code Authorization}, {@code Proxy-Authorization}, {@code Cookie},
   * {@code Set-Cookie}, and every name containing {@code token}, {@code secret}, {@code key}, {@code
   * password}, {@code session} or {@code credential} (ignoring case).
   */
  public static boolean isSensitive(String name) {
    requireNonNull(name, "name");
    String lower = name.toLowerCase(Locale.ROOT);
    if (SENSITIVE_NAMES.contains(lower)) {
      return true;
    }
    for (String part : SENSITIVE_PARTS) {
      if (lower.contains(part)) {
        return true;
      }
    }
    return false;
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

  /**
   * Checks that no header this instance sets or removes is protected ({@link #isProtected(String)}).
   *
   * @param layer where these headers come from, named in the error
   * @return this instance
   * @throws InvalidMcpHeaderException naming the first protected header and the layer
   */
  public McpHeaders requireUnprotected(String layer) {
    requireNonNull(layer, "layer");
    for (String name : names) {
      if (isProtected(name)) {
        throw new InvalidMcpHeaderException(
            name, layer, "is a protocol header that only the transport may set");
      }
    }
    return this;
  }

  private static void validateName(String name, String layer) {
    if (name.isEmpty()) {
      throw new InvalidMcpHeaderException(name, layer, "has an empty name");
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

  private static int firstLetters(Set<String> names, String prefix) {
    int mask = 1 << (prefix.charAt(0) - 'a');
    for (String name : names) {
      mask |= 1 << (name.charAt(0) - 'a');
    }
    return mask;
  }

  private static String[][] byLength(Set<String> names) {
    int max = 0;
    for (String name : names) {
      max = Math.max(max, name.length());
    }
    String[][] result = new String[max + 1][];
    for (int length = 0; length <= max; length++) {
      List<String> ofLength = new ArrayList<>();
      for (String name : names) {
        if (name.length() == length) {
          ofLength.add(name);
        }
      }
      result[length] = ofLength.toArray(new String[0]);
    }
    return result;
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
      if (candidate.length() == length && asciiRegionEqualsIgnoreCase(candidate, name, length)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Returns whether the first {@code length} characters of {@code a} and {@code b} are equal
   * ignoring the case of ASCII letters (RFC 9110 field names are ASCII and case-insensitive). Both
   * strings must be at least {@code length} long. Faster than {@link String#equalsIgnoreCase},
   * which folds through the Unicode tables; this runs for every header of every request.
   */
  private static boolean asciiRegionEqualsIgnoreCase(String a, String b, int length) {
    for (int i = 0; i < length; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        int lower = x | 0x20;
        if (lower != (y | 0x20) || lower < 'a' || lower > 'z') {
          return false;
        }
      }
    }
    return true;
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
    private final List<String> names = new ArrayList<>();
    private final List<@Nullable String> values = new ArrayList<>();
    private final List<Boolean> secrets = new ArrayList<>();
    private boolean anySecret;

    private Builder() {}

    /**
     * Sets header {@code name} to {@code value}, replacing an earlier entry of that name.
     *
     * @throws InvalidMcpHeaderException if the name or value is invalid (message without the
     *     value)
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
     * @throws InvalidMcpHeaderException if the name or value is invalid (message without the
     *     value)
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
      if (names.isEmpty()) {
        return EMPTY;
      }
      boolean[] marked = null;
      if (anySecret) {
        marked = new boolean[names.size()];
        for (int i = 0; i < marked.length; i++) {
          marked[i] = secrets.get(i);
        }
      }
      return new McpHeaders(names.toArray(new String[0]), values.toArray(new String[0]), marked);
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
      anySecret |= secret;
      for (int i = 0; i < names.size(); i++) {
        if (names.get(i).equalsIgnoreCase(name)) {
          names.set(i, name);
          values.set(i, value);
          secrets.set(i, secret);
          return;
        }
      }
      names.add(name);
      values.add(value);
      secrets.add(secret);
    }
  }
}
