package io.github.mcprunner.examples;

import static java.util.Objects.requireNonNullElse;

import io.github.mcprunner.headers.InvalidMcpHeaderException;
import io.github.mcprunner.headers.McpHeaders;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The demo's command line.
 *
 * @param mcpUrl an external MCP server (Streamable HTTP or legacy SSE), or null for the embedded
 *     one
 * @param transports the transports to run over, empty for every one on the class path
 * @param tenants how many tenants (one user each) the demo runs for
 * @param headers extra per-run headers, in the order given
 * @param tools the tools the scripted model calls, in order; empty for the default script
 * @param help whether {@code --help} was asked for
 */
record DemoOptions(
    @Nullable URI mcpUrl,
    List<String> transports,
    int tenants,
    List<HeaderOption> headers,
    List<String> tools,
    boolean help) {

  static final int DEFAULT_TENANTS = 3;
  static final int MAX_TENANTS = 50;
  private static final java.util.Set<String> TAKE_VALUES =
      java.util.Set.of("--mcp-url", "--transport", "--tenants", "--header", "--tool");

  static final String USAGE =
      String.join(
          System.lineSeparator(),
          "Usage: java -jar examples/target/mcp-runner-demo.jar [options]",
          "",
          "Runs one agent with one MCP server definition for several tenants, each run with its"
              + " own",
          "headers, sequentially and then concurrently, over each transport; prints what the MCP",
          "server saw on every request and checks that no request carried another run's headers.",
          "",
          "Options:",
          "  --mcp-url URL          use this MCP server instead of the embedded one: Streamable"
              + " HTTP,",
          "                         or legacy HTTP+SSE when the URL ends in /sse (or the server"
              + " is",
          "                         found to be one); requests pass through a recording relay, a",
          "                         proxy on 127.0.0.1 that records what reached the server",
          "  --transport NAME       httpclient or okhttp (repeatable); default: every transport on",
          "                         the class path",
          "  --tenants N            number of tenants, one user each, 1.."
              + MAX_TENANTS
              + " (default "
              + DEFAULT_TENANTS
              + ")",
          "  --header Name=Value    an extra per-run header (repeatable); {tenant}, {user} and"
              + " {run}",
          "                         in the value are replaced for each run",
          "  --tool NAME            a tool the scripted model calls with {} (repeatable, in"
              + " order);",
          "                         default: whoami, then list_tickets on the embedded server,"
              + " none",
          "                         on an external one",
          "  -h, --help             print this help",
          "",
          "Environment: OPENAI_API_KEY selects a real model when an OpenAI model module is on the",
          "class path; otherwise the scripted model plays (offline).",
          "",
          "Exit status: 0 when every run succeeded and no request carried another run's headers,",
          "1 when a run failed or a request carried the wrong headers, 2 for a bad command line.");

  DemoOptions {
    transports = List.copyOf(transports);
    headers = List.copyOf(headers);
    tools = List.copyOf(tools);
  }

  /**
   * An extra per-run header from {@code --header}.
   *
   * @param name the header name
   * @param valueTemplate the value, where {@code {tenant}}, {@code {user}} and {@code {run}} stand
   *     for the run's tenant id, user id and label
   */
  record HeaderOption(String name, String valueTemplate) {
    String valueFor(String tenant, String user, String run) {
      return valueTemplate
          .replace("{tenant}", tenant)
          .replace("{user}", user)
          .replace("{run}", run);
    }
  }

  /**
   * Parses the command line.
   *
   * @throws UsageException naming the option that is wrong
   */
  static DemoOptions parse(String... args) throws UsageException {
    URI mcpUrl = null;
    List<String> transports = new ArrayList<>();
    int tenants = DEFAULT_TENANTS;
    List<HeaderOption> headers = new ArrayList<>();
    List<String> tools = new ArrayList<>();
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String option = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        option = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (TAKE_VALUES.contains(option)) {
        if (value == null) {
          if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            throw new UsageException(option + " needs a value");
          }
          value = args[++i];
        }
      } else if (value != null) {
        throw new UsageException(
            TAKE_VALUES.contains(option) || option.equals("--help")
                ? option + " takes no value"
                : "unknown option '" + option + "'");
      }
      // Set above for every option in TAKE_VALUES; the other options never read it.
      String given = value != null ? value : "";
      switch (option) {
        case "-h", "--help" -> help = true;
        case "--mcp-url" -> mcpUrl = url(given);
        case "--transport" -> {
          String name = given.trim().toLowerCase(Locale.ROOT);
          if (!name.equals("httpclient") && !name.equals("okhttp")) {
            throw new UsageException(
                "--transport must be httpclient or okhttp, was '" + name + "'");
          }
          if (!transports.contains(name)) {
            transports.add(name);
          }
        }
        case "--tenants" -> tenants = tenants(given);
        case "--header" -> headers.add(header(given, headers));
        case "--tool" -> {
          String tool = given.trim();
          if (tool.isEmpty()) {
            throw new UsageException("--tool needs a tool name");
          }
          tools.add(tool);
        }
        default ->
            throw new UsageException(
                arg.startsWith("-")
                    ? "unknown option '" + option + "'"
                    : "unexpected argument '" + arg + "'");
      }
    }
    return new DemoOptions(mcpUrl, transports, tenants, headers, tools, help);
  }

  private static URI url(String text) throws UsageException {
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (URISyntaxException e) {
      throw new UsageException("--mcp-url is not a valid URL");
    }
    String scheme = uri.getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || uri.getHost() == null) {
      throw new UsageException("--mcp-url must be an absolute http or https URL with a host");
    }
    if (uri.getRawUserInfo() != null) {
      throw new UsageException("--mcp-url must not hold user info; pass credentials with --header");
    }
    return uri;
  }

  private static int tenants(String text) throws UsageException {
    int n;
    try {
      n = Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new UsageException("--tenants must be a whole number, was '" + text + "'");
    }
    if (n < 1 || n > MAX_TENANTS) {
      throw new UsageException("--tenants must be between 1 and " + MAX_TENANTS + ", was " + n);
    }
    return n;
  }

  private static HeaderOption header(String text, List<HeaderOption> earlier)
      throws UsageException {
    int eq = text.indexOf('=');
    if (eq <= 0) {
      throw new UsageException("--header must look like Name=Value");
    }
    String name = text.substring(0, eq).trim();
    String value = text.substring(eq + 1).trim();
    try {
      // Checked with a sample run's values: the same rules the runner applies to per-run headers.
      McpHeaders.validate(name, new HeaderOption(name, value).valueFor("t", "u", "r"), "--header");
    } catch (InvalidMcpHeaderException e) {
      throw new UsageException(requireNonNullElse(e.getMessage(), "invalid --header"));
    }
    if (McpHeaders.isProtected(name)) {
      throw new UsageException(
          "--header cannot set '"
              + name
              + "': it is a protocol header that only the transport sets");
    }
    if (name.equalsIgnoreCase(DemoRun.NONCE_HEADER)) {
      throw new UsageException(
          "--header cannot set " + DemoRun.NONCE_HEADER + ": it is the demo's own run tag");
    }
    for (HeaderOption other : earlier) {
      if (other.name().equalsIgnoreCase(name)) {
        throw new UsageException("--header '" + name + "' is given twice");
      }
    }
    return new HeaderOption(name, value);
  }
}
