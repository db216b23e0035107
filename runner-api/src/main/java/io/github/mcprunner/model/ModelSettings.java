package io.github.mcprunner.model;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Generation settings handed to the model with every request; unset values leave the model's own
 * defaults.
 *
 * @param temperature sampling temperature, if set
 * @param maxOutputTokens the most tokens the model may produce, if set
 * @param toolChoice {@code "auto"}, {@code "required"}, {@code "none"} or a tool name, if set
 */
public record ModelSettings(
    @Nullable Double temperature, @Nullable Integer maxOutputTokens, @Nullable String toolChoice) {

  private static final ModelSettings DEFAULTS = new ModelSettings(null, null, null);

  /** Checks the ranges. */
  public ModelSettings {
    if (temperature != null && (temperature < 0 || temperature.isNaN())) {
      throw new IllegalArgumentException("temperature must not be negative");
    }
    if (maxOutputTokens != null && maxOutputTokens <= 0) {
      throw new IllegalArgumentException("maxOutputTokens must be positive");
    }
  }

  /** Returns settings that leave every choice to the model. */
  public static ModelSettings defaults() {
    return DEFAULTS;
  }

  /** Returns the temperature, if set. */
  public Optional<Double> temperatureValue() {
    return Optional.ofNullable(temperature);
  }
}
