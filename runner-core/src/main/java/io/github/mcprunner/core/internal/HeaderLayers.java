package io.github.mcprunner.core.internal;

import io.github.mcprunner.headers.InvalidMcpHeaderException;
import io.github.mcprunner.headers.McpHeaders;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The precedence chain's machinery over {@link McpHeaders} layers: merging them into the headers to
 * send, and refusing protected names where a layer enters. Not public API.
 */
public final class HeaderLayers {
  private HeaderLayers() {}

  static final String PROTECTED_PROBLEM = "is a protocol header that only the transport may set";

  /**
   * Returns the headers to send for {@code layers}, lowest first: for every name (ignoring case)
   * the highest layer that mentions it decides, with its spelling and its secret mark; a removal
   * there leaves the name out. Names keep the position of their first appearance. The result holds
   * no removal. Equal to folding the layers with {@link McpHeaders#overriddenBy(McpHeaders)} and
   * keeping the headers set.
   *
   * <p>Runs for every request: without removals (the usual case) it copies entries without
   * validating them again, and a single non-empty layer is returned as it is.
   */
  public static McpHeaders merge(List<McpHeaders> layers) {
    int count = layers.size();
    int nonEmpty = 0;
    boolean removals = false;
    McpHeaders only = McpHeaders.empty();
    for (int i = 0; i < count; i++) {
      McpHeaders layer = layers.get(i);
      if (!layer.isEmpty()) {
        nonEmpty++;
        only = layer;
        removals |= layer.hasRemovals();
      }
    }
    if (!removals) {
      if (nonEmpty <= 1) {
        return only;
      }
      McpHeaders.Builder merged = McpHeaders.builder();
      for (int i = 0; i < count; i++) {
        merged.setAll(layers.get(i));
      }
      return merged.build();
    }
    McpHeaders folded = McpHeaders.empty();
    for (int i = 0; i < count; i++) {
      folded = folded.overriddenBy(layers.get(i));
    }
    return sendable(folded);
  }

  /** Returns the headers {@code headers} sets, without its removals, secret marks kept. */
  static McpHeaders sendable(McpHeaders headers) {
    if (!headers.hasRemovals()) {
      return headers;
    }
    McpHeaders.Builder kept = McpHeaders.builder();
    headers.forEach(
        (name, value) -> {
          if (headers.isSecret(name)) {
            kept.setSecret(name, value);
          } else {
            kept.set(name, value);
          }
        });
    return kept.build();
  }

  /**
   * Checks that no header {@code headers} sets or removes is protected ({@link
   * McpHeaders#isProtected(String)}).
   *
   * @param layer where the headers come from, named in the error
   * @return {@code headers}
   * @throws InvalidMcpHeaderException naming the first protected header and the layer, never a
   *     value
   */
  public static McpHeaders requireUnprotected(McpHeaders headers, String layer) {
    try {
      headers.forEach(PROTECTED_CHECK);
    } catch (ProtectedName e) {
      throw new InvalidMcpHeaderException(e.name, layer, PROTECTED_PROBLEM);
    }
    if (headers.hasRemovals()) {
      for (String name : headers.removedNames()) {
        if (McpHeaders.isProtected(name)) {
          throw new InvalidMcpHeaderException(name, layer, PROTECTED_PROBLEM);
        }
      }
    }
    return headers;
  }

  // Not capturing: checking a provider's output on every request allocates nothing.
  private static final BiConsumer<String, String> PROTECTED_CHECK =
      (name, value) -> {
        if (McpHeaders.isProtected(name)) {
          throw new ProtectedName(name);
        }
      };

  /** Carries a protected name out of {@link McpHeaders#forEach}; no stack trace, no value. */
  private static final class ProtectedName extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String name;

    ProtectedName(String name) {
      super(null, null, false, false);
      this.name = name;
    }
  }
}
