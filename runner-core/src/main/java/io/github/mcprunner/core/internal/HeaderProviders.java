package io.github.mcprunner.core.internal;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.headers.McpHeaderProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds the {@link McpHeaderProvider}s registered with {@link ServiceLoader} ({@code
 * META-INF/services/io.github.mcprunner.headers.McpHeaderProvider}, e.g. written by
 * {@code @AutoService}). The one place that touches {@code ServiceLoader}, so that the class loader
 * can be chosen and tests can hand providers to {@link HeaderChain} directly.
 */
public final class HeaderProviders {

  private HeaderProviders() {}

  /**
   * Returns a new instance of every provider registered in {@code classLoader}, in discovery order
   * (the chain sorts them; discovery order does not matter).
   *
   * @throws IllegalStateException if a registered provider cannot be loaded or instantiated; its
   *     message carries what the provider's own exception says (e.g. which configuration file is
   *     missing), see {@link #rootCause(Throwable)}
   */
  public static List<McpHeaderProvider> discover(ClassLoader classLoader) {
    requireNonNull(classLoader, "classLoader");
    List<McpHeaderProvider> found = new ArrayList<>();
    try {
      Iterator<McpHeaderProvider> it =
          ServiceLoader.load(McpHeaderProvider.class, classLoader).iterator();
      while (it.hasNext()) {
        found.add(it.next());
      }
    } catch (ServiceConfigurationError e) {
      throw new IllegalStateException(
          "A header provider registered in META-INF/services could not be loaded: "
              + e.getMessage()
              + rootCause(e),
          e);
    }
    return List.copyOf(found);
  }

  /**
   * Returns what the deepest cause of {@code error} says, for the top-level message: a provider's
   * constructor that refuses a broken configuration explains why and what to do there (the error
   * itself only says "could not be instantiated"). The message is shown only for the project's own
   * exceptions ({@code io.github.mcprunner.*}, whose messages never hold a header value or secret);
   * any other is named by its class, as the header chain does, since its message may hold one.
   * Empty when there is no cause.
   */
  static String rootCause(Throwable error) {
    Throwable root = error.getCause();
    if (root == null) {
      return "";
    }
    int depth = 0;
    while (root.getCause() != null && root.getCause() != root && depth++ < 32) {
      root = root.getCause();
    }
    String type = root.getClass().getName();
    String message = root.getMessage();
    if (!type.startsWith(PROJECT_PACKAGE) || message == null || message.isBlank()) {
      return " (caused by " + type + ")";
    }
    return ": " + printable(message);
  }

  private static final String PROJECT_PACKAGE = "io.github.mcprunner.";
  private static final int MAX_MESSAGE = 2000;

  private static String printable(String message) {
    StringBuilder out = new StringBuilder(Math.min(message.length(), MAX_MESSAGE));
    for (int i = 0; i < message.length() && out.length() < MAX_MESSAGE; i++) {
      char c = message.charAt(i);
      out.append(Character.isISOControl(c) ? ' ' : c);
    }
    if (message.length() > MAX_MESSAGE) {
      out.append("...");
    }
    return out.toString();
  }
}
