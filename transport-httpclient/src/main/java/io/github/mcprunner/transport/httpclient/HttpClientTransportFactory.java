package io.github.mcprunner.transport.httpclient;

import static java.util.Objects.requireNonNull;

import com.google.auto.service.AutoService;
import io.github.mcprunner.core.spi.McpTransportFactory;
import io.github.mcprunner.core.spi.TransportSettings;
import io.github.mcprunner.transport.httpclient.internal.HeaderCustomizer;
import io.github.mcprunner.transport.httpclient.internal.StatusMappingTransport;
import io.github.mcprunner.TransportKind;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpClientTransport;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.function.Consumer;

/**
 * The {@code "httpclient"} transport: the MCP Java SDK's {@code HttpClientStreamableHttpTransport}
 * and {@code HttpClientSseClientTransport} on {@link HttpClient}, with every request's headers
 * resolved by the runner's precedence chain and applied after the SDK's own protocol headers (which
 * they can never replace or duplicate).
 *
 * <p>Redirects are not followed ({@link HttpClient.Redirect#NEVER}), so a credential can never
 * travel to another origin; a redirecting server fails with a clear error. Found with {@link
 * java.util.ServiceLoader} (priority 100: the default when several transports are present).
 *
 * <pre>{@code
 * Runner runner = Runners.builder()
 *     .transport(new HttpClientTransportFactory(client -> client.proxy(ProxySelector.of(proxy))))
 *     .build();
 * }</pre>
 */
@AutoService(McpTransportFactory.class)
public final class HttpClientTransportFactory implements McpTransportFactory {

  /** The name servers choose this transport by. */
  public static final String NAME = "httpclient";

  private final Consumer<HttpClient.Builder> clientCustomizer;

  /** Creates the factory with the default {@link HttpClient} settings. */
  public HttpClientTransportFactory() {
    this(builder -> {});
  }

  /**
   * Creates the factory; {@code clientCustomizer} may configure each session's {@link
   * HttpClient.Builder} (proxy, SSL context, executor, version). The redirect policy stays {@link
   * HttpClient.Redirect#NEVER}.
   */
  public HttpClientTransportFactory(Consumer<HttpClient.Builder> clientCustomizer) {
    this.clientCustomizer = requireNonNull(clientCustomizer, "clientCustomizer");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return 100;
  }

  @Override
  public McpClientTransport create(TransportSettings settings) {
    requireNonNull(settings, "settings");
    URI url = settings.server().uri();
    String base = url.getScheme() + "://" + url.getRawAuthority();
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) {
      path = path + "?" + url.getRawQuery();
    }
    HttpClient.Builder client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(settings.connectTimeout());
    clientCustomizer.accept(client);
    client.followRedirects(HttpClient.Redirect.NEVER);
    HeaderCustomizer customizer = new HeaderCustomizer(settings.headers(), settings.jsonMapper());
    McpClientTransport transport;
    if (settings.kind() == TransportKind.SSE) {
      transport =
          HttpClientSseClientTransport.builder(base)
              .sseEndpoint(path)
              .clientBuilder(client)
              .connectTimeout(settings.connectTimeout())
              .jsonMapper(settings.jsonMapper())
              .asyncHttpRequestCustomizer(customizer)
              .build();
    } else {
      transport =
          HttpClientStreamableHttpTransport.builder(base)
              .endpoint(path)
              .clientBuilder(client)
              .connectTimeout(settings.connectTimeout())
              .jsonMapper(settings.jsonMapper())
              .asyncHttpRequestCustomizer(customizer)
              .build();
    }
    return new StatusMappingTransport(transport);
  }
}
