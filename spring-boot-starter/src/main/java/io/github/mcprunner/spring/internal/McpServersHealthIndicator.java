package io.github.mcprunner.spring.internal;

import io.github.mcprunner.McpServerSpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Whether each configured MCP server is reachable: one plain HTTP GET to its URL without any header
 * of the chain (no user's credentials, no static or provider header), whose answer, whatever its
 * status below 500, shows that the server is there (an MCP endpoint answers a GET without a session
 * with 400, 401 or 405). A status of 500 or more, a timeout or a connection failure is down. The
 * details name each server and its status or failure type, never a header. Not public API.
 */
public final class McpServersHealthIndicator implements HealthIndicator {
  private final List<McpServerSpec> servers;

  /** Checks {@code servers}. */
  public McpServersHealthIndicator(List<McpServerSpec> servers) {
    this.servers = List.copyOf(servers);
  }

  @Override
  public Health health() {
    Map<String, Object> details = new LinkedHashMap<>();
    boolean up = true;
    for (McpServerSpec server : servers) {
      String state = probe(server);
      details.put(server.name(), state);
      up &= state.startsWith("reachable");
    }
    return (up ? Health.up() : Health.down()).withDetails(details).build();
  }

  private static String probe(McpServerSpec server) {
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(server.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    HttpRequest request =
        HttpRequest.newBuilder(server.uri()).timeout(server.connectTimeout()).GET().build();
    try {
      HttpResponse<InputStream> response =
          client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      response.body().close(); // an event stream would never end: the status is enough
      int status = response.statusCode();
      return (status < 500 ? "reachable (HTTP " : "failing (HTTP ") + status + ")";
    } catch (IOException e) {
      return "unreachable (" + e.getClass().getSimpleName() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unreachable (interrupted)";
    }
  }
}
