package io.github.mcprunner.model.openai;

import static io.github.mcprunner.model.openai.Conversations.TEST_KEY;
import static io.github.mcprunner.model.openai.FakeOpenAiServer.Answer.jsonFixture;
import static io.github.mcprunner.model.openai.FakeOpenAiServer.Answer.sseFixture;
import static io.github.mcprunner.model.openai.FakeOpenAiServer.Answer.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.Sleeper;
import io.github.mcprunner.model.Model;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP failures become clear {@link OpenAiModelException}s, after the SDK's own retries where the
 * SDK retries; the API key and what an endpoint says with a 401 never reach a message.
 */
class OpenAiFailuresTest {
  private static final String WRONG_KEY_BODY =
      "{\"error\":{\"message\":\"Incorrect API key provided: sk-test-5f1c****cdef. You can find"
          + " your API key at https://platform.openai.com/account/api-keys.\","
          + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}";
  private static final String RATE_LIMIT_BODY =
      "{\"error\":{\"message\":\"Rate limit reached for gpt-4.1-mini on requests per min (RPM):"
          + " Limit 3, Used 3, Requested 1.\",\"type\":\"requests\",\"param\":null,"
          + "\"code\":\"rate_limit_exceeded\"}}";
  private static final String SERVER_ERROR_BODY =
      "{\"error\":{\"message\":\"The server had an error while processing your request.\","
          + "\"type\":\"server_error\",\"param\":null,\"code\":null}}";
  private static final String BAD_SCHEMA_BODY =
      "{\"error\":{\"message\":\"Invalid schema for function 'list_tickets': 'maybe' is not valid"
          + " under any of the given schemas.\",\"type\":\"invalid_request_error\","
          + "\"param\":\"tools[0].parameters\",\"code\":\"invalid_function_parameters\"}}";

  private final FakeOpenAiServer openAi = FakeOpenAiServer.start();

  @AfterEach
  void stop() {
    openAi.close();
  }

  private OpenAiResponsesModel.Builder builder(int maxRetries) {
    return OpenAiResponsesModel.builder("gpt-4.1-mini")
        .apiKey(TEST_KEY)
        .baseUrl(openAi.baseUrl())
        .maxRetries(maxRetries);
  }

  private static OpenAiModelException failure(Model model) {
    return catchThrowableOfType(
        OpenAiModelException.class, () -> model.respond(Conversations.question("hi")));
  }

  @Test
  void unauthorizedFailsAtOnceWithoutTheKeyOrWhatTheServerSaid() {
    openAi.enqueue(status(401, WRONG_KEY_BODY));
    OpenAiResponsesModel model = builder(2).build();

    OpenAiModelException e = failure(model);

    assertThat(openAi.calls()).hasSize(1);
    assertThat(e.statusCode()).hasValue(401);
    assertThat(e.errorCode()).contains("invalid_api_key");
    assertThat(e.getMessage())
        .isEqualTo(
            "OpenAI Responses API at "
                + openAi.baseUrl()
                + " (model 'gpt-4.1-mini', agent 'support') refused the API key (HTTP 401,"
                + " invalid_api_key); check OPENAI_API_KEY or the key given to the model's"
                + " builder");
    assertThat(e.getCause()).isNull();
    assertThat(e.toString()).doesNotContain("sk-test").doesNotContain(TEST_KEY);
  }

  @Test
  void forbiddenFailsAtOnceWithoutWhatTheServerSaid() {
    openAi.enqueue(
        status(
            403,
            "{\"error\":{\"message\":\"Project proj_x does not have access to model gpt-4.1-mini"
                + " with key sk-test-5f1c****cdef\",\"type\":\"invalid_request_error\","
                + "\"param\":null,\"code\":\"model_not_found\"}}"));

    OpenAiModelException e = failure(builder(2).build());

    assertThat(openAi.calls()).hasSize(1);
    assertThat(e.statusCode()).hasValue(403);
    assertThat(e.getMessage()).contains("refused access (HTTP 403, model_not_found)");
    assertThat(e.getMessage()).doesNotContain("sk-test").doesNotContain("proj_x");
    assertThat(e.getCause()).isNull();
  }

  @Test
  void rateLimitIsRetriedAsTheServerAsksThenSucceeds() {
    openAi.enqueue(
        status(429, RATE_LIMIT_BODY).header("Retry-After", "0"),
        jsonFixture("responses/text.json"));

    String text = builder(2).build().respond(Conversations.question("hi")).text();

    assertThat(text).isEqualTo("You are signed in as the acme tenant.");
    assertThat(openAi.calls()).hasSize(2);
    assertThat(openAi.call(0).header("X-Stainless-Retry-Count")).isEqualTo("0");
    assertThat(openAi.call(1).header("X-Stainless-Retry-Count")).isEqualTo("1");
    assertThat(openAi.call(1).body()).isEqualTo(openAi.call(0).body());
  }

  @Test
  void rateLimitThatPersistsFailsAfterTheRetries() {
    for (int i = 0; i < 3; i++) {
      openAi.enqueue(status(429, RATE_LIMIT_BODY).header("retry-after-ms", "0"));
    }

    OpenAiModelException e = failure(builder(2).build());

    assertThat(openAi.calls()).hasSize(3);
    assertThat(e.statusCode()).hasValue(429);
    assertThat(e.errorCode()).contains("rate_limit_exceeded");
    assertThat(e.getMessage())
        .contains("is rate limiting requests or out of quota (HTTP 429, rate_limit_exceeded)")
        .contains("after 2 retries");
  }

  @Test
  void retryAfterIsHonouredAsTheSdkDoesWithoutSleeping() {
    List<Duration> pauses = new CopyOnWriteArrayList<>();
    Sleeper recording =
        new Sleeper() {
          @Override
          public void sleep(Duration duration) {
            pauses.add(duration);
          }

          @Override
          public CompletableFuture<Void> sleepAsync(Duration duration) {
            pauses.add(duration);
            return CompletableFuture.completedFuture(null);
          }

          @Override
          public void close() {}
        };
    openAi.enqueue(
        status(429, RATE_LIMIT_BODY).header("Retry-After", "7"),
        status(503, SERVER_ERROR_BODY).header("retry-after-ms", "250"),
        jsonFixture("responses/text.json"));
    OpenAiResponsesModel model =
        OpenAiResponsesModel.builder("gpt-4.1-mini")
            .client(
                OpenAIOkHttpClient.builder()
                    .apiKey(TEST_KEY)
                    .baseUrl(openAi.baseUrl())
                    .maxRetries(2)
                    .sleeper(recording)
                    .build())
            .build();

    model.respond(Conversations.question("hi"));

    assertThat(pauses).containsExactly(Duration.ofSeconds(7), Duration.ofMillis(250));
    assertThat(openAi.calls()).hasSize(3);
  }

  @Test
  void serverErrorIsRetriedThenFailsClearly() {
    openAi.enqueue(
        status(500, SERVER_ERROR_BODY).header("Retry-After", "0"),
        status(500, SERVER_ERROR_BODY).header("Retry-After", "0"));

    OpenAiModelException e = failure(builder(1).build());

    assertThat(openAi.calls()).hasSize(2);
    assertThat(e.statusCode()).hasValue(500);
    assertThat(e.getMessage()).endsWith("failed (HTTP 500, server_error) after 1 retry");
  }

  @Test
  void streamedRequestIsRetriedToo() {
    openAi.enqueue(
        status(503, SERVER_ERROR_BODY).header("Retry-After", "0"),
        sseFixture("responses/stream-text.sse"));
    List<String> deltas = new CopyOnWriteArrayList<>();

    String text =
        builder(1).build().respondStreaming(Conversations.question("hi"), deltas::add).text();

    assertThat(text).isEqualTo("Hello from acme.");
    assertThat(deltas).containsExactly("Hello", " from", " acme.");
    assertThat(openAi.calls()).hasSize(2);
  }

  @Test
  void badRequestIsNotRetriedAndCarriesTheServersExplanation() {
    openAi.enqueue(status(400, BAD_SCHEMA_BODY));

    OpenAiModelException e = failure(builder(2).build());

    assertThat(openAi.calls()).hasSize(1);
    assertThat(e.statusCode()).hasValue(400);
    assertThat(e.errorCode()).contains("invalid_function_parameters");
    assertThat(e.getMessage())
        .contains(
            "rejected the request (HTTP 400, invalid_function_parameters): Invalid schema for"
                + " function 'list_tickets'");
  }

  @Test
  void chatCompletionsFailuresNameTheirApi() {
    openAi.enqueue(status(401, WRONG_KEY_BODY));
    Model model =
        OpenAiChatCompletionsModel.builder("gpt-4.1-mini")
            .apiKey(TEST_KEY)
            .baseUrl(openAi.baseUrl())
            .maxRetries(0)
            .build();

    OpenAiModelException e = failure(model);

    assertThat(e.getMessage())
        .startsWith("OpenAI Chat Completions API at " + openAi.baseUrl())
        .doesNotContain("sk-test");
    assertThat(openAi.call(0).path()).isEqualTo("/v1/chat/completions");
  }

  @Test
  void timeoutFailsClearlyAfterTheRetries() {
    openAi.enqueue(FakeOpenAiServer.Answer.hang());
    OpenAiResponsesModel model = builder(0).timeout(Duration.ofMillis(300)).build();

    OpenAiModelException e = failure(model);

    assertThat(e.statusCode()).isEmpty();
    assertThat(e.getMessage()).contains("could not be reached or did not answer in time (");
    assertThat(e.getCause()).isNotNull();
  }

  @Test
  void unreachableEndpointFailsClearly() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    OpenAiResponsesModel model =
        OpenAiResponsesModel.builder("gpt-4.1-mini")
            .apiKey(TEST_KEY)
            .baseUrl("http://127.0.0.1:" + port + "/v1")
            .maxRetries(0)
            .build();

    OpenAiModelException e = failure(model);

    assertThat(e.getMessage())
        .startsWith("OpenAI Responses API at http://127.0.0.1:" + port + "/v1")
        .contains("could not be reached");
    assertThat(e.statusCode()).isEmpty();
  }
}
