package io.github.mcprunner.spring.internal;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Explains a {@code mcp-runner.*} property Spring could not bind (such as a header map written as
 * one value) by its name, origin and target type, never its value: Spring's own analysis prints the
 * value, which for the header maps is a credential. Runs before Spring's analyzers; other
 * properties are left to them. Registered in {@code META-INF/spring.factories}. Not public API.
 */
public final class McpRunnerBindFailureAnalyzer extends AbstractFailureAnalyzer<BindException>
    implements Ordered {
  private static final String PREFIX = "mcp-runner";

  /** Creates the analyzer; Spring Boot calls it. */
  public McpRunnerBindFailureAnalyzer() {}

  @Override
  protected @Nullable FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
    String name = cause.getName().toString();
    if (!name.equals(PREFIX) && !name.startsWith(PREFIX + ".")) {
      return null;
    }
    StringBuilder description =
        new StringBuilder("Failed to bind properties under '")
            .append(name)
            .append("' to ")
            .append(cause.getTarget().getType())
            .append(':');
    ConfigurationProperty property = cause.getProperty();
    if (property != null) {
      description.append("\n\n    Property: ").append(property.getName());
      description.append("\n    Origin: ").append(property.getOrigin());
    }
    Throwable reason = cause.getCause();
    description
        .append("\n    Reason: the value cannot be converted to the property's type")
        .append(reason == null ? "" : " (" + reason.getClass().getSimpleName() + ")")
        .append("; values are never echoed");
    return new FailureAnalysis(
        description.toString(),
        "Correct the property. A map, such as mcp-runner.default-headers or"
            + " mcp-runner.servers.<name>.headers, takes one property per entry:"
            + " mcp-runner.default-headers.X-Api-Key=...",
        cause);
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
