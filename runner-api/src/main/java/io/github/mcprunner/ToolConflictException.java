package io.github.mcprunner;

/**
 * Two tools of an agent have the same name (two MCP servers, or a server and a function tool), so
 * the model's calls would be ambiguous. Raised at run start, before the model is asked.
 */
public class ToolConflictException extends McpRunnerException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param toolName the tool name both offer
   * @param firstSource where the first one comes from, e.g. {@code "MCP server 'crm'"}
   * @param secondSource where the second one comes from
   */
  public ToolConflictException(String toolName, String firstSource, String secondSource) {
    super(
        "Tool '"
            + toolName
            + "' is offered by both "
            + firstSource
            + " and "
            + secondSource
            + "; rename one or filter it out with McpServerSpec.Builder.toolFilter");
  }
}
