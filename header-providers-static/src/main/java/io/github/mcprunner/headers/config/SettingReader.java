package io.github.mcprunner.headers.config;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Reads the values of provider settings (system properties, environment variables, entries of a
 * configuration file): durations, booleans, whole numbers, absolute URIs, lists, secret files and
 * PEM private keys. The one reader of the header provider modules ({@code header-providers-static}
 * and {@code header-providers-oauth}), so that a setting is written and refused the same way in
 * both.
 *
 * <p>Every method names the setting in its error, as the caller describes it (e.g. {@code "system
 * property 'mcprunner.headers.reload.interval'"}), and <b>never</b> the value: each failure is a
 * {@link HeaderConfigException} with the message {@code "<setting>: <what is wrong>"}.
 *
 * <p>Files are read only when they are regular files (symbolic links followed, as Kubernetes mounts
 * secrets), so that a FIFO or a device never blocks the reading thread, and up to a size bound.
 */
public final class SettingReader {

  /** The largest secret or key file read, in bytes. */
  public static final int MAX_SECRET_FILE_BYTES = 64 * 1024;

  private static final String PEM_BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String PEM_END = "-----END PRIVATE KEY-----";

  private SettingReader() {}

  /**
   * Parses a duration: a whole number with a unit {@code ms}, {@code s}, {@code m} or {@code h}
   * ({@code 500ms}, {@code 10s}), a whole number in {@code unitWithoutSuffix}, or ISO-8601 ({@code
   * PT1M}). Negative durations are refused.
   *
   * @throws HeaderConfigException naming {@code setting}
   */
  public static Duration duration(String text, String setting, ChronoUnit unitWithoutSuffix) {
    requireNonNull(unitWithoutSuffix, "unitWithoutSuffix");
    String lower = text.strip().toLowerCase(Locale.ROOT);
    int digits = 0;
    while (digits < lower.length() && lower.charAt(digits) >= '0' && lower.charAt(digits) <= '9') {
      digits++;
    }
    if (digits > 0 && digits <= 12) {
      long amount = Long.parseLong(lower.substring(0, digits));
      switch (lower.substring(digits).strip()) {
        case "":
          return Duration.of(amount, unitWithoutSuffix);
        case "ms":
          return Duration.ofMillis(amount);
        case "s":
          return Duration.ofSeconds(amount);
        case "m":
          return Duration.ofMinutes(amount);
        case "h":
          return Duration.ofHours(amount);
        default:
          break;
      }
    } else if (lower.startsWith("pt") || lower.startsWith("p")) {
      try {
        Duration parsed = Duration.parse(text.strip());
        if (!parsed.isNegative()) {
          return parsed;
        }
      } catch (DateTimeParseException e) {
        // refused below
      }
    }
    throw new HeaderConfigException(
        setting + ": expected a duration such as 10s, 500ms, 1m, 1h or PT1M");
  }

  /**
   * Parses {@code true} or {@code false}, in any case.
   *
   * @throws HeaderConfigException naming {@code setting}
   */
  public static boolean bool(String text, String setting) {
    String lower = text.strip().toLowerCase(Locale.ROOT);
    if (lower.equals("true")) {
      return true;
    }
    if (lower.equals("false")) {
      return false;
    }
    throw new HeaderConfigException(setting + ": expected true or false");
  }

  /**
   * Parses a whole number of at least {@code min}.
   *
   * @throws HeaderConfigException naming {@code setting}
   */
  public static long wholeNumber(String text, String setting, long min) {
    try {
      long n = Long.parseLong(text.strip());
      if (n >= min) {
        return n;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new HeaderConfigException(setting + ": expected a whole number of at least " + min);
  }

  /**
   * Parses an absolute URI.
   *
   * @throws HeaderConfigException naming {@code setting}
   */
  public static URI absoluteUri(String text, String setting) {
    try {
      URI uri = new URI(text.strip());
      if (uri.isAbsolute()) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // refused below
    }
    throw new HeaderConfigException(setting + ": expected an absolute URI");
  }

  /** Splits a comma-separated list, items trimmed, empty items dropped. */
  public static List<String> list(String text) {
    List<String> out = new ArrayList<>();
    for (String part : text.split(",")) {
      if (!part.isBlank()) {
        out.add(part.strip());
      }
    }
    return List.copyOf(out);
  }

  /**
   * Returns a path named by a setting.
   *
   * @throws HeaderConfigException naming {@code setting} if it is not a valid path
   */
  public static Path path(String text, String setting) {
    try {
      return Path.of(text.strip());
    } catch (InvalidPathException e) {
      throw new HeaderConfigException(setting + ": not a valid file path");
    }
  }

  /**
   * Returns the content of a secret file (a mounted secret): UTF-8, a byte-order mark dropped,
   * stripped of surrounding white space, not empty, at most {@value #MAX_SECRET_FILE_BYTES} bytes.
   *
   * @param setting names the setting that names the file
   * @throws HeaderConfigException naming {@code setting} if the file is missing, not a regular
   *     file, unreadable, too large or empty
   */
  public static String secretFile(Path path, String setting) {
    String text = new String(readFile(path, setting), StandardCharsets.UTF_8);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    text = text.strip();
    if (text.isEmpty()) {
      throw new HeaderConfigException(setting + ": the file it names is empty");
    }
    return text;
  }

  /**
   * Returns the unencrypted PKCS#8 private key ({@code -----BEGIN PRIVATE KEY-----}), RSA or EC, in
   * the PEM file at {@code path}.
   *
   * @throws HeaderConfigException naming {@code setting} if the file cannot be read or holds no
   *     such key (never quoting the key)
   */
  public static PrivateKey pemPrivateKeyFile(Path path, String setting) {
    byte[] content = readFile(path, setting);
    try {
      return pemPrivateKey(new String(content, StandardCharsets.US_ASCII), setting);
    } finally {
      Arrays.fill(content, (byte) 0);
    }
  }

  /**
   * Returns the unencrypted PKCS#8 private key, RSA or EC, in the PEM text {@code pem}.
   *
   * @throws HeaderConfigException naming {@code setting} if it holds no such key (never quoting it)
   */
  public static PrivateKey pemPrivateKey(String pem, String setting) {
    int begin = pem.indexOf(PEM_BEGIN);
    int end = pem.indexOf(PEM_END);
    if (begin < 0 || end < begin) {
      if (pem.contains("-----BEGIN RSA PRIVATE KEY-----")
          || pem.contains("-----BEGIN EC PRIVATE KEY-----")
          || pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
        throw new HeaderConfigException(
            setting
                + ": private key must be unencrypted PKCS#8 (BEGIN PRIVATE KEY); convert it with"
                + " 'openssl pkcs8 -topk8 -nocrypt'");
      }
      throw new HeaderConfigException(setting + ": no PEM private key (BEGIN PRIVATE KEY) found");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(pem.substring(begin + PEM_BEGIN.length(), end));
    } catch (IllegalArgumentException e) {
      throw new HeaderConfigException(setting + ": PEM private key is not valid base64");
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
      throw new HeaderConfigException(
          setting + ": PEM private key is neither an RSA nor an EC key");
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  private static byte[] readFile(Path path, String setting) {
    String problem;
    try {
      BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
      if (!attributes.isRegularFile()) {
        throw new HeaderConfigException(setting + ": the file it names is not a regular file");
      }
      byte[] content;
      try (InputStream in = Files.newInputStream(path)) {
        content = in.readNBytes(MAX_SECRET_FILE_BYTES + 1);
      }
      if (content.length > MAX_SECRET_FILE_BYTES) {
        Arrays.fill(content, (byte) 0);
        throw new HeaderConfigException(
            setting + ": the file it names is larger than " + MAX_SECRET_FILE_BYTES + " bytes");
      }
      return content;
    } catch (NoSuchFileException e) {
      problem = "does not exist";
    } catch (AccessDeniedException e) {
      problem = "may not be read by this process";
    } catch (IOException e) {
      problem = "cannot be read (" + e.getClass().getSimpleName() + ")";
    }
    throw new HeaderConfigException(setting + ": the file it names " + problem);
  }
}
