package io.github.mcprunner.testkit;

import java.util.Map;

/**
 * The code behind a tool of an {@link EmbeddedMcpServer}. Called on a server thread, possibly
 * concurrently: implementations must be thread-safe.
 *
 * <pre>{@code
 * ToolHandler greet = (args, request) ->
 *     "Hello " + args.get("name") + " from tenant " + request.header("X-Tenant-Id").orElse("?");
 * }</pre>
 */
@FunctionalInterface
public interface ToolHandler {

  /**
   * Runs the tool and returns its text output.
   *
   * @param args the call's arguments as parsed from JSON (nested objects are maps, arrays are
   *     lists, numbers are {@link Number}s); empty when the call had none
   * @param request the HTTP request that carried the call
   * @return the text the tool answers with
   * @throws Exception to answer with a tool error ({@code isError: true}) whose text is the
   *     exception's message
   */
  String call(Map<String, Object> args, ToolRequest request) throws Exception;
}
