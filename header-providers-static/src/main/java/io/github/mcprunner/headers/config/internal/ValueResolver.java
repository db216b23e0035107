package io.github.mcprunner.headers.config.internal;

import io.github.mcprunner.headers.config.HeaderConfigException;
import io.github.mcprunner.headers.config.SettingReader;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Replaces the references in a configured value by what they name: {@code ${env:NAME}} (an
 * environment variable), {@code ${sys:name}} (a system property), {@code ${file:path}} (the trimmed
 * content of a file, e.g. a mounted secret). <code>$${</code> stands for a literal <code>${</code>.
 * Resolved text is never resolved again, and references do not nest. Errors name the reference,
 * never the value. Not public API.
 */
public final class ValueResolver {

  /** The largest secret file read, in bytes. */
  public static final int MAX_SECRET_FILE_BYTES = SettingReader.MAX_SECRET_FILE_BYTES;

  private final Map<String, String> environment;
  private final Map<String, String> systemProperties;
  private final InputFiles files;

  /**
   * Creates a resolver for one load.
   *
   * @param files records the secret files read, for change detection
   */
  public ValueResolver(
      Map<String, String> environment, Map<String, String> systemProperties, InputFiles files) {
    this.environment = environment;
    this.systemProperties = systemProperties;
    this.files = files;
  }

  /**
   * A resolved value.
   *
   * @param text the value
   * @param secret whether any of it came from a reference ({@code ${env:}}, {@code ${sys:}}, {@code
   *     ${file:}}): such a value is secret wherever it goes ({@link
   *     io.github.mcprunner.headers.McpHeaders.Builder#setSecret}), whatever its header's name
   */
  public record Resolved(String text, boolean secret) {
    /** Returns the text only; never the value. */
    @Override
    public String toString() {
      return "Resolved{secret=" + secret + "}";
    }
  }

  /**
   * Returns {@code raw} with its references resolved.
   *
   * @param baseDir the directory relative {@code ${file:}} paths are resolved against; {@code null}
   *     for the working directory
   * @param where names the value in errors, e.g. {@code "Header configuration file 'h.properties'
   *     line 3, key 'headers.X-Api-Key'"}
   * @throws HeaderConfigException naming {@code where} and the reference, never the value
   */
  public String resolve(String raw, @Nullable Path baseDir, String where) {
    return resolveValue(raw, baseDir, where).text();
  }

  /**
   * Returns {@code raw} with its references resolved, and whether it holds resolved text.
   *
   * @see #resolve(String, Path, String)
   */
  public Resolved resolveValue(String raw, @Nullable Path baseDir, String where) {
    if (raw.indexOf('$') < 0) {
      return new Resolved(raw, false);
    }
    boolean secret = false;
    StringBuilder out = new StringBuilder(raw.length());
    int i = 0;
    while (i < raw.length()) {
      if (raw.startsWith("$${", i)) {
        out.append("${");
        i += 3;
      } else if (raw.startsWith("${", i)) {
        int close = -1;
        for (int j = i + 2; j < raw.length(); j++) {
          if (raw.startsWith("${", j)) {
            throw new HeaderConfigException(
                where
                    + ": the reference at index "
                    + i
                    + " holds another '${'; references do not nest (write $${ for a literal ${)");
          }
          if (raw.charAt(j) == '}') {
            close = j;
            break;
          }
        }
        if (close < 0) {
          throw new HeaderConfigException(
              where
                  + ": the reference at index "
                  + i
                  + " has no closing '}' (write $${ for a literal ${)");
        }
        out.append(lookUp(raw.substring(i + 2, close), i, baseDir, where));
        secret = true;
        i = close + 1;
      } else {
        out.append(raw.charAt(i));
        i++;
      }
    }
    return new Resolved(out.toString(), secret);
  }

  private String lookUp(String reference, int index, @Nullable Path baseDir, String where) {
    int colon = reference.indexOf(':');
    String type = colon < 0 ? "" : reference.substring(0, colon);
    String name = colon < 0 ? "" : reference.substring(colon + 1);
    if (name.isEmpty() || !(type.equals("env") || type.equals("sys") || type.equals("file"))) {
      throw new HeaderConfigException(
          where
              + ": the reference at index "
              + index
              + " is not ${env:NAME}, ${sys:name} or ${file:path} (write $${ for a literal ${)");
    }
    String shown = "${" + type + ":" + name + "}";
    switch (type) {
      case "env":
        return require(environment.get(name), where, shown, "an environment variable");
      case "sys":
        return require(systemProperties.get(name), where, shown, "a system property");
      default:
        return readSecret(name, baseDir, where, shown);
    }
  }

  private static String require(
      @Nullable String value, String where, String shown, String description) {
    if (value == null) {
      throw new HeaderConfigException(
          where + ": " + quoteReference(shown) + " names " + description + " that is not set");
    }
    return value;
  }

  private String readSecret(String name, @Nullable Path baseDir, String where, String shown) {
    Path path;
    try {
      path = baseDir == null ? Path.of(name) : baseDir.resolve(name);
    } catch (InvalidPathException e) {
      throw new HeaderConfigException(
          where + ": " + quoteReference(shown) + " is not a valid file path");
    }
    try {
      return files.read(path, "Secret file", MAX_SECRET_FILE_BYTES).strip();
    } catch (NoSuchFileException e) {
      throw new HeaderConfigException(
          where + ": " + quoteReference(shown) + " names a file that does not exist");
    } catch (AccessDeniedException e) {
      throw new HeaderConfigException(
          where + ": " + quoteReference(shown) + " names a file this process may not read");
    } catch (InputFiles.NotRegularFileException e) {
      throw new HeaderConfigException(
          where + ": " + quoteReference(shown) + " names something that is not a regular file");
    } catch (InputFiles.TooLargeException e) {
      throw new HeaderConfigException(
          where
              + ": "
              + quoteReference(shown)
              + " names a file larger than "
              + MAX_SECRET_FILE_BYTES
              + " bytes");
    } catch (IOException e) {
      throw new HeaderConfigException(
          where
              + ": "
              + quoteReference(shown)
              + " names a file that cannot be read ("
              + e.getClass().getSimpleName()
              + ")");
    }
  }

  private static String quoteReference(String shown) {
    // Strip the quotes SafeText adds: the reference is recognisable as it is.
    String quoted = SafeText.quote(shown);
    return quoted.substring(1, quoted.length() - 1);
  }
}
