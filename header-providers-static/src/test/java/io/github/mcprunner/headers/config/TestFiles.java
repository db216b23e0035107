package io.github.mcprunner.headers.config;

import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpServerRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/** Writes configuration files the way a deployment does, and builds contexts. */
final class TestFiles {
  private TestFiles() {}

  /**
   * Replaces {@code file} atomically (write a sibling, then rename), readable by its owner only.
   */
  static Path writeAtomically(Path file, String content) {
    try {
      Path temp = Files.createTempFile(file.getParent(), ".tmp-", ".properties");
      Files.writeString(temp, content, StandardCharsets.UTF_8);
      ownerOnly(temp);
      return Files.move(
          temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code lines} to {@code file}, readable by its owner only. */
  static Path write(Path file, String... lines) {
    return writeAtomically(file, String.join("\n", lines) + "\n");
  }

  static void ownerOnly(Path file) {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException | IOException e) {
      // not a POSIX file system
    }
  }

  /** Escapes {@code text} for a properties file (key or value), every character kept. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        case '\f':
          out.append("\\f");
          break;
        case ' ':
        case '=':
        case ':':
        case '#':
        case '!':
          out.append('\\').append(c);
          break;
        default:
          if (c < 0x20 || c > 0x7e) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    return out.toString();
  }

  static HeaderContext context(String server, String uri) {
    return HeaderContext.builder(McpServerRef.of(server, uri)).build();
  }

  static HeaderContext tenantContext(String tenant) {
    return HeaderContext.builder(McpServerRef.of("crm", "https://crm.example.com/mcp"))
        .put(ContextKey.TENANT_ID, tenant)
        .build();
  }

  static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
