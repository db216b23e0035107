package io.github.mcprunner.headers.oauth.internal;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import java.io.IOException;
import java.net.URI;
import net.minidev.json.JSONObject;
import org.jspecify.annotations.Nullable;

/**
 * Reads a JSON metadata document (authorization server, protected resource): one GET with connect
 * and read timeouts, {@code Accept: application/json}, redirects not followed. Not public API.
 */
public final class MetadataDocuments {

  /**
   * What a metadata URL answered.
   *
   * @param status the HTTP status
   * @param json the body as a JSON object when the status is 200 and the body is one, else null
   */
  public record Answer(int status, @Nullable JSONObject json) {}

  private MetadataDocuments() {}

  /**
   * Fetches {@code url}.
   *
   * @throws IOException if the server could not be reached or did not answer in time
   */
  public static Answer get(URI url, int connectTimeoutMillis, int readTimeoutMillis)
      throws IOException {
    HTTPRequest request = new HTTPRequest(HTTPRequest.Method.GET, url);
    request.setConnectTimeout(connectTimeoutMillis);
    request.setReadTimeout(readTimeoutMillis);
    request.setFollowRedirects(false);
    request.setAccept("application/json");
    HTTPResponse response = request.send();
    int status = response.getStatusCode();
    if (status != HTTPResponse.SC_OK) {
      return new Answer(status, null);
    }
    try {
      return new Answer(status, response.getBodyAsJSONObject());
    } catch (ParseException | RuntimeException e) {
      return new Answer(status, null);
    }
  }
}
