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
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The {@code "httpclient"} transport on {@link HttpClient}: MCP Streamable HTTP with mcp-runner's
 * own client ({@code StreamableHttpTransports}: JSON and SSE answers, resumption of an answer
 * stream with {@code Last-Event-ID} after the server's {@code retry}, the GET event stream, session
 * ids, DELETE on close), and legacy HTTP+SSE with the MCP Java SDK's {@code
 * HttpClientSseClientTransport}. Every request's headers are resolved by the runner's precedence
 * chain and applied after the transport's own protocol headers (which they can never replace or
 * duplicate).
 *
 * <p>The Streamable HTTP sessions of this factory share a few {@link HttpClient}s (at most eight
 * per connect timeout, handed to new sessions in turn), so a new session builds no client, no
 * connection pool and no selector thread once they exist, while many concurrent sessions are not
 * all read by one selector thread; per-run headers are set on each request, never on a client.
 * Legacy SSE sessions each get their own client, built by the MCP SDK's transport. {@link #close()}
 * (the runner calls it for a factory it discovered) ends this factory's threads and lets go of its
 * clients: on JDK 21 and later it shuts them down ({@code HttpClient.shutdownNow()}); on JDK 17,
 * which has no such method, a client's selector thread closes its idle connections and ends once
 * the client is no longer referenced (after a garbage collection).
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

  /** {@code HttpClient.shutdownNow()} of JDK 21 and later; null on older JDKs. */
  private static final @Nullable Method SHUTDOWN_NOW = shutdownNowMethod();

  private final Consumer<HttpClient.Builder> clientCustomizer;
  private final ExecutorService executor = newExecutor();

  /**
   * How many clients the Streamable HTTP sessions of one connect timeout share, in turn. One client
   * has one selector thread, which reads every answer of its sessions: under many concurrent
   * sessions on a busy machine that one thread, given its fair share of the CPU among hundreds of
   * runnable threads, held up every session (800 concurrent runs took 72 s instead of 19 s with a
   * client per session); a few clients keep that share while a new session still builds none.
   */
  static final int SHARED_CLIENTS = 8;

  // The shared clients of Streamable HTTP sessions, by connect timeout (a setting of the client).
  private final ConcurrentHashMap<Duration, SharedClients> clients = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /** Creates the factory with the default {@link HttpClient} settings. */
  public HttpClientTransportFactory() {
    this(builder -> {});
  }

  /**
   * Creates the factory; {@code clientCustomizer} may configure the {@link HttpClient.Builder} of
   * each client the factory builds (proxy, SSL context, executor, version): those its Streamable
   * HTTP sessions share, and each legacy SSE session's. The redirect policy stays {@link
   * HttpClient.Redirect#NEVER}. It must not set a {@link java.net.CookieHandler}: a shared client
   * would send one run's cookies with another's requests, so {@link #create} refuses such a client
   * with an {@link IllegalStateException}.
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

  /**
   * {@inheritDoc}
   *
   * @throws IllegalStateException if this factory is closed, or the {@code clientCustomizer} set a
   *     cookie handler
   */
  @Override
  public McpClientTransport create(TransportSettings settings) {
    requireNonNull(settings, "settings");
    checkOpen();
    if (settings.kind() != TransportKind.SSE) {
      SharedClients shared =
          clients.computeIfAbsent(settings.connectTimeout(), timeout -> new SharedClients());
      HttpClient client = shared.next(settings.connectTimeout());
      if (closed) {
        // close() ran meanwhile and may have missed the client just built.
        shared.shutDown();
        checkOpen();
      }
      return StreamableHttpTransports.create(
          settings, new JdkMcpHttpClient(settings, client), executor);
    }
    URI url = settings.server().uri();
    String base = url.getScheme() + "://" + url.getRawAuthority();
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) {
      path = path + "?" + url.getRawQuery();
    }
    // The SDK's legacy SSE transport builds its own client from the builder (it keeps the client's
    // default executor).
    HttpClient.Builder client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(settings.connectTimeout());
    clientCustomizer.accept(client);
    client.followRedirects(HttpClient.Redirect.NEVER);
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

  /**
   * Ends this factory's threads once their calls are done and lets go of its shared clients (shut
   * down on JDK 21 and later). Call it once the sessions it created are closed; idempotent.
   */
  @Override
  public void close() {
    closed = true;
    executor.shutdown();
    for (SharedClients shared : clients.values()) {
      shared.shutDown();
    }
    clients.clear();
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("this HttpClientTransportFactory is closed");
    }
  }

  /** The clients the sessions of one connect timeout share, built as sessions ask, in turn. */
  private final class SharedClients {
    private final @Nullable HttpClient[] built = new HttpClient[SHARED_CLIENTS];
    private int next;

    synchronized HttpClient next(Duration connectTimeout) {
      int slot = next;
      next = (next + 1) % SHARED_CLIENTS;
      HttpClient client = built[slot];
      if (client == null) {
        client = newClient(connectTimeout);
        built[slot] = client;
      }
      return client;
    }

    synchronized void shutDown() {
      for (int i = 0; i < SHARED_CLIENTS; i++) {
        HttpClient client = built[i];
        built[i] = null;
        if (client != null) {
          HttpClientTransportFactory.shutDown(client);
        }
      }
    }
  }

  private HttpClient newClient(Duration connectTimeout) {
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            // The client's own asynchronous work (handing the bytes it read to the body) never
            // blocks: run it where it arises instead of handing every response over to a pool
            // thread and back.
            .executor(Runnable::run);
    clientCustomizer.accept(builder);
    builder.followRedirects(HttpClient.Redirect.NEVER);
    HttpClient client = builder.build();
    if (client.cookieHandler().isPresent()) {
      shutDown(client);
      throw new IllegalStateException(
          "the clientCustomizer of HttpClientTransportFactory set a CookieHandler: the sessions"
              + " share the client, so one run's cookies would go out with another run's requests;"
              + " set cookies as per-run headers instead");
    }
    return client;
  }

  /** Shuts {@code client} down where the JDK can (21 and later); else lets the client go. */
  private static void shutDown(HttpClient client) {
    Method shutdownNow = SHUTDOWN_NOW;
    if (shutdownNow == null) {
      return;
    }
    try {
      shutdownNow.invoke(client);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // Not ours to report: the client ends once no longer referenced, as on JDK 17.
    }
  }

  private static @Nullable Method shutdownNowMethod() {
    try {
      return HttpClient.class.getMethod("shutdownNow");
    } catch (NoSuchMethodException e) {
      return null;
    }
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
