package io.github.mcprunner.model.openai;

import io.github.mcprunner.Agent;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunResult;
import io.github.mcprunner.Runner;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.model.Model;
import io.github.mcprunner.testkit.ScriptedModel;
import java.net.URI;
import java.time.Duration;

/**
 * The Java blocks of this module's README, compiled by the build (they call OpenAI, so no test runs
 * them; ReadmeSnippetsTest in examples checks that the README shows them as they are here).
 */
final class ReadmeExamples {
  private ReadmeExamples() {}

  static void example(String userToken, String tenantId) {
    // snippet:example
    // OPENAI_API_KEY (and optionally OPENAI_BASE_URL, OPENAI_ORG_ID, OPENAI_PROJECT_ID) from the
    // environment
    Model model = OpenAiResponsesModel.fromEnv("gpt-4.1-mini");

    Agent agent =
        Agent.builder("support")
            .instructions("You help support agents. Use the tools.")
            .model(model)
            .mcpServer(
                McpServerSpec.builder("crm", URI.create("https://crm.example.com/mcp")).build())
            .build();

    try (Runner runner = Runners.builder().build()) {
      RunResult result =
          runner.run(
              agent,
              "Summarise my open tickets",
              McpHeaders.of("Authorization", "Bearer " + userToken, "X-Tenant-Id", tenantId));
      System.out.println(result.finalOutput());
    }
    // end-snippet
  }

  static Model[] builders() {
    // snippet:builders
    Model openAi =
        OpenAiResponsesModel.builder("gpt-4.1-mini")
            .apiKey(System.getenv("OPENAI_API_KEY"))
            .maxRetries(3) // SDK retries: connection errors, 408, 409, 429, 5xx
            .timeout(Duration.ofSeconds(60)) // per request
            .build();

    Model ollama =
        OpenAiChatCompletionsModel.builder("llama3.2")
            .baseUrl("http://localhost:11434/v1")
            .apiKey("ollama") // any non-blank text when the server checks none
            .build();

    Model azure =
        OpenAiChatCompletionsModel.builder("my-deployment")
            .baseUrl("https://my-resource.openai.azure.com/openai/v1")
            .apiKey(System.getenv("AZURE_OPENAI_API_KEY"))
            .build();
    // end-snippet
    return new Model[] {openAi, ollama, azure};
  }

  static Model demoModel() {
    // snippet:demo-model
    Model model =
        OpenAiResponsesModel.fromEnvIfPresent(
                System.getenv().getOrDefault("OPENAI_MODEL", "gpt-4.1-mini"))
            .orElseGet(
                () -> ScriptedModel.builder().callTool("whoami", "{}").answer(r -> "Done").build());
    // end-snippet
    return model;
  }
}
