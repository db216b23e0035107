package io.github.mcprunner.core.internal;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.McpServerRef;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/** A provider for tests: computes headers from the context, records every context it is given. */
final class TestProvider implements McpHeaderProvider {

  private final String name;
  private final int order;
  private final Function<HeaderContext, @Nullable McpHeaders> headers;
  private final boolean optional;
  private final Predicate<McpServerRef> appliesTo;
  final List<HeaderContext> seen = new CopyOnWriteArrayList<>();
  final AtomicInteger calls = new AtomicInteger();

  private TestProvider(
      String name,
      int order,
      Function<HeaderContext, @Nullable McpHeaders> headers,
      boolean optional,
      Predicate<McpServerRef> appliesTo) {
    this.name = name;
    this.order = order;
    this.headers = headers;
    this.optional = optional;
    this.appliesTo = appliesTo;
  }

  /** A provider that always returns {@code headers}. */
  static TestProvider fixed(String name, int order, McpHeaders headers) {
    requireNonNull(headers, "headers");
    return new TestProvider(name, order, context -> headers, false, server -> true);
  }

  /** A provider that computes its headers from the context. */
  static TestProvider computing(
      String name, int order, Function<HeaderContext, @Nullable McpHeaders> headers) {
    return new TestProvider(name, order, headers, false, server -> true);
  }

  /** A provider that throws {@code failure} on every call. */
  static TestProvider throwing(String name, RuntimeException failure) {
    return new TestProvider(
        name,
        0,
        context -> {
          throw failure;
        },
        false,
        server -> true);
  }

  TestProvider asOptional() {
    return new TestProvider(name, order, headers, true, appliesTo);
  }

  TestProvider onlyFor(String serverName) {
    return new TestProvider(
        name, order, headers, optional, server -> server.name().equals(serverName));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int order() {
    return order;
  }

  @Override
  public @Nullable McpHeaders headers(HeaderContext context) {
    calls.incrementAndGet();
    seen.add(context);
    return headers.apply(context);
  }

  @Override
  public boolean optional() {
    return optional;
  }

  @Override
  public boolean appliesTo(McpServerRef server) {
    return appliesTo.test(server);
  }

  @Override
  public String toString() {
    return "TestProvider(" + name + ", order " + order + ")";
  }
}
