package io.github.mcprunner.conformance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Plays the user's browser in an authorization code flow, for the conformance suite only: the
 * suite's authorization server approves at once and redirects to the client's {@code redirect_uri}
 * with the code. This opens the authorization URL, does not follow the redirect, and returns where
 * it points. A real service sends its user's browser to the URL instead and completes when its own
 * callback endpoint receives the redirect.
 */
final class HeadlessUserAgent {
  private final HttpClient http =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  /**
   * Opens {@code authorizationUrl} and returns the redirect's target, resolved against it.
   *
   * @throws IllegalStateException if the server does not answer with a redirect
   */
  URI authorize(URI authorizationUrl) {
    HttpRequest request =
        HttpRequest.newBuilder(authorizationUrl).timeout(Duration.ofSeconds(10)).GET().build();
    HttpResponse<Void> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      throw new IllegalStateException(
          "the authorization endpoint at " + origin(authorizationUrl) + " could not be reached", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while opening the authorization endpoint", e);
    }
    int status = response.statusCode();
    String location = response.headers().firstValue("Location").orElse(null);
    if (status / 100 != 3 || location == null) {
      throw new IllegalStateException(
          "the authorization endpoint at "
              + origin(authorizationUrl)
              + " answered HTTP "
              + status
              + " instead of redirecting back with a code");
    }
    return authorizationUrl.resolve(location);
  }

  /** Scheme, host and port only: the query holds the state and the PKCE challenge. */
  private static String origin(URI uri) {
    return uri.getScheme() + "://" + uri.getAuthority();
  }
}
