package io.github.mcprunner.headers.config.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.headers.config.HeaderConfigException;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;
import org.slf4j.LoggerFactory;

class ValueResolverProperties {

  private static ValueResolver resolver(Map<String, String> env, Map<String, String> sys) {
    return new ValueResolver(
        env,
        sys,
        new InputFiles(
            new InputFiles.PermissionWarnings(
                LoggerFactory.getLogger(ValueResolverProperties.class))));
  }

  private static String escape(String literal) {
    return literal.replace("${", "$${");
  }

  @Property(tries = 2000)
  void escapingEveryReferenceOpenerYieldsTheLiteralText(@ForAll("hostileText") String text) {
    assertThat(resolver(Map.of(), Map.of()).resolve(escape(text), null, "here")).isEqualTo(text);
  }

  @Property(tries = 1000)
  void textWithoutReferenceOpenerIsLeftAsItIs(@ForAll("hostileText") String text) {
    String plain = text.replace("${", "$ {");
    assertThat(resolver(Map.of(), Map.of()).resolve(plain, null, "here")).isEqualTo(plain);
  }

  @Property(tries = 1000)
  void environmentAndSystemReferencesResolveToTheValuesTheyName(
      @ForAll("names") String envName,
      @ForAll("names") String sysName,
      @ForAll("hostileText") String envValue,
      @ForAll("hostileText") String sysValue,
      @ForAll("hostileText") String before,
      @ForAll("hostileText") String between,
      @ForAll("hostileText") String after) {
    String raw =
        escape(before)
            + "${env:"
            + envName
            + "}"
            + escape(between)
            + "${sys:"
            + sysName
            + "}"
            + escape(after);

    String resolved =
        resolver(Map.of(envName, envValue), Map.of(sysName, sysValue)).resolve(raw, null, "here");

    assertThat(resolved).isEqualTo(before + envValue + between + sysValue + after);
  }

  @Property(tries = 500)
  void resolvedTextIsNeverResolvedAgain(
      @ForAll("names") String name, @ForAll("names") String other) {
    Assume.that(!name.equals(other));
    String value = "${env:" + other + "} and $${ and ${file:/etc/passwd}";
    assertThat(
            resolver(Map.of(name, value, other, "must-not-appear"), Map.of())
                .resolve("${env:" + name + "}", null, "here"))
        .isEqualTo(value);
  }

  @Property(tries = 1000)
  void nestedReferencesAreRefusedWithoutEchoingTheValue(
      @ForAll("hostileText") String secret, @ForAll("names") String name) {
    String raw = "SECRET" + escape(secret) + "${env:${env:" + name + "}}";
    assertThatThrownBy(() -> resolver(Map.of(name, "x"), Map.of()).resolve(raw, null, "here"))
        .isInstanceOf(HeaderConfigException.class)
        .hasMessageStartingWith("here: the reference at index")
        .hasMessageContaining("do not nest")
        .hasMessageNotContaining("SECRET");
  }

  @Property(tries = 1000)
  void unterminatedReferencesAreRefusedWithoutEchoingTheValue(
      @ForAll("hostileText") String secret) {
    String raw = "SECRET" + escape(secret) + "${env:" + secret.replace("}", "").replace("$", "");
    assertThatThrownBy(() -> resolver(Map.of(), Map.of()).resolve(raw, null, "here"))
        .isInstanceOf(HeaderConfigException.class)
        .hasMessageContaining("has no closing '}'")
        .hasMessageNotContaining("SECRET");
  }

  @Property(tries = 1000)
  void unknownReferenceTypesAreRefusedWithoutEchoingTheValue(@ForAll("hostileText") String secret) {
    String inside = secret.replace("}", "").replace("$", "");
    String raw = "SECRET" + escape(secret) + "${SECRET" + inside + "}";
    assertThatThrownBy(() -> resolver(Map.of(), Map.of()).resolve(raw, null, "here"))
        .isInstanceOf(HeaderConfigException.class)
        .hasMessageContaining("is not ${env:NAME}, ${sys:name} or ${file:path}")
        .hasMessageNotContaining("SECRET");
  }

  @Property(tries = 20)
  void veryLongValuesResolve(
      @ForAll @StringLength(min = 50_000, max = 200_000) String text,
      @ForAll("names") String name) {
    String raw = escape(text) + "${env:" + name + "}" + escape(text);
    assertThat(resolver(Map.of(name, text), Map.of()).resolve(raw, null, "here"))
        .isEqualTo(text + text + text);
  }

  /**
   * Text that may hold every character, but does not end in {@code $}: a literal {@code $} right
   * before a reference cannot be written ({@code $${} is the escape of {@code ${}).
   */
  @Provide
  Arbitrary<String> hostileText() {
    return Arbitraries.oneOf(
            Arbitraries.strings()
                .withChars("${}:\\\r\n\0\t %=,é\u2028\uD83D\uDE00abc")
                .ofMaxLength(30),
            Arbitraries.strings().all().ofMaxLength(30))
        .filter(text -> !text.endsWith("$"));
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.strings()
        .withCharRange('A', 'Z')
        .withCharRange('a', 'z')
        .withChars("_.-/ \u00e9\n")
        .ofMinLength(1)
        .ofMaxLength(20);
  }
}
