package io.github.mcprunner.observe;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What is known of a model turn before the model is asked.
 *
 * @param turn the turn's number in its run, 0 for the first
 * @param providerName the model's provider as the OpenTelemetry GenAI conventions spell it ({@code
 *     openai}, {@code anthropic}, {@code aws.bedrock}, ...), or null when the model does not tell
 *     ({@code Model.providerName()})
 * @param requestModel the name of the model asked, or null when the model does not tell ({@code
 *     Model.requestModel()})
 */
public record ModelTurnStart(
    int turn, @Nullable String providerName, @Nullable String requestModel) {

  /** Checks that the turn is not negative. */
  public ModelTurnStart {
    if (turn < 0) {
      throw new IllegalArgumentException("turn must not be negative");
    }
  }

  /** Returns the provider's name, if the model tells it. */
  public Optional<String> provider() {
    return Optional.ofNullable(providerName);
  }

  /** Returns the model's name, if the model tells it. */
  public Optional<String> model() {
    return Optional.ofNullable(requestModel);
  }
}
