package io.github.mcprunner.transport.okhttp.internal;

import io.github.mcprunner.core.spi.TransportSettings;
import io.github.mcprunner.core.spi.http.McpHttpCall;
import io.github.mcprunner.core.spi.http.McpHttpClient;
import io.github.mcprunner.core.spi.http.McpHttpRequest;
import io.github.mcprunner.core.spi.http.McpHttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * The Streamable HTTP transport's HTTP client on OkHttp: requests are built with the transport's
 * protocol headers and a {@link RequestTag} holding the resolved headers, which {@link
 * HeaderInterceptor} adds after the user's interceptors ran; event streams go through the client
 * without read or call timeout. OkHttp's timeouts are mapped by {@link HttpErrors}. Not public API.
 */
public final class OkHttpMcpClient implements McpHttpClient {
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  private final TransportSettings settings;
  private final OkHttpClient client;
  private final OkHttpClient streamClient;
  private final HttpUrl url;

  /**
   * Creates the client.
   *
   * @param client the client for POST and DELETE (read timeout = request timeout)
   * @param streamClient the client for event streams (no read timeout)
   */
  public OkHttpMcpClient(
      TransportSettings settings, OkHttpClient client, OkHttpClient streamClient) {
    this.settings = settings;
    this.client = client;
    this.streamClient = streamClient;
    this.url = Objects.requireNonNull(HttpUrl.get(settings.server().uri().toString()));
  }

  @Override
  public McpHttpCall newCall(McpHttpRequest request) {
    String body = request.jsonBody();
    Request.Builder builder =
        new Request.Builder()
            .url(url)
            .method(request.method(), body == null ? null : RequestBody.create(body, JSON));
    request.protocolHeaders().forEach(builder::header);
    builder.tag(RequestTag.class, new RequestTag(request.headers(), request.request().mcpMethod()));
    Call call = (request.eventStream() ? streamClient : client).newCall(builder.build());
    return new OkHttpCall(call);
  }

  @Override
  public Throwable mapFailure(Throwable error) {
    return HttpErrors.map(error, settings.connectTimeout(), settings.requestTimeout());
  }

  private static final class OkHttpCall implements McpHttpCall {
    private final Call call;

    OkHttpCall(Call call) {
      this.call = call;
    }

    @Override
    public McpHttpResponse execute() throws IOException {
      Response response = call.execute();
      return new McpHttpResponse() {
        @Override
        public int status() {
          return response.code();
        }

        @Override
        public @Nullable String header(String name) {
          return response.header(name);
        }

        @Override
        public InputStream body() {
          return response.body().byteStream();
        }

        @Override
        public void close() {
          response.close();
        }
      };
    }

    @Override
    public void cancel() {
      call.cancel();
    }
  }
}
