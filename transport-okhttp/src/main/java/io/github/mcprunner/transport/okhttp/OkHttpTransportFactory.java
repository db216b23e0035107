package io.github.mcprunner.transport.okhttp;

import static java.util.Objects.requireNonNull;

import com.google.auto.service.AutoService;
import io.github.mcprunner.TransportKind;
import io.github.mcprunner.core.spi.McpTransportFactory;
import io.github.mcprunner.core.spi.TransportSettings;
import io.github.mcprunner.core.spi.http.StreamableHttpTransports;
import io.github.mcprunner.transport.okhttp.internal.HeaderInterceptor;
import io.github.mcprunner.transport.okhttp.internal.LegacySseTransport;
import io.github.mcprunner.transport.okhttp.internal.OkHttpMcpClient;
import io.modelcontextprotocol.spec.McpClientTransport;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;

/**
 * The {@code "okhttp"} transport: MCP Streamable HTTP (JSON and SSE answers, the GET event stream,
 * session ids, DELETE on close) and legacy HTTP+SSE written on OkHttp 5, with every request's
 * headers resolved by the runner's precedence chain and applied by an interceptor.
 *
 * <p>Give it your own {@link OkHttpClient} to keep its connection pool, proxy, TLS settings,
 * certificate pinning, event listener and interceptors: the factory derives its client with {@link
 * OkHttpClient#newBuilder()}, adds the header interceptor after yours, and changes only this:
 *
 * <ul>
 *   <li>redirects are not followed (a credential never travels to another origin; a redirecting
 *       server fails with an error naming it);
 *   <li>a request is never sent again by OkHttp after its connection failed ({@code
 *       retryOnConnectionFailure} is off): the server may have received and run it (a {@code
 *       tools/call}, the DELETE of a session), and whether to try again is the runner's decision;
 *   <li>the connect timeout is the server's {@code McpServerSpec.connectTimeout()}, the read
 *       timeout of POST and DELETE its {@code requestTimeout()}, and the GET event stream has no
 *       read or call timeout (it is idle by nature).
 * </ul>
 *
 * <p>Your application interceptors run before the header interceptor and do not see the resolved
 * headers (so they cannot log them); network interceptors do. Calls run with {@code Call.execute()}
 * on this factory's own daemon threads (one per request in flight and per open event stream, idle
 * ones end after a minute), not on the client's dispatcher, so dispatcher limits never block event
 * streams.
 *
 * <pre>{@code
 * OkHttpClient mine = new OkHttpClient.Builder()
 *     .proxy(proxy)
 *     .certificatePinner(pinner)
 *     .addInterceptor(metrics)
 *     .build();
 * Runner runner = Runners.builder().transport(new OkHttpTransportFactory(mine)).build();
 * }</pre>
 *
 * <p>{@link #close()} (the runner calls it for a factory it discovered) ends this factory's
 * threads; when the factory built its own client ({@link #OkHttpTransportFactory()}) it also
 * cancels that client's open calls, closes its connections and shuts its dispatcher down. A client
 * you supplied is left as it is: its connections and threads are yours to close.
 *
 * <p>Found with {@link java.util.ServiceLoader} (order 50: {@code transport-httpclient}, 100, is
 * the default when both are on the class path; a server picks this one with {@code
 * McpServerSpec.Builder.transport("okhttp")}). Thread-safe.
 */
@AutoService(McpTransportFactory.class)
public final class OkHttpTransportFactory implements McpTransportFactory {

  /** The name servers choose this transport by. */
  public static final String NAME = "okhttp";

  private static final AtomicInteger FACTORIES = new AtomicInteger();

  private final OkHttpClient client;
  private final ExecutorService executor;
  private final boolean ownsClient;
  private volatile boolean closed;

  /** Creates the factory with a new {@link OkHttpClient} of default settings, closed with it. */
  public OkHttpTransportFactory() {
    this(new OkHttpClient(), true);
  }

  /**
   * Creates the factory on {@code client}: its connection pool, dispatcher, proxy, TLS settings and
   * interceptors are kept; see the class description for what changes.
   */
  public OkHttpTransportFactory(OkHttpClient client) {
    this(requireNonNull(client, "client"), false);
  }

  private OkHttpTransportFactory(OkHttpClient client, boolean ownsClient) {
    this.client =
        client
            .newBuilder()
            .followRedirects(false)
            .followSslRedirects(false)
            // OkHttp would otherwise send a POST or DELETE again on a new connection when the
            // connection it went out on broke before the answer (a pooled connection the server
            // closed meanwhile), although the server may have received and run it: a session got
            // two DELETEs that way.
            .retryOnConnectionFailure(false)
            .addInterceptor(new HeaderInterceptor())
            .build();
    this.executor = newExecutor();
    this.ownsClient = ownsClient;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int order() {
    return 50;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalStateException if this factory is closed
   */
  @Override
  public McpClientTransport create(TransportSettings settings) {
    requireNonNull(settings, "settings");
    if (closed) {
      throw new IllegalStateException("this OkHttpTransportFactory is closed");
    }
    OkHttpClient requests =
        client
            .newBuilder()
            .connectTimeout(settings.connectTimeout())
            .readTimeout(settings.requestTimeout())
            .build();
    OkHttpClient streams =
        requests.newBuilder().readTimeout(Duration.ZERO).callTimeout(Duration.ZERO).build();
    if (settings.kind() == TransportKind.SSE) {
      return new LegacySseTransport(settings, requests, streams, executor);
    }
    return StreamableHttpTransports.create(
        settings, new OkHttpMcpClient(settings, requests, streams), executor);
  }

  /**
   * Ends this factory's threads once their calls are done; when the factory built its own client,
   * also cancels that client's calls still open, closes its connections and shuts its dispatcher
   * down. A client given to {@link #OkHttpTransportFactory(OkHttpClient)} is left open. Call it
   * once the sessions it created are closed; idempotent.
   */
  @Override
  public void close() {
    closed = true;
    executor.shutdown();
    if (ownsClient) {
      // A call still open here (an event stream whose session is closing, a DELETE on its way)
      // would hand its connection back to the pool after evictAll() and keep it there: cancel it,
      // so its connection is closed when the call lets go of it.
      client.dispatcher().cancelAll();
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }

  /** Returns the OkHttp client this factory derives each session's client from (for tests). */
  OkHttpClient client() {
    return client;
  }

  private static ExecutorService newExecutor() {
    int factory = FACTORIES.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    ThreadFactory named =
        task -> {
          Thread thread =
              new Thread(task, "mcp-okhttp-" + factory + "-" + threads.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        };
    // Like OkHttp's own dispatcher executor: a thread per blocking call, reused, idle ones end.
    return new ThreadPoolExecutor(
        0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), named);
  }
}
