package io.github.mcprunner.headers.config.internal;

import io.github.mcprunner.headers.config.HeaderConfigException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Reads a configuration file into properties entries. Not public API. */
public final class ConfigFiles {

  /** The largest configuration file read, in bytes. */
  public static final int MAX_FILE_BYTES = 16 * 1024 * 1024;

  private ConfigFiles() {}

  /**
   * Returns the description of {@code path} used in messages, e.g. {@code "Header configuration
   * file 'conf/headers.properties'"}.
   */
  public static String describe(String kind, Path path) {
    return kind + " file " + SafeText.quote(path.toString());
  }

  /**
   * Reads and parses {@code path} (UTF-8), recording it in {@code files}.
   *
   * @param kind e.g. {@code "Header configuration"}, for messages
   * @throws HeaderConfigException if the file cannot be read or parsed
   */
  public static List<PropertiesParser.Entry> read(InputFiles files, Path path, String kind) {
    String description = describe(kind, path);
    String text;
    try {
      text = files.read(path, kind + " file", MAX_FILE_BYTES);
    } catch (NoSuchFileException e) {
      throw new HeaderConfigException(description + " does not exist");
    } catch (AccessDeniedException e) {
      throw new HeaderConfigException(description + " may not be read by this process");
    } catch (InputFiles.NotRegularFileException e) {
      throw new HeaderConfigException(description + " is not a regular file");
    } catch (InputFiles.TooLargeException e) {
      throw new HeaderConfigException(description + " is larger than " + MAX_FILE_BYTES + " bytes");
    } catch (IOException e) {
      throw new HeaderConfigException(
          description + " cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    return PropertiesParser.parse(text, description);
  }
}
