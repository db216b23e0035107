package io.github.mcprunner.model;

/**
 * Tokens a model used.
 *
 * @param inputTokens tokens read
 * @param outputTokens tokens written
 */
public record Usage(long inputTokens, long outputTokens) {
  private static final Usage ZERO = new Usage(0, 0);

  /** Checks that the counts are not negative. */
  public Usage {
    if (inputTokens < 0 || outputTokens < 0) {
      throw new IllegalArgumentException("token counts must not be negative");
    }
  }

  /** Returns no usage. */
  public static Usage zero() {
    return ZERO;
  }

  /** Returns the sum of this and {@code other}. */
  public Usage plus(Usage other) {
    return new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens);
  }

  /** Returns the total of input and output tokens. */
  public long totalTokens() {
    return inputTokens + outputTokens;
  }
}
