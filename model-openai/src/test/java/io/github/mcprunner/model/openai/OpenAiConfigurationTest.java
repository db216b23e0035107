package io.github.mcprunner.model.openai;

import static io.github.mcprunner.model.openai.Conversations.TEST_KEY;
import static io.github.mcprunner.model.openai.FakeOpenAiServer.Answer.jsonFixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.openai.client.okhttp.OpenAIOkHttpClient;
import io.github.mcprunner.model.Model;
import io.github.mcprunner.model.openai.internal.Environment;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Where the settings come from, how they are checked, and that the key is never shown. */
class OpenAiConfigurationTest {
  private final FakeOpenAiServer openAi = FakeOpenAiServer.start();

  @AfterEach
  void stop() {
    openAi.close();
  }

  @Test
  void fromEnvIfPresentIsEmptyWithoutAnApiKey() {
    Environment none = Environment.of(Map.of(), Map.of("OPENAI_BASE_URL", openAi.baseUrl()));
    Environment blank = Environment.of(Map.of("openai.apiKey", " "), Map.of("OPENAI_API_KEY", ""));

    assertThat(OpenAiResponsesModel.fromEnvIfPresent("gpt-4.1-mini", none)).isEmpty();
    assertThat(OpenAiResponsesModel.fromEnvIfPresent("gpt-4.1-mini", blank)).isEmpty();
    assertThat(OpenAiChatCompletionsModel.fromEnvIfPresent("gpt-4.1-mini", none)).isEmpty();
  }

  @Test
  void fromEnvReadsKeyBaseUrlOrganizationAndProjectFromTheVariables() {
    openAi.enqueue(jsonFixture("responses/text.json"), jsonFixture("chat/text.json"));
    Environment env =
        Environment.of(
            Map.of(),
            Map.of(
                "OPENAI_API_KEY",
                TEST_KEY,
                "OPENAI_BASE_URL",
                openAi.baseUrl(),
                "OPENAI_ORG_ID",
                "org-acme",
                "OPENAI_PROJECT_ID",
                "proj_support"));

    Optional<Model> responses = OpenAiResponsesModel.fromEnvIfPresent("gpt-4.1-mini", env);
    Optional<Model> chat = OpenAiChatCompletionsModel.fromEnvIfPresent("gpt-4.1-nano", env);
    assertThat(responses).containsInstanceOf(OpenAiResponsesModel.class);
    assertThat(chat).containsInstanceOf(OpenAiChatCompletionsModel.class);
    responses.orElseThrow().respond(Conversations.question("hi"));
    chat.orElseThrow().respond(Conversations.question("hi"));

    for (FakeOpenAiServer.Call call : openAi.calls()) {
      assertThat(call.header("Authorization")).isEqualTo("Bearer " + TEST_KEY);
      assertThat(call.header("OpenAI-Organization")).isEqualTo("org-acme");
      assertThat(call.header("OpenAI-Project")).isEqualTo("proj_support");
    }
    assertThat(openAi.call(0).path()).isEqualTo("/v1/responses");
    assertThat(openAi.call(0).json().path("model").asText()).isEqualTo("gpt-4.1-mini");
    assertThat(openAi.call(1).path()).isEqualTo("/v1/chat/completions");
    assertThat(openAi.call(1).json().path("model").asText()).isEqualTo("gpt-4.1-nano");
  }

  @Test
  void systemPropertyWinsOverItsVariableAndLaterSettersWinOverTheEnvironment() {
    openAi.enqueue(jsonFixture("responses/text.json"));
    Environment env =
        Environment.of(
            Map.of("openai.apiKey", "sk-from-property", "openai.baseUrl", "http://127.0.0.1:9/v1"),
            Map.of(
                "OPENAI_API_KEY", "sk-from-variable", "OPENAI_BASE_URL", "http://127.0.0.1:8/v1"));

    OpenAiResponsesModel model =
        OpenAiResponsesModel.builder("gpt-4.1-mini")
            .fromEnv(env)
            .baseUrl(openAi.baseUrl())
            .maxRetries(0)
            .build();
    model.respond(Conversations.question("hi"));

    assertThat(openAi.call(0).header("Authorization")).isEqualTo("Bearer sk-from-property");
  }

  @Test
  void defaultEndpointIsOpenAi() {
    OpenAiResponsesModel model =
        OpenAiResponsesModel.builder("gpt-4.1-mini").apiKey(TEST_KEY).build();

    assertThat(model.toString())
        .isEqualTo("OpenAiResponsesModel{model=gpt-4.1-mini, endpoint=https://api.openai.com/v1}");
    assertThat(model.modelName()).isEqualTo("gpt-4.1-mini");
  }

  @Test
  void theKeyAppearsInNoToString() {
    OpenAiResponsesModel.Builder responses =
        OpenAiResponsesModel.builder("gpt-4.1-mini")
            .apiKey(TEST_KEY)
            .baseUrl("https://user:pa55@example.test/v1?api-key=" + TEST_KEY);
    OpenAiChatCompletionsModel.Builder chat =
        OpenAiChatCompletionsModel.builder("llama3.2").apiKey(TEST_KEY).baseUrl(openAi.baseUrl());

    assertThat(responses.toString()).doesNotContain(TEST_KEY).doesNotContain("pa55").contains("██");
    assertThat(responses.build().toString())
        .isEqualTo("OpenAiResponsesModel{model=gpt-4.1-mini, endpoint=https://example.test/v1}");
    assertThat(chat.toString()).doesNotContain(TEST_KEY);
    assertThat(chat.build().toString())
        .isEqualTo("OpenAiChatCompletionsModel{model=llama3.2, endpoint=" + openAi.baseUrl() + "}");
  }

  @Test
  void aMalformedBaseUrlIsRefusedWithoutItsKeyInTheMessageOrTheCause() {
    String malformed = "https://user:pa55@example.test/v1?api-key=" + TEST_KEY + " x";

    Throwable thrown =
        catchThrowable(() -> OpenAiResponsesModel.builder("gpt-4.1-mini").baseUrl(malformed));

    assertThat(thrown)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("baseUrl is not a valid URL; the URL is not repeated here, it may hold a key");
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain(TEST_KEY).doesNotContain("pa55");
    }
  }

  @Test
  void withoutAKeyBuildFailsNamingTheVariable() {
    assertThatThrownBy(() -> OpenAiResponsesModel.builder("gpt-4.1-mini").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("OPENAI_API_KEY");
    assertThatThrownBy(
            () ->
                OpenAiChatCompletionsModel.builder("m")
                    .fromEnv(Environment.of(Map.of(), Map.of()))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("apiKey(...)");
  }

  @Test
  void aPreconfiguredClientIsUsedAsItIsAndExcludesConnectionSettings() {
    openAi.enqueue(jsonFixture("chat/text.json"));
    OpenAIOkHttpClientHolder holder = new OpenAIOkHttpClientHolder(openAi.baseUrl());
    OpenAiChatCompletionsModel model =
        OpenAiChatCompletionsModel.builder("gpt-4.1-mini").client(holder.client).build();
    model.respond(Conversations.question("hi"));

    assertThat(openAi.call(0).header("X-Custom")).isEqualTo("from-client");
    assertThat(model.toString()).contains("endpoint=a preconfigured client");
    assertThatThrownBy(
            () ->
                OpenAiChatCompletionsModel.builder("m")
                    .client(holder.client)
                    .apiKey(TEST_KEY)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("client(...) cannot be combined");
  }

  @Test
  void closingAModelLeavesAHandedInClientOpen() {
    openAi.enqueue(jsonFixture("chat/text.json"), jsonFixture("chat/text.json"));
    OpenAIOkHttpClientHolder holder = new OpenAIOkHttpClientHolder(openAi.baseUrl());
    OpenAiChatCompletionsModel first =
        OpenAiChatCompletionsModel.builder("gpt-4.1-mini").client(holder.client).build();
    first.respond(Conversations.question("hi"));
    first.close();

    OpenAiChatCompletionsModel second =
        OpenAiChatCompletionsModel.builder("gpt-4.1-mini").client(holder.client).build();
    assertThat(second.respond(Conversations.question("again")).text()).isNotEmpty();
    assertThat(openAi.calls()).hasSize(2);
  }

  @Test
  void aClosedModelRefusesCalls() {
    OpenAiResponsesModel model =
        OpenAiResponsesModel.builder("gpt-4.1-mini")
            .apiKey(TEST_KEY)
            .baseUrl(openAi.baseUrl())
            .maxRetries(0)
            .build();
    model.close();

    model.close();

    assertThatThrownBy(() -> model.respond(Conversations.question("hi")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("The OpenAI model 'gpt-4.1-mini' was closed; build a new one");
    assertThat(openAi.calls()).isEmpty();
  }

  @Test
  void settingsAreCheckedWhereTheyAreGiven() {
    assertThatThrownBy(() -> OpenAiResponsesModel.builder(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("model must not be blank");
    OpenAiResponsesModel.Builder builder = OpenAiResponsesModel.builder("m");
    assertThatThrownBy(() -> builder.apiKey(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("apiKey must not be blank");
    assertThatThrownBy(() -> builder.baseUrl("localhost:11434/v1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("baseUrl must be an absolute http or https URL");
    assertThatThrownBy(() -> builder.baseUrl("ftp://example.test/v1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.maxRetries(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxRetries must not be negative");
    assertThatThrownBy(() -> builder.timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must be positive");
    assertThatThrownBy(() -> builder.malformedArguments(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("malformedArguments");
  }

  /** A client built with the SDK's own builder, as a user would for custom headers. */
  private static final class OpenAIOkHttpClientHolder {
    final com.openai.client.OpenAIClient client;

    OpenAIOkHttpClientHolder(String baseUrl) {
      client =
          OpenAIOkHttpClient.builder()
              .apiKey(TEST_KEY)
              .baseUrl(baseUrl)
              .maxRetries(0)
              .putHeader("X-Custom", "from-client")
              .build();
    }
  }
}
