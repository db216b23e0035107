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
   * @throws IllegalStateException if a registered provider cannot be loaded or instantiated
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
              + e.getMessage(),
          e);
    }
    return List.copyOf(found);
  }
}
