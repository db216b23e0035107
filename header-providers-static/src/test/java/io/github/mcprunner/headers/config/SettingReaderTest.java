package io.github.mcprunner.headers.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingReaderTest {

  @TempDir Path dir;

  @Test
  void durationsWithUnitsWithoutAUnitAndIso() {
    assertThat(SettingReader.duration("500ms", "s", ChronoUnit.SECONDS)).hasMillis(500);
    assertThat(SettingReader.duration(" 10S ", "s", ChronoUnit.SECONDS)).hasSeconds(10);
    assertThat(SettingReader.duration("2m", "s", ChronoUnit.SECONDS)).hasMinutes(2);
    assertThat(SettingReader.duration("1h", "s", ChronoUnit.SECONDS)).hasHours(1);
    assertThat(SettingReader.duration("7", "s", ChronoUnit.SECONDS)).hasSeconds(7);
    assertThat(SettingReader.duration("7", "s", ChronoUnit.MILLIS)).hasMillis(7);
    assertThat(SettingReader.duration("PT1M30S", "s", ChronoUnit.MILLIS))
        .isEqualTo(Duration.ofSeconds(90));
    for (String bad : List.of("soon", "-1s", "10 parsecs", "PT-1S", "", "1234567890123s")) {
      assertThatThrownBy(() -> SettingReader.duration(bad, "setting 'x'", ChronoUnit.SECONDS))
          .isInstanceOf(HeaderConfigException.class)
          .hasMessage("setting 'x': expected a duration such as 10s, 500ms, 1m, 1h or PT1M");
    }
  }

  @Test
  void booleansNumbersUrisAndLists() {
    assertThat(SettingReader.bool("TRUE", "b")).isTrue();
    assertThat(SettingReader.bool(" false", "b")).isFalse();
    assertThatThrownBy(() -> SettingReader.bool("yes", "b"))
        .isInstanceOf(HeaderConfigException.class)
        .hasMessage("b: expected true or false");
    assertThat(SettingReader.wholeNumber("42", "n", 1)).isEqualTo(42);
    assertThatThrownBy(() -> SettingReader.wholeNumber("0", "n", 1))
        .hasMessage("n: expected a whole number of at least 1");
    assertThat(SettingReader.absoluteUri("https://a.test/x", "u"))
        .isEqualTo(URI.create("https://a.test/x"));
    assertThatThrownBy(() -> SettingReader.absoluteUri("/relative", "u"))
        .hasMessage("u: expected an absolute URI");
    assertThat(SettingReader.list(" a, ,b ,")).containsExactly("a", "b");
  }

  @Test
  void secretFilesAreRegularBoundedStrippedAndNotEmpty() throws Exception {
    Path secret = dir.resolve("secret");
    Files.writeString(secret, "\uFEFF s3cret-value \n", StandardCharsets.UTF_8);
    assertThat(SettingReader.secretFile(secret, "f")).isEqualTo("s3cret-value");

    Files.writeString(secret, " \n");
    assertThatThrownBy(() -> SettingReader.secretFile(secret, "f"))
        .isInstanceOf(HeaderConfigException.class)
        .hasMessage("f: the file it names is empty");
    Files.write(secret, new byte[SettingReader.MAX_SECRET_FILE_BYTES + 1]);
    assertThatThrownBy(() -> SettingReader.secretFile(secret, "f"))
        .hasMessage("f: the file it names is larger than 65536 bytes");
    assertThatThrownBy(() -> SettingReader.secretFile(dir.resolve("missing"), "f"))
        .hasMessage("f: the file it names does not exist");
    assertThatThrownBy(() -> SettingReader.secretFile(dir, "f"))
        .hasMessage("f: the file it names is not a regular file");

    Path fifo = dir.resolve("fifo");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    Assumptions.assumeTrue(mkfifo.waitFor() == 0 && Files.exists(fifo), "mkfifo available");
    assertThatThrownBy(() -> SettingReader.secretFile(fifo, "f"))
        .hasMessage("f: the file it names is not a regular file");
  }

  @Test
  void pemPrivateKeysRsaAndEcWithoutQuotingThem() throws Exception {
    for (String algorithm : List.of("RSA", "EC")) {
      KeyPair pair = KeyPairGenerator.getInstance(algorithm).generateKeyPair();
      Path file = dir.resolve(algorithm + ".pem");
      Files.writeString(file, pem(pair.getPrivate().getEncoded()));
      assertThat(SettingReader.pemPrivateKeyFile(file, "k")).isEqualTo(pair.getPrivate());
    }
    assertThatThrownBy(
            () ->
                SettingReader.pemPrivateKey(
                    "-----BEGIN RSA PRIVATE KEY-----\nQUJD\n-----END RSA PRIVATE KEY-----", "k"))
        .isInstanceOf(HeaderConfigException.class)
        .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt")
        .hasMessageNotContaining("QUJD");
    assertThatThrownBy(
            () ->
                SettingReader.pemPrivateKey(
                    "-----BEGIN PRIVATE KEY-----\nQUJD\n-----END PRIVATE KEY-----", "k"))
        .hasMessage("k: PEM private key is neither an RSA nor an EC key");
  }

  private static String pem(byte[] der) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(der)
        + "\n-----END PRIVATE KEY-----\n";
  }
}
