package io.github.mcprunner.model.openai.internal;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * What a failure message names: the API, the endpoint it was sent to (without user info or query),
 * the model and the number of retries the SDK makes.
 *
 * @param api {@code "Responses API"} or {@code "Chat Completions API"}
 * @param endpoint the base URL, redacted, or a description of a preconfigured client
 * @param model the model name
 * @param maxRetries the SDK's retries, or -1 when unknown (a preconfigured client)
 */
public record Endpoint(String api, String endpoint, String model, int maxRetries) {

  /** The SDK's default base URL. */
  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

  /** Returns {@code url} without user info, query or fragment, for messages and logs. */
  public static String redact(String url) {
    try {
      URI uri = new URI(url);
      if (uri.getScheme() == null || uri.getHost() == null) {
        return "<unparsable base URL>";
      }
      return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null)
          .toString();
    } catch (URISyntaxException e) {
      return "<unparsable base URL>";
    }
  }

  /**
   * Returns the start of a failure message: {@code OpenAI Responses API at URL (model 'm', agent
   * 'a')}.
   */
  String describe(String agentName) {
    return "OpenAI "
        + api
        + " at "
        + endpoint
        + " (model '"
        + model
        + "', agent '"
        + agentName
        + "')";
  }

  /** Returns {@code " after N retries"}, nothing for none, the client's retries when unknown. */
  String afterRetries() {
    if (maxRetries < 0) {
      return " after the client's retries";
    }
    if (maxRetries == 0) {
      return "";
    }
    return maxRetries == 1 ? " after 1 retry" : " after " + maxRetries + " retries";
  }
}
