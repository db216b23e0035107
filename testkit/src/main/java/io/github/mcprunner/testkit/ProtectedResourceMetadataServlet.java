package io.github.mcprunner.testkit;

import io.modelcontextprotocol.json.McpJsonMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Serves the OAuth protected resource metadata (RFC 9728) the 401 challenge points to. */
final class ProtectedResourceMetadataServlet extends HttpServlet {

  static final String PATH = "/.well-known/oauth-protected-resource";

  private final transient McpJsonMapper jsonMapper;
  private final transient Supplier<URI> resource;
  private final List<String> authorizationServers;

  ProtectedResourceMetadataServlet(
      McpJsonMapper jsonMapper, Supplier<URI> resource, List<URI> authorizationServers) {
    this.jsonMapper = jsonMapper;
    this.resource = resource;
    this.authorizationServers = new ArrayList<>();
    authorizationServers.forEach(uri -> this.authorizationServers.add(uri.toString()));
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("resource", resource.get().toString());
    metadata.put("authorization_servers", authorizationServers);
    metadata.put("bearer_methods_supported", List.of("header"));
    response.setStatus(200);
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.getWriter().write(jsonMapper.writeValueAsString(metadata));
  }
}
