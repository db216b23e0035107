package io.github.mcprunner.transport.httpclient;

import static java.util.Objects.requireNonNull;

import com.google.auto.service.AutoService;
import io.github.mcprunner.TransportKind;
import io.github.mcprunner.core.spi.McpTransportFactory;
import io.github.mcprunner.core.spi.TransportSettings;
import io.github.mcprunner.core.spi.http.StreamableHttpTransports;
import io.github.mcprunner.transport.httpclient.internal.HeaderCustomizer;
import io.github.mcprunner.transport.httpclient.internal.JdkMcpHttpClient;
import io.github.mcprunner.transport.httpclient.internal.StatusMappingTransport;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.spec.McpClientTransport;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The {@code "httpclient"} transport on {@link HttpClient}: MCP Streamable HTTP with mcp-runner's
 * own client ({@code StreamableHttpTransports}: JSON and SSE answers, resumption of an answer
 * stream with {@code Last-Event-ID} after the server's {@code retry}, the GET event stream, session
 * ids, DELETE on close), and legacy HTTP+SSE with the MCP Java SDK's {@code
 * HttpClientSseClientTransport}. Every request's headers are resolved by the runner's precedence
 * chain and applied after the transport's own protocol headers (which they can never replace or
 * duplicate).
 *
 * <p>Streamable HTTP calls run on this factory's own daemon threads (one per request in flight and
 * per open event stream; idle ones end after a minute), each waiting for its response in the
 * blocking {@link HttpClient#send}. The client's own asynchronous work (handing the bytes it read
 * to the waiting call) runs on the thread where it arises, its selector thread, instead of a pool
 * thread: with HTTP/1.1 nothing blocks there, and a response costs no thread hand-over. A {@code
 * clientCustomizer} may set an executor of its own on the {@link HttpClient.Builder} (do so if it
 * switches to HTTP/2); the legacy SSE transport keeps the client's default executor.
 *
 * <p>Redirects are not followed ({@link HttpClient.Redirect#NEVER}), so a credential can never
 * travel to another origin; a redirecting server fails with a clear error. Found with {@link
 * java.util.ServiceLoader} (order 100: the default when several transports are present).
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

  private static final AtomicInteger FACTORIES = new AtomicInteger();

  private final Consumer<HttpClient.Builder> clientCustomizer;
  private final ExecutorService executor = newExecutor();

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
  public int order() {
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
    if (settings.kind() != TransportKind.SSE) {
      // The client's own asynchronous work (handing the bytes it read to the body) never blocks:
      // run it where it arises instead of handing every response over to a pool thread and back.
      client.executor(Runnable::run);
    }
    clientCustomizer.accept(client);
    client.followRedirects(HttpClient.Redirect.NEVER);
    if (settings.kind() != TransportKind.SSE) {
      return StreamableHttpTransports.create(
          settings, new JdkMcpHttpClient(settings, client.build()), executor);
    }
    HeaderCustomizer customizer = new HeaderCustomizer(settings.headers(), settings.jsonMapper());
    McpClientTransport transport =
        HttpClientSseClientTransport.builder(base)
            .sseEndpoint(path)
            .clientBuilder(client)
            .connectTimeout(settings.connectTimeout())
            .jsonMapper(settings.jsonMapper())
            .asyncHttpRequestCustomizer(customizer)
            .build();
    return new StatusMappingTransport(transport);
  }

  private static ExecutorService newExecutor() {
    int factory = FACTORIES.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    ThreadFactory named =
        task -> {
          Thread thread =
              new Thread(task, "mcp-httpclient-" + factory + "-" + threads.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        };
    // A thread per blocking call, reused; idle ones end.
    return new ThreadPoolExecutor(
        0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), named);
  }
}
