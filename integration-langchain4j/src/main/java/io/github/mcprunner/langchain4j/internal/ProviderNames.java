package io.github.mcprunner.langchain4j.internal;

import dev.langchain4j.model.ModelProvider;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * LangChain4j's {@link ModelProvider} as the OpenTelemetry GenAI conventions name providers ({@code
 * gen_ai.provider.name}). Not public API.
 */
public final class ProviderNames {
  private ProviderNames() {}

  /** Returns the conventions' name of {@code provider}; none for {@code OTHER} or null. */
  public static Optional<String> of(@Nullable ModelProvider provider) {
    if (provider == null) {
      return Optional.empty();
    }
    switch (provider.name()) {
      case "OTHER":
        return Optional.empty();
      case "OPEN_AI":
        return Optional.of("openai");
      case "AZURE_OPEN_AI":
        return Optional.of("azure.ai.openai");
      case "MICROSOFT_FOUNDRY":
        return Optional.of("azure.ai.inference");
      case "ANTHROPIC":
        return Optional.of("anthropic");
      case "AMAZON_BEDROCK":
        return Optional.of("aws.bedrock");
      case "GOOGLE_AI_GEMINI":
        return Optional.of("gcp.gemini");
      case "GOOGLE_GENAI":
        return Optional.of("gcp.gen_ai");
      case "GOOGLE_VERTEX_AI_GEMINI":
      case "GOOGLE_VERTEX_AI_ANTHROPIC":
        return Optional.of("gcp.vertex_ai");
      case "MISTRAL_AI":
        return Optional.of("mistral_ai");
      case "WATSONX":
        return Optional.of("ibm.watsonx.ai");
      case "COHERE":
        return Optional.of("cohere");
      default:
        // Not named by the conventions (Ollama, GitHub Models, ...): LangChain4j's name.
        return Optional.of(provider.name().toLowerCase(Locale.ROOT));
    }
  }
}
