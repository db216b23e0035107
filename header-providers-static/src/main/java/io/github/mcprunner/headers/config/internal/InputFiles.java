package io.github.mcprunner.headers.config.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * The files one load of a configuration reads (the configuration file and the secret files its
 * values reference), with a fingerprint of their content, so that a later check can tell whether
 * any of them changed. Warns once per path about files every user may read. Not thread-safe: one
 * instance per load. Not public API.
 */
public final class InputFiles {

  /** Remembers which paths were already warned about; one per provider, thread-safe. */
  public static final class PermissionWarnings {
    private final Set<Path> warned = ConcurrentHashMap.newKeySet();
    private final Logger log;

    /** Creates the memory, warning through {@code log}. */
    public PermissionWarnings(Logger log) {
      this.log = log;
    }

    void check(Path path, String what) {
      Set<PosixFilePermission> permissions;
      try {
        permissions = Files.getPosixFilePermissions(path);
      } catch (UnsupportedOperationException | IOException e) {
        return; // not a POSIX file system: nothing to check
      }
      if (permissions.contains(PosixFilePermission.OTHERS_READ)
          && warned.add(path.toAbsolutePath().normalize())) {
        log.warn(
            "{} {} is readable by every user of the machine (permissions {}); make it readable by"
                + " its owner only",
            what,
            SafeText.quote(path.toString()),
            PosixFilePermissions.toString(permissions));
      }
    }
  }

  /**
   * A file read by a load.
   *
   * @param path the file
   * @param maxBytes the largest content accepted
   */
  public record Input(Path path, int maxBytes) {}

  private final List<Input> inputs = new ArrayList<>();
  private final MessageDigest digest = newDigest();
  private final PermissionWarnings warnings;

  /** Creates an empty record for one load. */
  public InputFiles(PermissionWarnings warnings) {
    this.warnings = warnings;
  }

  /**
   * Reads {@code path} as UTF-8 (a byte-order mark at its start is dropped), recording it (or its
   * absence) in the fingerprint.
   *
   * @param what describes the file in warnings, e.g. {@code "Header configuration file"}
   * @param maxBytes the largest content accepted
   * @throws NoSuchFileException if it does not exist
   * @throws TooLargeException if it holds more than {@code maxBytes}
   * @throws NotRegularFileException if it is not a regular file (a FIFO, a directory)
   * @throws IOException if it cannot be read
   */
  public String read(Path path, String what, int maxBytes) throws IOException {
    inputs.add(new Input(path, maxBytes));
    byte[] content;
    try {
      content = readAtMost(path, maxBytes);
    } catch (IOException e) {
      update(digest, path, null, e);
      throw e;
    }
    update(digest, path, content, null);
    if (content.length > maxBytes) {
      throw new TooLargeException(maxBytes);
    }
    warnings.check(path, what);
    String text = new String(content, StandardCharsets.UTF_8);
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  /** Returns the files read, in order. */
  public List<Input> inputs() {
    return List.copyOf(inputs);
  }

  /** Returns the fingerprint of everything read. */
  public byte[] fingerprint() {
    try {
      return ((MessageDigest) digest.clone()).digest();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 digest cannot be cloned", e);
    }
  }

  /**
   * Returns the fingerprint {@code inputs} have now: equal to {@link #fingerprint()} of the load
   * that read them exactly when none of them changed (content, existence or readability).
   */
  public static byte[] fingerprintNow(List<Input> inputs) {
    MessageDigest digest = newDigest();
    for (Input input : inputs) {
      try {
        update(digest, input.path(), readAtMost(input.path(), input.maxBytes()), null);
      } catch (IOException e) {
        update(digest, input.path(), null, e);
      }
    }
    return digest.digest();
  }

  /** The file holds more than the limit. */
  public static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLargeException(int maxBytes) {
      super("larger than " + maxBytes + " bytes");
    }
  }

  /** The path names something else than a regular file (a directory, a FIFO, a device). */
  public static final class NotRegularFileException extends IOException {
    private static final long serialVersionUID = 1L;

    NotRegularFileException() {
      super("not a regular file");
    }
  }

  private static byte[] readAtMost(Path path, int maxBytes) throws IOException {
    // Only regular files (symbolic links followed, as Kubernetes mounts secrets): opening a FIFO
    // would block the loading thread, the shared reload thread included, until a writer appears.
    BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
    if (!attributes.isRegularFile()) {
      throw new NotRegularFileException();
    }
    try (InputStream in = Files.newInputStream(path)) {
      return in.readNBytes(maxBytes + 1);
    }
  }

  private static void update(
      MessageDigest digest, Path path, byte @Nullable [] content, @Nullable IOException failure) {
    digest.update(path.toString().getBytes(StandardCharsets.UTF_8));
    digest.update((byte) 0);
    if (content != null) {
      digest.update((byte) 1);
      digest.update(Integer.toString(content.length).getBytes(StandardCharsets.US_ASCII));
      digest.update((byte) 0);
      digest.update(content);
    } else {
      digest.update((byte) 2);
      // No content means the read failed: the caller passes one or the other.
      String kind =
          failure instanceof NoSuchFileException
              ? "missing"
              : requireNonNull(failure, "failure").getClass().getName();
      digest.update(kind.getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
    }
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
