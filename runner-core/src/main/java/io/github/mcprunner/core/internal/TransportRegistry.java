package io.github.mcprunner.core.internal;

import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.core.spi.McpTransportFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the transport factory for each server: the one the spec names, else the only one, else
 * the highest {@code order()} (ties by name), logged once. Not public API.
 */
public final class TransportRegistry {
  private static final Logger log = LoggerFactory.getLogger(TransportRegistry.class);

  private final Map<String, McpTransportFactory> byName;
  private final @Nullable McpTransportFactory defaultFactory;
  private final List<McpTransportFactory> discovered;
  private final AtomicBoolean defaultLogged = new AtomicBoolean();

  private TransportRegistry(
      List<McpTransportFactory> factories, List<McpTransportFactory> discovered) {
    this.discovered = List.copyOf(discovered);
    Map<String, McpTransportFactory> map = new LinkedHashMap<>();
    for (McpTransportFactory factory : factories) {
      McpTransportFactory previous = map.putIfAbsent(factory.name(), factory);
      if (previous != null && previous.getClass() != factory.getClass()) {
        throw new IllegalArgumentException(
            "two transports are named '"
                + factory.name()
                + "': "
                + previous.getClass().getName()
                + " and "
                + factory.getClass().getName());
      }
    }
    this.byName = map;
    List<McpTransportFactory> sorted = new ArrayList<>(map.values());
    sorted.sort(
        Comparator.comparingInt(McpTransportFactory::order)
            .reversed()
            .thenComparing(McpTransportFactory::name));
    this.defaultFactory = sorted.isEmpty() ? null : sorted.get(0);
  }

  /**
   * Returns a registry of {@code explicit} factories followed by those {@link ServiceLoader} finds
   * with {@code classLoader}; an explicit factory wins over a discovered one of the same name.
   */
  public static TransportRegistry create(
      List<McpTransportFactory> explicit, @Nullable ClassLoader classLoader) {
    List<McpTransportFactory> all = new ArrayList<>(explicit);
    List<McpTransportFactory> discovered = new ArrayList<>();
    if (classLoader != null) {
      for (McpTransportFactory factory :
          ServiceLoader.load(McpTransportFactory.class, classLoader)) {
        boolean shadowed = false;
        for (McpTransportFactory given : explicit) {
          shadowed |= given.name().equals(factory.name());
        }
        if (!shadowed) {
          all.add(factory);
          discovered.add(factory);
        }
      }
    }
    return new TransportRegistry(all, discovered);
  }

  /**
   * Closes the factories {@link ServiceLoader} found (the runner created them; those given to the
   * builder stay their caller's), once the runner's sessions are closed.
   */
  public void closeDiscovered() {
    for (McpTransportFactory factory : discovered) {
      try {
        factory.close();
      } catch (RuntimeException e) {
        log.warn(
            "Closing the discovered transport '{}' failed ({})",
            factory.name(),
            e.getClass().getSimpleName());
      }
    }
  }

  /** Returns the names of the available transports. */
  public List<String> names() {
    return List.copyOf(byName.keySet());
  }

  /**
   * Returns the factory for {@code server}.
   *
   * @throws IllegalStateException naming the artifact to add when none is available, or the
   *     available names when the spec names an unknown one
   */
  public McpTransportFactory forServer(McpServerSpec server) {
    String wanted = server.transport().orElse(null);
    if (wanted != null) {
      McpTransportFactory factory = byName.get(wanted);
      if (factory == null) {
        throw new IllegalStateException(
            "MCP server '"
                + server.name()
                + "' asks for transport '"
                + wanted
                + "', but the available transports are "
                + byName.keySet()
                + "; add io.github.mcprunner:transport-"
                + wanted
                + " to the class path");
      }
      return factory;
    }
    McpTransportFactory factory = defaultFactory;
    if (factory == null) {
      throw new IllegalStateException(
          "No MCP transport found for server '"
              + server.name()
              + "': add io.github.mcprunner:transport-httpclient (or transport-okhttp) to the class"
              + " path, or pass one to Runners.builder().transport(...)");
    }
    if (byName.size() > 1 && defaultLogged.compareAndSet(false, true)) {
      log.info(
          "Several MCP transports are available {}; using '{}' (highest order) for servers"
              + " that do not choose one with McpServerSpec.Builder.transport(...)",
          byName.keySet(),
          factory.name());
    }
    return factory;
  }
}
