package io.github.mcprunner.headers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.headers.HeaderArbitraries.Op;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/** Rules of {@link McpHeaders}: validation, case-insensitivity, merging, equality, redaction. */
class McpHeadersProperties {

  // ---- validation ----

  @Property
  void everyInvalidNameIsRejectedWithoutEchoingValue(
      @ForAll("invalidNames") String name, @ForAll("secretValues") String value) {
    assertThatThrownBy(() -> McpHeaders.of(name, value))
        .isInstanceOf(InvalidMcpHeaderException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(value))
        .satisfies(e -> assertThat(((InvalidMcpHeaderException) e).headerName()).isEqualTo(name));
    assertThatThrownBy(() -> McpHeaders.builder().set(name, value))
        .isInstanceOf(InvalidMcpHeaderException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(value));
    assertThatThrownBy(() -> McpHeaders.validate(name, value, "per-run headers"))
        .isInstanceOf(InvalidMcpHeaderException.class)
        .hasMessageContaining("per-run headers")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(value));
    assertThatThrownBy(() -> McpHeaders.builder().remove(name))
        .isInstanceOf(InvalidMcpHeaderException.class);
  }

  @Property
  void everyInvalidValueIsRejectedAndMessageNeverContainsTheValue(
      @ForAll("unprotectedNames") String name, @ForAll("invalidValues") String value) {
    // A value is at least one character long here; a one-letter value may be part of the prose.
    Assume.that(value.length() >= 4);
    for (ThrowingAction action :
        List.<ThrowingAction>of(
            () -> McpHeaders.of(name, value),
            () -> McpHeaders.builder().set(name, value),
            () -> McpHeaders.of(Collections.singletonMap(name, value)),
            () -> McpHeaders.validate(name, value, "server static headers"))) {
      assertThatThrownBy(action::run)
          .isInstanceOf(InvalidMcpHeaderException.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(value))
          .satisfies(e -> assertThat(e.getMessage()).contains(name.replace("'", "\\u0027")))
          .satisfies(e -> assertThat(((InvalidMcpHeaderException) e).headerName()).isEqualTo(name));
    }
  }

  @Property
  void everyValidHeaderRoundTripsByteExact(
      @ForAll("unprotectedNames") String name,
      @ForAll("validValues") String value,
      @ForAll long seed) {
    McpHeaders headers = McpHeaders.of(name, value);
    String other = respell(name, seed);

    assertThat(headers.get(other)).hasValue(value);
    assertThat(headers.get(other).orElseThrow().getBytes(StandardCharsets.US_ASCII))
        .isEqualTo(value.getBytes(StandardCharsets.US_ASCII));
    assertThat(headers.names()).containsExactly(name);
    assertThat(headers.asMap()).containsExactly(java.util.Map.entry(name, value));
    assertThat(McpHeaders.builder().set(name, value).build().asMap()).isEqualTo(headers.asMap());
    assertThat(headers.toBuilder().build()).isEqualTo(headers);
    assertThat(McpHeaders.empty().overriddenBy(headers).get(name)).hasValue(value);
    McpHeaders.validate(name, value, "a test");
  }

  @Property
  void isProtectedAgreesWithCaseFoldedLookupOfTheProtectedNames(
      @ForAll("protectedOrNot") String name) {
    assertThat(McpHeaders.isProtected(name))
        .isEqualTo(HeaderArbitraries.isProtectedReference(name));
  }

  @Property
  void protectedNamesAreRefusedInEveryCaseSpelling(
      @ForAll("protectedNames") String name, @ForAll("validValues") String value) {
    assertThat(McpHeaders.isProtected(name)).isTrue();
    // Refused where a layer enters the API: per-run headers, per-server headers, static headers.
    McpHeaders set = McpHeaders.of(name, value);
    assertThatThrownBy(() -> RunOptions.builder().mcpHeaders(set))
        .isInstanceOf(InvalidMcpHeaderException.class)
        .hasMessageContaining("per-run headers")
        .satisfies(e -> assertThat(((InvalidMcpHeaderException) e).headerName()).isEqualTo(name));
    McpHeaders removal = McpHeaders.builder().remove(name).build();
    assertThatThrownBy(() -> RunOptions.builder().mcpHeaders("crm", removal))
        .isInstanceOf(InvalidMcpHeaderException.class)
        .hasMessageContaining("per-run headers for server 'crm'");
    assertThatThrownBy(() -> McpServerSpec.builder("crm", "http://127.0.0.1:1/mcp").headers(set))
        .isInstanceOf(InvalidMcpHeaderException.class)
        .hasMessageContaining("static headers of server 'crm'");
  }

  // ---- merging ----

  @Property
  void overridingIsCaseInsensitiveAndKeepsWinnerSpelling(
      @ForAll("pooledNames") String name,
      @ForAll long seed,
      @ForAll("shortValues") String lowerValue,
      @ForAll("shortValues") String higherValue) {
    String higherName = respell(name, seed);
    McpHeaders lower = McpHeaders.of(name, lowerValue, "X-Other", "o");
    McpHeaders higher = McpHeaders.of(higherName, higherValue);

    McpHeaders merged = lower.overriddenBy(higher);

    assertThat(merged.names()).containsExactly(higherName, "X-Other");
    assertThat(merged.get(name.toLowerCase(Locale.ROOT))).hasValue(higherValue);
    assertThat(merged.get(name.toUpperCase(Locale.ROOT))).hasValue(higherValue);
    assertThat(merged.size()).isEqualTo(2);
  }

  @Property
  void removalRemovesFromLowerLayersOnly(
      @ForAll("pooledNames") String name,
      @ForAll long seed,
      @ForAll("shortValues") String lowerValue,
      @ForAll("shortValues") String higherValue) {
    McpHeaders lower = McpHeaders.of(name, lowerValue);
    McpHeaders removal = McpHeaders.builder().remove(respell(name, seed)).build();
    McpHeaders higher = McpHeaders.of(respell(name, seed + 1), higherValue);

    assertThat(lower.overriddenBy(removal).contains(name)).isFalse();
    assertThat(lower.overriddenBy(removal).names()).isEmpty();
    // The removal does not block a layer above it.
    assertThat(lower.overriddenBy(removal).overriddenBy(higher).get(name)).hasValue(higherValue);
    assertThat(lower.overriddenBy(removal.overriddenBy(higher)).get(name)).hasValue(higherValue);
    // Nor does a removal below a set hide the set.
    assertThat(removal.overriddenBy(lower).get(name)).hasValue(lowerValue);
  }

  @Property
  void mergeIsAssociative(
      @ForAll("layers") McpHeaders a,
      @ForAll("layers") McpHeaders b,
      @ForAll("layers") McpHeaders c) {
    McpHeaders left = a.overriddenBy(b).overriddenBy(c);
    McpHeaders right = a.overriddenBy(b.overriddenBy(c));

    assertThat(left).isEqualTo(right);
    assertThat(HeaderArbitraries.exactEntries(left))
        .isEqualTo(HeaderArbitraries.exactEntries(right));
    assertThat(left.asMap()).containsExactlyEntriesOf(right.asMap());
  }

  @Property
  void mergeEqualsReferenceModelExactly(@ForAll("layerLists") List<List<Op>> layers) {
    McpHeaders merged = McpHeaders.empty();
    for (List<Op> layer : layers) {
      merged = merged.overriddenBy(HeaderArbitraries.build(layer));
    }
    assertThat(HeaderArbitraries.exactEntries(HeaderArbitraries.sendable(merged)))
        .isEqualTo(ReferenceMerge.of(layers));
  }

  @Property
  void emptyLayerIsANeutralElementOfMerge(@ForAll("layers") McpHeaders layer) {
    assertThat(layer.overriddenBy(McpHeaders.empty())).isSameAs(layer);
    assertThat(McpHeaders.empty().overriddenBy(layer)).isSameAs(layer);
  }

  // ---- equality and printing ----

  @Property
  void equalityIgnoresNameCaseAndOrder(
      @ForAll("distinctEntries") List<Tuple2<String, String>> entries, @ForAll long seed) {
    McpHeaders.Builder first = McpHeaders.builder();
    for (Tuple2<String, String> e : entries) {
      if (e.get2().isEmpty()) {
        first.remove(e.get1());
      } else {
        first.set(e.get1(), e.get2());
      }
    }
    List<Tuple2<String, String>> shuffled = new ArrayList<>(entries);
    Collections.shuffle(shuffled, new Random(seed));
    McpHeaders.Builder second = McpHeaders.builder();
    for (Tuple2<String, String> e : shuffled) {
      String name = respell(e.get1(), seed ^ e.get1().hashCode());
      if (e.get2().isEmpty()) {
        second.remove(name);
      } else {
        second.set(name, e.get2());
      }
    }
    McpHeaders a = first.build();
    McpHeaders b = second.build();

    assertThat(a).isEqualTo(b);
    assertThat(b).isEqualTo(a);
    assertThat(a.hashCode()).isEqualTo(b.hashCode());

    // A different value, or a set where the other removes, is a different instance.
    if (!entries.isEmpty()) {
      Tuple2<String, String> changed = entries.get(0);
      McpHeaders different =
          changed.get2().isEmpty()
              ? a.toBuilder().set(changed.get1(), "x").build()
              : a.toBuilder().set(changed.get1(), changed.get2() + "x").build();
      assertThat(a).isNotEqualTo(different);
      assertThat(a.toBuilder().remove(changed.get1()).build().equals(a))
          .isEqualTo(changed.get2().isEmpty());
    }
  }

  @Property
  void toStringRedactsEverySensitiveValue(
      @ForAll("sensitiveNames") String sensitive,
      @ForAll("secretValues") String secret,
      @ForAll("unprotectedNames") String plain,
      @ForAll("digits") String plainValue) {
    Assume.that(!sensitive.equalsIgnoreCase(plain));
    Assume.that(!sensitive.contains(secret) && !plain.contains(secret));
    McpHeaders headers = McpHeaders.of(plain, plainValue, sensitive, secret);

    String printed = headers.toString();

    assertThat(McpHeaders.isSensitive(sensitive)).isTrue();
    assertThat(printed).doesNotContain(secret).contains(sensitive + "=" + McpHeaders.REDACTED);
    if (!McpHeaders.isSensitive(plain)) {
      assertThat(printed).contains(plain + "=" + plainValue);
    }
  }

  @Property
  void aSecretValueIsRedactedWhateverItsHeaderName(
      @ForAll("unprotectedNames") String name,
      @ForAll("secretValues") String secret,
      @ForAll("layers") McpHeaders lower) {
    Assume.that(!name.contains(secret));
    McpHeaders secretLayer = McpHeaders.builder().setSecret(name, secret).build();

    for (McpHeaders merged :
        List.of(
            secretLayer,
            lower.overriddenBy(secretLayer),
            lower.overriddenBy(secretLayer).toBuilder().build(),
            McpHeaders.builder().setAll(secretLayer).build())) {
      assertThat(merged.isSecret(name)).isTrue();
      assertThat(merged.get(name)).hasValue(secret);
      assertThat(merged.toString())
          .doesNotContain(secret)
          .contains(name + "=" + McpHeaders.REDACTED);
    }
  }

  @Property
  void theSecretMarkFollowsTheValueThatWins(
      @ForAll("pooledNames") String name,
      @ForAll("shortValues") String secret,
      @ForAll("digits") String plain,
      @ForAll boolean secretIsHigher,
      @ForAll boolean viaMerge) {
    Assume.that(!McpHeaders.isSensitive(name));
    McpHeaders secretLayer = McpHeaders.builder().setSecret(name, secret).build();
    McpHeaders plainLayer = McpHeaders.of(name, plain);
    McpHeaders low = secretIsHigher ? plainLayer : secretLayer;
    McpHeaders high = secretIsHigher ? secretLayer : plainLayer;

    McpHeaders merged =
        viaMerge ? McpHeaders.builder().setAll(low).setAll(high).build() : low.overriddenBy(high);

    assertThat(merged.isSecret(name)).isEqualTo(secretIsHigher);
    assertThat(merged.toString().contains(name + "=" + plain)).isEqualTo(!secretIsHigher);
    // Whether a value is marked secret is no part of equality.
    assertThat(secretLayer).isEqualTo(McpHeaders.of(name, secret));
    assertThat(McpHeaders.builder().setSecret(name, secret).remove(name).build().isSecret(name))
        .isFalse();
  }

  @Property
  void laterSetOfTheSameNameReplacesTheEarlierAndKeepsItsPosition(
      @ForAll("pooledNames") String name,
      @ForAll long seed,
      @ForAll("shortValues") String first,
      @ForAll("shortValues") String second) {
    Assume.that(!name.equalsIgnoreCase("X-Before"));
    String respelled = respell(name, seed);
    McpHeaders headers = McpHeaders.of("X-Before", "b", name, first, respelled, second);
    assertThat(headers.names()).containsExactly("X-Before", respelled);
    assertThat(headers.get(name)).hasValue(second);
  }

  // ---- generators ----

  @Provide
  Arbitrary<String> invalidNames() {
    return HeaderArbitraries.invalidNames();
  }

  @Provide
  Arbitrary<String> invalidValues() {
    return HeaderArbitraries.invalidValues();
  }

  @Provide
  Arbitrary<String> unprotectedNames() {
    return HeaderArbitraries.unprotectedNames();
  }

  @Provide
  Arbitrary<String> validValues() {
    return HeaderArbitraries.validValues();
  }

  @Provide
  Arbitrary<String> protectedNames() {
    return HeaderArbitraries.protectedNames();
  }

  @Provide
  Arbitrary<String> protectedOrNot() {
    return Arbitraries.oneOf(
        HeaderArbitraries.protectedNames(),
        HeaderArbitraries.tokens(),
        HeaderArbitraries.pooledNames(),
        // near misses: a protected name with a character added, dropped or replaced by one that
        // differs in the case bit only (CR for '-', '@' for '`', ...) or folds to ASCII in Unicode
        HeaderArbitraries.protectedNames().map(n -> n + "x"),
        HeaderArbitraries.protectedNames().map(n -> n.substring(1)),
        Combinators.combine(
                HeaderArbitraries.protectedNames(),
                Arbitraries.integers().between(0, 100),
                Arbitraries.of('\r', '\u0000', '@', '`', '\u212a', '\u0130', '\u0131', '\u017f'))
            .as(
                (n, at, c) -> {
                  StringBuilder out = new StringBuilder(n);
                  out.setCharAt(at % n.length(), c);
                  return out.toString();
                }),
        Arbitraries.strings().ofMaxLength(20));
  }

  @Provide
  Arbitrary<String> sensitiveNames() {
    return HeaderArbitraries.sensitiveNames();
  }

  @Provide
  Arbitrary<String> pooledNames() {
    return HeaderArbitraries.pooledNames();
  }

  @Provide
  Arbitrary<String> shortValues() {
    return Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(10);
  }

  @Provide
  Arbitrary<String> digits() {
    return Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(10);
  }

  /** Secrets: at least one letter, so a digits-only value never contains one. */
  @Provide
  Arbitrary<String> secretValues() {
    return Combinators.combine(
            Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(4),
            Arbitraries.strings().withCharRange('!', '~').ofMinLength(8).ofMaxLength(30))
        .as((letters, rest) -> letters + rest);
  }

  @Provide
  Arbitrary<McpHeaders> layers() {
    return HeaderArbitraries.layers();
  }

  @Provide
  Arbitrary<List<List<Op>>> layerLists() {
    return HeaderArbitraries.layerOps().list().ofMaxSize(6);
  }

  /** Entries with distinct names (ignoring case); an empty value stands for a removal. */
  @Provide
  Arbitrary<List<Tuple2<String, String>>> distinctEntries() {
    Arbitrary<Tuple2<String, String>> entry =
        Combinators.combine(
                HeaderArbitraries.tokens(),
                Arbitraries.oneOf(Arbitraries.just(""), HeaderArbitraries.validValues()))
            .as(Tuple::of);
    return entry.list().ofMaxSize(8).uniqueElements(e -> e.get1().toLowerCase(Locale.ROOT));
  }

  static String respell(String name, long seed) {
    Random random = new Random(seed);
    StringBuilder out = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      out.append(random.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
    }
    return out.toString();
  }

  @FunctionalInterface
  interface ThrowingAction {
    void run() throws Exception;
  }
}
