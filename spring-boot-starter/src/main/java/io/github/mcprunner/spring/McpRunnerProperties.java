package io.github.mcprunner.spring;

import io.github.mcprunner.McpProtocol;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.SessionStrategy;
import io.github.mcprunner.TransportKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code mcp-runner.*} properties: the MCP servers of the toolbox and the runner's defaults.
 * The header providers' own settings keep their names ({@code mcprunner.headers.*}, {@code
 * mcprunner.oauth.*}) and are read from Spring's environment; see the module's README.
 *
 * <pre>
 * mcp-runner.servers.crm.url=https://crm.example.com/mcp
 * mcp-runner.servers.crm.headers.X-Client=support-bot
 * mcp-runner.servers.crm.request-timeout=30s
 * mcp-runner.default-headers.X-Service=support
 * </pre>
 */
@ConfigurationProperties("mcp-runner")
public class McpRunnerProperties {

  /** Whether the starter configures a runner at all. */
  private boolean enabled = true;

  /** The MCP servers, by name: the name is used in errors, provider contexts and headers. */
  private Map<String, Server> servers = new LinkedHashMap<>();

  /** Headers sent on every request to every server, below every other layer (layer 1). */
  private Map<String, String> defaultHeaders = new LinkedHashMap<>();

  /** Whether header providers registered in META-INF/services join the chain. */
  private boolean discoverHeaderProviders = true;

  /** Whether run observers registered in META-INF/services are used. */
  private boolean discoverObservers = true;

  /** The name the toolbox gives header providers and observers where an agent's name would be. */
  private String toolboxName = "spring";

  /** Returns whether the starter configures a runner. */
  public boolean isEnabled() {
    return enabled;
  }

  /** Sets whether the starter configures a runner. */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** Returns the servers by name. */
  public Map<String, Server> getServers() {
    return servers;
  }

  /** Sets the servers by name. */
  public void setServers(Map<String, Server> servers) {
    this.servers = servers;
  }

  /** Returns the runner's default headers. */
  public Map<String, String> getDefaultHeaders() {
    return defaultHeaders;
  }

  /** Sets the runner's default headers. */
  public void setDefaultHeaders(Map<String, String> defaultHeaders) {
    this.defaultHeaders = defaultHeaders;
  }

  /** Returns whether discovered header providers are used. */
  public boolean isDiscoverHeaderProviders() {
    return discoverHeaderProviders;
  }

  /** Sets whether discovered header providers are used. */
  public void setDiscoverHeaderProviders(boolean discoverHeaderProviders) {
    this.discoverHeaderProviders = discoverHeaderProviders;
  }

  /** Returns whether discovered run observers are used. */
  public boolean isDiscoverObservers() {
    return discoverObservers;
  }

  /** Sets whether discovered run observers are used. */
  public void setDiscoverObservers(boolean discoverObservers) {
    this.discoverObservers = discoverObservers;
  }

  /** Returns the toolbox's name. */
  public String getToolboxName() {
    return toolboxName;
  }

  /** Sets the toolbox's name. */
  public void setToolboxName(String toolboxName) {
    this.toolboxName = toolboxName;
  }

  /** One MCP server ({@code mcp-runner.servers.<name>.*}). */
  public static class Server {

    /** The MCP endpoint (Streamable HTTP) or SSE endpoint (legacy SSE): absolute http(s) URL. */
    private @Nullable String url;

    /** Static headers sent on every request to this server (layer 2 of the chain). */
    private Map<String, String> headers = new LinkedHashMap<>();

    /** The transport protocol. */
    private TransportKind transportKind = TransportKind.STREAMABLE_HTTP;

    /** The transport implementation ("httpclient", "okhttp"); unset: the one on the class path. */
    private @Nullable String transport;

    /** How runs share MCP sessions with this server. */
    private SessionStrategy sessionStrategy = SessionStrategy.PER_IDENTITY;

    /** The MCP protocol era: auto (probe once), stateless (2026-07-28), sessions (2025-11-25). */
    private McpProtocol protocol = McpProtocol.AUTO;

    /** Whether a stateless request whose response stream broke is sent once more. */
    private boolean reissueLostRequests = true;

    /** The most rounds of one stateless request answered {@code input_required} (1 to 32). */
    private int maxInputRounds = McpServerSpec.Builder.DEFAULT_MAX_INPUT_ROUNDS;

    /** The most sessions kept open with this server at once. */
    private int maxSessions = 1_000;

    /** How long an unused session stays open before it is closed. */
    private Duration sessionIdleTimeout = Duration.ofMinutes(5);

    /** The TCP connect timeout. */
    private Duration connectTimeout = Duration.ofSeconds(10);

    /** The timeout of one MCP request (a tool call, a list). */
    private Duration requestTimeout = Duration.ofSeconds(60);

    /** The timeout of the MCP initialize handshake. */
    private Duration initializeTimeout = Duration.ofSeconds(20);

    /** The only tools of this server that may be used; empty: all. */
    private List<String> tools = new ArrayList<>();

    /** Tools of this server that may not be used. */
    private List<String> excludeTools = new ArrayList<>();

    /** Returns the URL. */
    public @Nullable String getUrl() {
      return url;
    }

    /** Sets the URL. */
    public void setUrl(@Nullable String url) {
      this.url = url;
    }

    /** Returns the static headers. */
    public Map<String, String> getHeaders() {
      return headers;
    }

    /** Sets the static headers. */
    public void setHeaders(Map<String, String> headers) {
      this.headers = headers;
    }

    /** Returns the transport protocol. */
    public TransportKind getTransportKind() {
      return transportKind;
    }

    /** Sets the transport protocol. */
    public void setTransportKind(TransportKind transportKind) {
      this.transportKind = transportKind;
    }

    /** Returns the transport implementation's name, if chosen. */
    public @Nullable String getTransport() {
      return transport;
    }

    /** Sets the transport implementation's name. */
    public void setTransport(@Nullable String transport) {
      this.transport = transport;
    }

    /** Returns the session strategy. */
    public SessionStrategy getSessionStrategy() {
      return sessionStrategy;
    }

    /** Sets the session strategy. */
    public void setSessionStrategy(SessionStrategy sessionStrategy) {
      this.sessionStrategy = sessionStrategy;
    }

    /** Returns the protocol era. */
    public McpProtocol getProtocol() {
      return protocol;
    }

    /** Sets the protocol era. */
    public void setProtocol(McpProtocol protocol) {
      this.protocol = protocol;
    }

    /** Returns whether a lost stateless request is sent once more. */
    public boolean isReissueLostRequests() {
      return reissueLostRequests;
    }

    /** Sets whether a lost stateless request is sent once more. */
    public void setReissueLostRequests(boolean reissueLostRequests) {
      this.reissueLostRequests = reissueLostRequests;
    }

    /** Returns the most rounds of one stateless request answered {@code input_required}. */
    public int getMaxInputRounds() {
      return maxInputRounds;
    }

    /** Sets the most rounds of one stateless request answered {@code input_required}. */
    public void setMaxInputRounds(int maxInputRounds) {
      this.maxInputRounds = maxInputRounds;
    }

    /** Returns the session pool bound. */
    public int getMaxSessions() {
      return maxSessions;
    }

    /** Sets the session pool bound. */
    public void setMaxSessions(int maxSessions) {
      this.maxSessions = maxSessions;
    }

    /** Returns the session idle timeout. */
    public Duration getSessionIdleTimeout() {
      return sessionIdleTimeout;
    }

    /** Sets the session idle timeout. */
    public void setSessionIdleTimeout(Duration sessionIdleTimeout) {
      this.sessionIdleTimeout = sessionIdleTimeout;
    }

    /** Returns the connect timeout. */
    public Duration getConnectTimeout() {
      return connectTimeout;
    }

    /** Sets the connect timeout. */
    public void setConnectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
    }

    /** Returns the request timeout. */
    public Duration getRequestTimeout() {
      return requestTimeout;
    }

    /** Sets the request timeout. */
    public void setRequestTimeout(Duration requestTimeout) {
      this.requestTimeout = requestTimeout;
    }

    /** Returns the initialize timeout. */
    public Duration getInitializeTimeout() {
      return initializeTimeout;
    }

    /** Sets the initialize timeout. */
    public void setInitializeTimeout(Duration initializeTimeout) {
      this.initializeTimeout = initializeTimeout;
    }

    /** Returns the allowed tools; empty for all. */
    public List<String> getTools() {
      return tools;
    }

    /** Sets the allowed tools. */
    public void setTools(List<String> tools) {
      this.tools = tools;
    }

    /** Returns the excluded tools. */
    public List<String> getExcludeTools() {
      return excludeTools;
    }

    /** Sets the excluded tools. */
    public void setExcludeTools(List<String> excludeTools) {
      this.excludeTools = excludeTools;
    }
  }
}
