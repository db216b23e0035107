package io.github.mcprunner.model.openai.internal;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Where the OpenAI settings come from when a model is built from the environment: the same system
 * properties and environment variables the OpenAI SDK reads, a system property winning over its
 * variable. Blank values count as absent.
 */
public final class Environment {
  private final Function<String, @Nullable String> properties;
  private final Function<String, @Nullable String> variables;

  private Environment(
      Function<String, @Nullable String> properties, Function<String, @Nullable String> variables) {
    this.properties = properties;
    this.variables = variables;
  }

  /** Returns the JVM's system properties and the process environment. */
  public static Environment system() {
    return new Environment(System::getProperty, System::getenv);
  }

  /** Returns an environment made of two maps, for tests. */
  public static Environment of(Map<String, String> properties, Map<String, String> variables) {
    Map<String, String> p = Map.copyOf(properties);
    Map<String, String> v = Map.copyOf(variables);
    return new Environment(p::get, v::get);
  }

  /** The API key: {@code openai.apiKey} or {@code OPENAI_API_KEY}. */
  public Optional<String> apiKey() {
    return get("openai.apiKey", "OPENAI_API_KEY");
  }

  /** The base URL: {@code openai.baseUrl} or {@code OPENAI_BASE_URL}. */
  public Optional<String> baseUrl() {
    return get("openai.baseUrl", "OPENAI_BASE_URL");
  }

  /** The organization: {@code openai.orgId} or {@code OPENAI_ORG_ID}. */
  public Optional<String> organization() {
    return get("openai.orgId", "OPENAI_ORG_ID");
  }

  /** The project: {@code openai.projectId} or {@code OPENAI_PROJECT_ID}. */
  public Optional<String> project() {
    return get("openai.projectId", "OPENAI_PROJECT_ID");
  }

  private Optional<String> get(String property, String variable) {
    String value = properties.apply(property);
    if (value == null || value.isBlank()) {
      value = variables.apply(variable);
    }
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }
}
