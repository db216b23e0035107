package io.github.mcprunner.model.openai;

import static java.util.Objects.requireNonNull;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import io.github.mcprunner.model.Model;
import io.github.mcprunner.model.openai.internal.Endpoint;
import io.github.mcprunner.model.openai.internal.Environment;
import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The settings both OpenAI model adapters share: where to send requests, with which key, how often
 * to retry, and what to do with malformed tool-call arguments. Not thread-safe; build once and
 * share the model, which is.
 *
 * <p>Either the connection settings ({@link #apiKey}, {@link #baseUrl}, {@link #organization},
 * {@link #project}, {@link #maxRetries}, {@link #timeout}, or {@link #fromEnv()}) or a
 * preconfigured SDK client ({@link #client}) — not both.
 *
 * @param <B> the concrete builder
 * @param <M> the model it builds
 */
public abstract sealed class OpenAiModelBuilder<B extends OpenAiModelBuilder<B, M>, M extends Model>
    permits OpenAiResponsesModel.Builder, OpenAiChatCompletionsModel.Builder {

  private final String model;
  private @Nullable String apiKey;
  private @Nullable String baseUrl;
  private @Nullable String organization;
  private @Nullable String project;
  private @Nullable Integer maxRetries;
  private @Nullable Duration timeout;
  private @Nullable OpenAIClient client;
  private @Nullable Boolean parallelToolCalls;
  private MalformedArguments malformedArguments = MalformedArguments.PASS_THROUGH;

  OpenAiModelBuilder(String model) {
    requireNonNull(model, "model");
    if (model.isBlank()) {
      throw new IllegalArgumentException("model must not be blank");
    }
    this.model = model;
  }

  /**
   * Sets the API key, sent as {@code Authorization: Bearer}. For a local server that needs none
   * (Ollama, LM Studio), any non-blank text will do. Never logged nor shown by {@code toString()}.
   */
  public B apiKey(String apiKey) {
    requireNonNull(apiKey, "apiKey");
    if (apiKey.isBlank()) {
      throw new IllegalArgumentException("apiKey must not be blank");
    }
    this.apiKey = apiKey;
    return self();
  }

  /**
   * Sets the base URL of the API, e.g. {@code http://localhost:11434/v1} for Ollama or {@code
   * https://RESOURCE.openai.azure.com/openai/v1} for Azure OpenAI; default {@code
   * https://api.openai.com/v1}.
   *
   * @throws IllegalArgumentException if it is not an absolute http or https URL
   */
  public B baseUrl(String baseUrl) {
    requireNonNull(baseUrl, "baseUrl");
    URI uri;
    try {
      uri = URI.create(baseUrl);
    } catch (IllegalArgumentException e) {
      // The JDK's message quotes the whole URL, with any key in its user info or query: neither
      // it nor the exception as cause is passed on.
      throw new IllegalArgumentException(
          "baseUrl is not a valid URL; the URL is not repeated here, it may hold a key");
    }
    String scheme = uri.getScheme();
    if (uri.getHost() == null
        || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
      throw new IllegalArgumentException("baseUrl must be an absolute http or https URL");
    }
    this.baseUrl = baseUrl;
    return self();
  }

  /** Sets the OpenAI organization sent as {@code OpenAI-Organization}. */
  public B organization(String organization) {
    this.organization = requireNonNull(organization, "organization");
    return self();
  }

  /** Sets the OpenAI project sent as {@code OpenAI-Project}. */
  public B project(String project) {
    this.project = requireNonNull(project, "project");
    return self();
  }

  /**
   * Sets how often the SDK retries a request that failed with a connection error, a timeout, 408,
   * 409, 429 or 5xx (honouring {@code Retry-After}, else with exponential backoff); default the
   * SDK's (2).
   *
   * @throws IllegalArgumentException if negative
   */
  public B maxRetries(int maxRetries) {
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must not be negative");
    }
    this.maxRetries = maxRetries;
    return self();
  }

  /**
   * Sets the time one request may take, streamed or not; default the SDK's (10 minutes).
   *
   * @throws IllegalArgumentException if not positive
   */
  public B timeout(Duration timeout) {
    requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    this.timeout = timeout;
    return self();
  }

  /**
   * Reads the settings the OpenAI SDK reads, now (a later setter wins): the API key from the system
   * property {@code openai.apiKey} or the variable {@code OPENAI_API_KEY}, the base URL from {@code
   * openai.baseUrl} / {@code OPENAI_BASE_URL}, the organization from {@code openai.orgId} / {@code
   * OPENAI_ORG_ID}, the project from {@code openai.projectId} / {@code OPENAI_PROJECT_ID}. Absent
   * ones are left as they are.
   */
  public B fromEnv() {
    return fromEnv(Environment.system());
  }

  B fromEnv(Environment environment) {
    environment.apiKey().ifPresent(this::apiKey);
    environment.baseUrl().ifPresent(this::baseUrl);
    environment.organization().ifPresent(this::organization);
    environment.project().ifPresent(this::project);
    return self();
  }

  /**
   * Uses a client built with the OpenAI SDK's own builder (for a proxy, custom headers, an Azure
   * credential, a custom HTTP client). The model does not close it.
   */
  public B client(OpenAIClient client) {
    this.client = requireNonNull(client, "client");
    return self();
  }

  /**
   * Sets whether the model may ask for several tool calls in one answer; unset leaves the API's
   * default (allowed). Sent only with tools.
   */
  public B parallelToolCalls(boolean parallelToolCalls) {
    this.parallelToolCalls = parallelToolCalls;
    return self();
  }

  /** Sets what to do with tool-call arguments that are not a JSON object; default PASS_THROUGH. */
  public B malformedArguments(MalformedArguments malformedArguments) {
    this.malformedArguments = requireNonNull(malformedArguments, "malformedArguments");
    return self();
  }

  /**
   * Builds the model.
   *
   * @throws IllegalStateException if no API key was given and no client, or a client was given
   *     together with connection settings
   */
  public abstract M build();

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  boolean hasClient() {
    return client != null;
  }

  String model() {
    return model;
  }

  @Nullable Boolean parallelToolCallsValue() {
    return parallelToolCalls;
  }

  MalformedArguments malformedArgumentsValue() {
    return malformedArguments;
  }

  /** The endpoint as failure messages name it. */
  Endpoint endpoint(String api) {
    if (client != null) {
      return new Endpoint(api, "a preconfigured client", model, -1);
    }
    return new Endpoint(
        api,
        Endpoint.redact(baseUrl == null ? Endpoint.DEFAULT_BASE_URL : baseUrl),
        model,
        maxRetries == null ? 2 : maxRetries);
  }

  /** The SDK client: the given one, or one built from the settings. */
  OpenAIClient clientValue() {
    if (client != null) {
      if (apiKey != null
          || baseUrl != null
          || organization != null
          || project != null
          || maxRetries != null
          || timeout != null) {
        throw new IllegalStateException(
            "client(...) cannot be combined with apiKey, baseUrl, organization, project,"
                + " maxRetries, timeout or fromEnv settings; configure the client instead");
      }
      return client;
    }
    if (apiKey == null) {
      throw new IllegalStateException(
          "No OpenAI API key: set OPENAI_API_KEY (or the openai.apiKey property) and call"
              + " fromEnv(), or call apiKey(...)");
    }
    OpenAIOkHttpClient.Builder sdk = OpenAIOkHttpClient.builder().apiKey(apiKey);
    if (baseUrl != null) {
      sdk.baseUrl(baseUrl);
    }
    if (organization != null) {
      sdk.organization(organization);
    }
    if (project != null) {
      sdk.project(project);
    }
    if (maxRetries != null) {
      sdk.maxRetries(maxRetries);
    }
    if (timeout != null) {
      sdk.timeout(timeout);
    }
    return sdk.build();
  }

  /** Settings shown by {@code toString()}: never the key. */
  @Override
  public String toString() {
    return getClass().getSimpleName()
        + "{model="
        + model
        + ", endpoint="
        + endpoint("").endpoint()
        + ", apiKey="
        + (apiKey == null ? "unset" : "██")
        + "}";
  }
}
