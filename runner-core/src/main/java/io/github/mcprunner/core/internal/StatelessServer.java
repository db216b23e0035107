package io.github.mcprunner.core.internal;

import io.github.mcprunner.McpProtocol;
import io.github.mcprunner.McpProtocolException;
import io.github.mcprunner.McpServerException;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunEvent;
import io.github.mcprunner.SessionStrategy;
import io.github.mcprunner.TransportKind;
import io.github.mcprunner.core.internal.http.StatelessHttpClient;
import io.github.mcprunner.core.spi.McpTransportFactory;
import io.github.mcprunner.core.spi.OutgoingRequest;
import io.github.mcprunner.core.spi.ResponseLostException;
import io.github.mcprunner.core.spi.TransportHttpException;
import io.github.mcprunner.core.spi.TransportSettings;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.model.ToolDefinition;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MCP server as the stateless protocol (MCP 2026-07-28) sees it, shared by every run: which
 * protocol the server speaks ({@link McpServerSpec#protocol()}; {@code AUTO} probes once with
 * {@code server/discover} and remembers), the {@link StatelessHttpClient} on the transport module's
 * HTTP client, the tool lists ({@code ttlMs} and {@code cacheScope} honoured: a {@code public} list
 * serves every identity, a {@code private} one only its own), the {@code x-mcp-header} annotations,
 * and the tool calls with their multi round-trips. Nothing is pooled and nothing is opened: each
 * request is one POST carrying its run's resolved headers. Thread-safe. Not public API.
 */
final class StatelessServer {
  private static final Logger log = LoggerFactory.getLogger(StatelessServer.class);

  /** The protocol family a server was found to speak. */
  enum Era {
    STATELESS,
    SESSIONS
  }

  /** A tool list as one identity (or every identity, when public) may see it. */
  private record ToolList(List<ToolDefinition> definitions, Map<String, ToolParamHeaders> params) {}

  private final McpServerSpec server;
  private final McpTransportFactory factory;
  private final HeaderChain chain;
  private final McpJsonMapper json;
  private final LongSupplier nanos;
  private final Observation observation;
  private final Object lock = new Object();
  private volatile @Nullable Era decided;
  private @Nullable CompletableFuture<Era> probing;
  private @Nullable StatelessHttpClient client;
  private final ToolLists<ToolList> lists;

  StatelessServer(
      McpServerSpec server,
      McpTransportFactory factory,
      HeaderChain chain,
      McpJsonMapper json,
      LongSupplier nanos,
      Observation observation) {
    this.server = server;
    this.factory = factory;
    this.chain = chain;
    this.json = json;
    this.nanos = nanos;
    this.observation = observation;
    this.lists = new ToolLists<>(server.maxSessions(), server.sessionIdleTimeout(), nanos);
    if (server.transportKind() == TransportKind.SSE || server.protocol() == McpProtocol.SESSIONS) {
      decided = Era.SESSIONS;
    } else if (server.protocol() == McpProtocol.STATELESS) {
      decided = Era.STATELESS;
    }
  }

  McpServerSpec server() {
    return server;
  }

  /** Returns the era decided so far, or null while {@code AUTO} has not probed yet. */
  @Nullable Era decided() {
    return decided;
  }

  /**
   * Returns the era of the server, probing it first (once, however many runs ask at the same time)
   * under {@code AUTO}, with {@code scope}'s full header chain.
   */
  CompletableFuture<Era> era(RunScope scope) {
    Era known = decided;
    if (known != null) {
      return CompletableFuture.completedFuture(known);
    }
    CompletableFuture<Era> probe;
    boolean own = false;
    synchronized (lock) {
      known = decided;
      if (known != null) {
        return CompletableFuture.completedFuture(known);
      }
      probe = probing;
      if (probe == null) {
        own = true;
        CompletableFuture<Era> started = probe(scope);
        probe = started;
        probing = started;
        started.whenComplete(
            (era, error) -> {
              synchronized (lock) {
                if (era != null) {
                  decided = era;
                }
                if (probing == started) {
                  probing = null;
                }
              }
            });
      }
    }
    if (own) {
      // A copy: a run that cancels its wait must not cancel the probe other runs share.
      return probe.thenApply(era -> era);
    }
    // Another run's probe: its failure (that run's provider, that run's token) is not this run's;
    // then this run probes with its own headers.
    return probe
        .handle((era, error) -> era)
        .thenCompose(era -> era != null ? CompletableFuture.completedFuture(era) : era(scope));
  }

  /**
   * Forgets what {@code AUTO} decided (the server refused the protocol version, or the session
   * protocol failed to open), so that the next run probes again. No effect on a fixed protocol.
   */
  void forget() {
    if (server.protocol() == McpProtocol.AUTO && server.transportKind() != TransportKind.SSE) {
      decided = null;
      lists.clear();
    }
  }

  private CompletableFuture<Era> probe(RunScope scope) {
    StatelessHttpClient http;
    try {
      http = client();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    // Not observed: the answer a session server gives (an HTTP error) is the expected one, and
    // would put an error on the first run of every session server under AUTO.
    return http.send("server/discover", Map.of(), null, null, Map.of(), headers(scope, false))
        .handle(
            (result, error) -> {
              if (error == null) {
                return eraOf(result);
              }
              Throwable cause = unwrap(error);
              if (cause instanceof StatelessHttpClient.RpcError) {
                StatelessHttpClient.RpcError rpc = (StatelessHttpClient.RpcError) cause;
                if (rpc.isModern()) {
                  return rpc.code() == StatelessHttpClient.UNSUPPORTED_PROTOCOL_VERSION
                          && !supports(rpc.data(), "supported")
                      ? Era.SESSIONS
                      : Era.STATELESS;
                }
                return Era.SESSIONS;
              }
              if (cause instanceof TransportHttpException) {
                int status = ((TransportHttpException) cause).statusCode();
                if (status == 400 || status == 404 || status == 405) {
                  return Era.SESSIONS;
                }
              }
              throw cause instanceof RuntimeException
                  ? (RuntimeException) cause
                  : new CompletionException(cause);
            });
  }

  /**
   * A {@code server/discover} result counts only when it lists 2026-07-28 among its {@code
   * supportedVersions}: a server of an earlier revision that answers any method with an empty
   * result is no 2026-07-28 server.
   */
  private static Era eraOf(Map<String, Object> discovered) {
    Object versions = discovered.get("supportedVersions");
    return versions instanceof List<?> && ((List<?>) versions).contains(StatelessHttpClient.VERSION)
        ? Era.STATELESS
        : Era.SESSIONS;
  }

  private static boolean supports(@Nullable Object data, String field) {
    if (!(data instanceof Map<?, ?>)) {
      return true;
    }
    Object versions = ((Map<?, ?>) data).get(field);
    return !(versions instanceof List<?>)
        || ((List<?>) versions).contains(StatelessHttpClient.VERSION);
  }

  // ---- tools

  /** Returns the tools {@code scope}'s identity may see, from the cache while it is fresh. */
  CompletableFuture<List<ToolDefinition>> listTools(RunScope scope) {
    ToolList cached = cached(scope, true);
    if (cached != null) {
      return CompletableFuture.completedFuture(cached.definitions());
    }
    return fetchTools(scope).thenApply(ToolList::definitions);
  }

  /**
   * Calls tool {@code name} with {@code arguments} ({@code Mcp-Param-*} mirrored as the listed
   * tool's annotations say); on {@code HeaderMismatch} the tools are listed again once and the call
   * retried, as the revision advises. The round bound and the re-issue switch are {@code spec}'s,
   * the caller's own spec of this server (agents may set them differently for one server).
   */
  CompletableFuture<io.modelcontextprotocol.spec.McpSchema.CallToolResult> callTool(
      RunScope scope, McpServerSpec spec, String name, Map<String, Object> arguments) {
    ToolList list = cached(scope, false);
    CompletableFuture<ToolList> ready =
        list != null ? CompletableFuture.completedFuture(list) : fetchTools(scope);
    return ready
        .thenCompose(
            tools ->
                reissuedOnce(scope, spec, () -> call(scope, spec, name, arguments, tools), name))
        .exceptionallyCompose(
            error -> {
              Throwable cause = unwrap(error);
              if (cause instanceof StatelessHttpClient.RpcError
                  && ((StatelessHttpClient.RpcError) cause).code()
                      == StatelessHttpClient.HEADER_MISMATCH) {
                log.debug(
                    "MCP server '{}' answered tools/call of '{}' with HeaderMismatch: listing its"
                        + " tools again",
                    server.name(),
                    name);
                return fetchTools(scope)
                    .thenCompose(tools -> call(scope, spec, name, arguments, tools))
                    .exceptionallyCompose(
                        again -> CompletableFuture.failedFuture(translate(again, "tools/call")));
              }
              return CompletableFuture.failedFuture(translate(error, "tools/call"));
            });
  }

  /**
   * Runs {@code request}; when its response stream broke (the request is lost, as MCP 2026-07-28
   * says), runs it once more as a new request, unless the spec turned that off, and tells the run's
   * events ({@link RunEvent.RequestReissued}: the tool may have run twice).
   */
  private <T> CompletableFuture<T> reissuedOnce(
      RunScope scope,
      McpServerSpec spec,
      java.util.function.Supplier<CompletableFuture<T>> request,
      String toolName) {
    return request
        .get()
        .exceptionallyCompose(
            error -> {
              if (spec.reissueLostRequests() && unwrap(error) instanceof ResponseLostException) {
                log.info(
                    "MCP server '{}': the response stream of tools/call '{}' broke; the request is"
                        + " re-issued once as a new request (MCP 2026-07-28)",
                    server.name(),
                    toolName);
                scope
                    .input()
                    .publish(
                        new RunEvent.RequestReissued(
                            scope.runId(), server.name(), "tools/call", toolName));
                return request.get();
              }
              return CompletableFuture.failedFuture(error);
            });
  }

  private CompletableFuture<io.modelcontextprotocol.spec.McpSchema.CallToolResult> call(
      RunScope scope,
      McpServerSpec spec,
      String name,
      Map<String, Object> arguments,
      ToolList tools) {
    ToolParamHeaders params = tools.params().getOrDefault(name, ToolParamHeaders.NONE);
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("name", name);
    request.put("arguments", arguments);
    return MultiRoundTrip.run(
            spec,
            client(),
            "tools/call",
            request,
            name,
            params.headersFor(arguments),
            headers(scope),
            InputRequestPolicy.forRun(server, scope, json))
        .thenApply(
            result ->
                json.convertValue(
                    result, io.modelcontextprotocol.spec.McpSchema.CallToolResult.class));
  }

  private @Nullable ToolList cached(RunScope scope, boolean freshOnly) {
    return lists.get(identityKey(scope, server.name()), freshOnly);
  }

  private CompletableFuture<ToolList> fetchTools(RunScope scope) {
    List<McpSchema.Tool> all = new ArrayList<>();
    return page(scope, null, all, new boolean[] {true}, new long[] {Long.MAX_VALUE})
        .thenApply(
            last -> {
              ToolList list = toolList(all);
              lists.put(identityKey(scope, server.name()), list, last[0] == 1, last[1]);
              return list;
            })
        .exceptionallyCompose(
            error -> CompletableFuture.failedFuture(translate(error, "tools/list")));
  }

  /** Lists one page and the ones after it; completes with {public ? 1 : 0, min ttlMs}. */
  private CompletableFuture<long[]> page(
      RunScope scope,
      @Nullable String cursor,
      List<McpSchema.Tool> all,
      boolean[] isPublic,
      long[] ttl) {
    Map<String, Object> params = cursor == null ? Map.of() : Map.of("cursor", cursor);
    return client()
        .send("tools/list", params, null, null, Map.of(), headers(scope))
        .thenCompose(
            result -> {
              McpSchema.ListToolsResult page =
                  json.convertValue(result, McpSchema.ListToolsResult.class);
              if (page.tools() != null) {
                all.addAll(page.tools());
              }
              // Private unless the server says public: a list must never reach another identity.
              isPublic[0] &= page.cacheScope() == McpSchema.CacheScope.PUBLIC;
              long pageTtl = page.ttlMs() == null ? 0 : Math.max(0, page.ttlMs());
              ttl[0] = Math.min(ttl[0], pageTtl);
              String next = page.nextCursor();
              if (next == null || next.isEmpty()) {
                return CompletableFuture.completedFuture(new long[] {isPublic[0] ? 1 : 0, ttl[0]});
              }
              return page(scope, next, all, isPublic, ttl);
            });
  }

  private ToolList toolList(List<McpSchema.Tool> tools) {
    List<ToolDefinition> kept = new ArrayList<>();
    Map<String, ToolParamHeaders> params = new LinkedHashMap<>();
    for (McpSchema.Tool tool : tools) {
      if (!server.allowsTool(tool.name())) {
        continue;
      }
      ToolParamHeaders headers = ToolParamHeaders.of(tool);
      String problem = headers.invalid();
      if (problem != null) {
        log.warn(
            "MCP server '{}' listed tool '{}' with invalid x-mcp-header annotations ({}): the tool"
                + " is left out",
            server.name(),
            tool.name(),
            problem);
        continue;
      }
      String schema;
      try {
        schema =
            tool.inputSchema() == null
                ? "{\"type\":\"object\"}"
                : json.writeValueAsString(tool.inputSchema());
      } catch (IOException e) {
        throw new McpServerException(
            server.name(),
            server.uri(),
            "listed tool '" + tool.name() + "' with an unreadable schema",
            e);
      }
      kept.add(
          new ToolDefinition(
              tool.name(), tool.description() == null ? "" : tool.description(), schema));
      params.put(tool.name(), headers);
    }
    return new ToolList(List.copyOf(kept), Map.copyOf(params));
  }

  // ---- shared

  private StatelessHttpClient client() {
    synchronized (lock) {
      StatelessHttpClient current = client;
      if (current != null) {
        return current;
      }
      TransportSettings settings =
          new TransportSettings(
              server.ref(),
              server.transportKind(),
              server.connectTimeout(),
              server.requestTimeout(),
              (request, context) -> {
                throw new IllegalStateException(
                    "stateless requests resolve their headers per run,"
                        + " never through the transport");
              },
              json);
      McpClientTransport transport = factory.create(settings);
      StatelessHttpClient created =
          StatelessHttpClient.over(
              transport, json, InputRequestPolicy.CLIENT_CAPABILITIES, clientInfo());
      if (created == null) {
        transport.close();
        throw new McpServerException(
            server.name(),
            server.uri(),
            "needs the stateless protocol (MCP 2026-07-28), which the transport '"
                + factory.name()
                + "' does not offer: it is not built on the shared Streamable HTTP client",
            null);
      }
      client = created;
      return created;
    }
  }

  private static Map<String, Object> clientInfo() {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("name", "mcp-runner");
    info.put("version", Version.VERSION);
    return info;
  }

  /**
   * The run's headers for each request: the chain, exactly as a session's request resolves it; and
   * the run's observation of each request (each round of a multi round-trip and a re-issue are
   * requests of their own), unless {@code observed} is false (AUTO's probe).
   */
  private StatelessHttpClient.HeaderSource headers(RunScope scope) {
    return headers(scope, true);
  }

  private StatelessHttpClient.HeaderSource headers(RunScope scope, boolean observed) {
    SessionHeaderSource source = new SessionHeaderSource(chain, server, scope);
    return new StatelessHttpClient.HeaderSource() {
      @Override
      public McpHeaders headersFor(OutgoingRequest request) {
        return source.headersFor(request, scope.transportContext());
      }

      @Override
      public RunScope run() {
        return scope;
      }

      @Override
      public StatelessHttpClient.@Nullable RequestObserver observe(
          String method, @Nullable String toolName) {
        return observed ? observation.stateless(scope, server, method, toolName) : null;
      }
    };
  }

  private static String identityKey(RunScope scope, String serverName) {
    return Identities.key(SessionStrategy.PER_IDENTITY, scope, serverName);
  }

  /**
   * Turns what the stateless client raised into what the runner's retry rules understand: the
   * revision's protocol errors as {@link McpProtocolException}, another JSON-RPC error as the SDK's
   * {@link McpError}, a status that says the server does not speak the revision as {@link
   * McpProtocolException} too; anything else unchanged.
   */
  Throwable translate(Throwable error, String method) {
    Throwable cause = unwrap(error);
    if (cause instanceof StatelessHttpClient.RpcError) {
      StatelessHttpClient.RpcError rpc = (StatelessHttpClient.RpcError) cause;
      switch (rpc.code()) {
        case StatelessHttpClient.UNSUPPORTED_PROTOCOL_VERSION:
          forget();
          return new McpProtocolException(
              server.name(),
              server.uri(),
              method,
              McpProtocolException.Reason.UNSUPPORTED_PROTOCOL_VERSION,
              "the runner speaks "
                  + StatelessHttpClient.VERSION
                  + ", the server supports "
                  + versions(rpc.data()),
              null);
        case StatelessHttpClient.HEADER_MISMATCH:
          return new McpProtocolException(
              server.name(),
              server.uri(),
              method,
              McpProtocolException.Reason.HEADER_MISMATCH,
              "its MCP headers (Mcp-Method, Mcp-Name, Mcp-Param-*) did not match the body, also"
                  + " after listing the tools again",
              null);
        case StatelessHttpClient.MISSING_CLIENT_CAPABILITY:
          return new McpProtocolException(
              server.name(),
              server.uri(),
              method,
              McpProtocolException.Reason.MISSING_CLIENT_CAPABILITY,
              "the server requires a client capability the runner does not declare",
              null);
        default:
          return new McpError(
              new io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse.JSONRPCError(
                  rpc.code(), rpc.serverMessage(), null));
      }
    }
    if (cause instanceof TransportHttpException && decided == Era.STATELESS) {
      int status = ((TransportHttpException) cause).statusCode();
      if (status == 400 || status == 404 || status == 405) {
        // A fallback failure: under AUTO the next run decides again.
        forget();
        return new McpProtocolException(
            server.name(),
            server.uri(),
            method,
            McpProtocolException.Reason.NOT_STATELESS,
            "it answered HTTP " + status + " without an MCP 2026-07-28 error",
            cause);
      }
    }
    return cause;
  }

  private static String versions(@Nullable Object data) {
    if (data instanceof Map<?, ?>) {
      Object supported = ((Map<?, ?>) data).get("supported");
      if (supported instanceof List<?>) {
        List<String> names = new ArrayList<>();
        for (Object version : (List<?>) supported) {
          // Versions are dates: keep only what looks like one (never echo arbitrary server text).
          String text = String.valueOf(version);
          if (text.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}")) {
            names.add(text);
          }
        }
        return names.toString();
      }
    }
    return "no version it named";
  }

  static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
