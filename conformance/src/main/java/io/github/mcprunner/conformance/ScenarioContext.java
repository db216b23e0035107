package io.github.mcprunner.conformance;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The scenario the suite runs ({@code MCP_CONFORMANCE_SCENARIO}) and its settings ({@code
 * MCP_CONFORMANCE_CONTEXT}, a JSON object; client ids, secrets, keys, tokens). Errors name a
 * missing or malformed setting, never a value.
 */
final class ScenarioContext {
  static final String SCENARIO_VARIABLE = "MCP_CONFORMANCE_SCENARIO";
  static final String CONTEXT_VARIABLE = "MCP_CONFORMANCE_CONTEXT";

  private static final TypeRef<Map<String, Object>> JSON_OBJECT = new TypeRef<>() {};

  private final String scenario;
  private final Map<String, Object> settings;

  private ScenarioContext(String scenario, Map<String, Object> settings) {
    this.scenario = scenario;
    this.settings = settings;
  }

  /** Reads the scenario and its settings from {@code environment}. */
  static ScenarioContext fromEnvironment(Map<String, String> environment, McpJsonMapper json) {
    String scenario = environment.get(SCENARIO_VARIABLE);
    if (scenario == null || scenario.isBlank()) {
      throw new IllegalArgumentException(
          SCENARIO_VARIABLE + " is not set (the conformance suite sets it for every scenario)");
    }
    String raw = environment.get(CONTEXT_VARIABLE);
    if (raw == null || raw.isBlank()) {
      return new ScenarioContext(scenario, Map.of());
    }
    try {
      return new ScenarioContext(scenario, Map.copyOf(json.readValue(raw, JSON_OBJECT)));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(CONTEXT_VARIABLE + " is not a JSON object", null);
    }
  }

  static ScenarioContext of(String scenario, Map<String, Object> settings) {
    return new ScenarioContext(scenario, Map.copyOf(settings));
  }

  String scenario() {
    return scenario;
  }

  /** Returns the string setting {@code key}, failing with its name when it is missing. */
  String require(String key) {
    return optional(key)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "scenario '"
                        + scenario
                        + "' needs the setting '"
                        + key
                        + "' in "
                        + CONTEXT_VARIABLE
                        + ", which is missing or not a string"));
  }

  /** Returns the string setting {@code key}, if present. */
  Optional<String> optional(String key) {
    @Nullable Object value = settings.get(key);
    return value instanceof String && !((String) value).isBlank()
        ? Optional.of((String) value)
        : Optional.empty();
  }
}
