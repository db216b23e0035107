package io.github.mcprunner.testkit;

import io.modelcontextprotocol.json.McpJsonMapper;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Sits in front of the SDK servlet: records every request (body cached so the SDK can read it
 * again), then applies the test controls in this order: request delay and injected failures (POST
 * only), bearer-token check, sessions lost at their request's MCP method, expired sessions; and
 * finally hands the request to the SDK.
 */
final class RecordingFilter implements Filter {

  static final String SESSION_HEADER = "Mcp-Session-Id";
  private static final int MAX_BODY_BYTES = 32 * 1024 * 1024;

  private final ServerState state;
  private final EmbeddedMcpServer.Mode mode;
  private final McpJsonMapper jsonMapper;
  private final @Nullable Predicate<String> acceptsToken;
  private final Supplier<String> resourceMetadataUrl;

  RecordingFilter(
      ServerState state,
      EmbeddedMcpServer.Mode mode,
      McpJsonMapper jsonMapper,
      @Nullable Predicate<String> acceptsToken,
      Supplier<String> resourceMetadataUrl) {
    this.state = state;
    this.mode = mode;
    this.jsonMapper = jsonMapper;
    this.acceptsToken = acceptsToken;
    this.resourceMetadataUrl = resourceMetadataUrl;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    boolean post = "POST".equalsIgnoreCase(request.getMethod());
    byte[] body = post ? readBody(request) : null;
    String bodyText = body == null ? "" : new String(body, StandardCharsets.UTF_8);
    String sessionId = sessionId(request);
    ServerState.Entry entry =
        state.record(
            new ServerState.Entry(
                request.getMethod(),
                request.getRequestURI(),
                request.getQueryString(),
                post ? JsonRpcPeek.of(jsonMapper, bodyText) : JsonRpcPeek.NONE,
                headersOf(request),
                sessionId,
                bodyText),
            response);
    try {
      if (body == null && post) {
        answer(response, 413, "{\"error\":\"request body too large for the embedded server\"}");
        return;
      }
      if (post) {
        state.awaitRequestDelay();
        int failure = state.takeFailure();
        if (failure > 0) {
          if (failure == 401) {
            response.setHeader("WWW-Authenticate", challenge(true));
          }
          answer(response, failure, "{\"error\":\"failure injected by the test\"}");
          return;
        }
      }
      if (acceptsToken != null && !request.getRequestURI().startsWith("/.well-known/")) {
        String token = bearerToken(request);
        if (token == null || !acceptsToken.test(token)) {
          response.setHeader("WWW-Authenticate", challenge(token != null));
          answer(response, 401, "{\"error\":\"invalid_token\"}");
          return;
        }
      }
      if (sessionId != null && post) {
        state.requestOnSession(sessionId, entry.toRecord().mcpMethod());
      }
      if (sessionId != null && state.isExpired(sessionId)) {
        answer(
            response,
            404,
            "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32001,"
                + "\"message\":\"Session not found\"}}");
        return;
      }
      chain.doFilter(body == null ? request : new CachedBodyRequest(request, body), response);
      String created = response.getHeader(SESSION_HEADER);
      if (created != null) {
        state.sessionSeen(created);
      }
      if (sessionId != null) {
        state.sessionSeen(sessionId);
      }
      if (request.isAsyncStarted() && "GET".equalsIgnoreCase(request.getMethod())) {
        trackStream(request.getAsyncContext(), sessionId);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answer(response, 503, "{\"error\":\"interrupted\"}");
    } finally {
      state.answered(entry, response.getStatus());
    }
  }

  private void trackStream(AsyncContext stream, @Nullable String sessionId) {
    state.streamOpened(stream, sessionId);
    stream.addListener(
        new AsyncListener() {
          @Override
          public void onComplete(AsyncEvent event) {
            state.streamClosed(stream);
          }

          @Override
          public void onTimeout(AsyncEvent event) {
            state.streamClosed(stream);
          }

          @Override
          public void onError(AsyncEvent event) {
            state.streamClosed(stream);
          }

          @Override
          public void onStartAsync(AsyncEvent event) {}
        });
  }

  private String challenge(boolean tokenPresented) {
    String metadata = "resource_metadata=\"" + resourceMetadataUrl.get() + "\"";
    // RFC 6750 section 3.1: no error code when the request carried no credentials at all.
    return tokenPresented ? "Bearer error=\"invalid_token\", " + metadata : "Bearer " + metadata;
  }

  private static @Nullable String bearerToken(HttpServletRequest request) {
    String authorization = request.getHeader("Authorization");
    if (authorization == null || authorization.length() < 7) {
      return null;
    }
    if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = authorization.substring(7).trim();
    return token.isEmpty() ? null : token;
  }

  private @Nullable String sessionId(HttpServletRequest request) {
    String header = request.getHeader(SESSION_HEADER);
    if (header != null || mode != EmbeddedMcpServer.Mode.SSE) {
      return header;
    }
    return queryParameter(request.getQueryString(), "sessionId");
  }

  static @Nullable String queryParameter(@Nullable String query, String name) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
        return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  static Map<String, List<String>> headersOf(HttpServletRequest request) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    for (String name : Collections.list(request.getHeaderNames())) {
      if (seen.add(name.toLowerCase(Locale.ROOT))) {
        headers.put(name, new ArrayList<>(Collections.list(request.getHeaders(name))));
      }
    }
    return headers;
  }

  /** Returns the body, or null when it is larger than the embedded server accepts. */
  private static byte @Nullable [] readBody(HttpServletRequest request) throws IOException {
    InputStream in = request.getInputStream();
    byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
    return body.length > MAX_BODY_BYTES ? null : body;
  }

  private static void answer(HttpServletResponse response, int status, String json)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.getWriter().write(json);
    response.getWriter().flush();
  }
}
