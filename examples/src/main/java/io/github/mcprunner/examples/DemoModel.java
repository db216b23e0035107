package io.github.mcprunner.examples;

import io.github.mcprunner.model.Model;
import io.github.mcprunner.model.ToolDefinition;
import io.github.mcprunner.testkit.ScriptedModel;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The model the demo's agent uses, and how the demo describes it.
 *
 * @param model the model
 * @param description one line for the demo's header
 * @param callsToolsEveryRun whether every run is sure to call a tool (a scripted model with tools),
 *     so that a run whose calls never reached the server is a problem
 */
record DemoModel(Model model, String description, boolean callsToolsEveryRun) {

  /**
   * Chooses the model: OpenAI ({@code OPENAI_MODEL}, default {@code gpt-4.1-mini}; {@code
   * OPENAI_BASE_URL} for a compatible server) when {@code OPENAI_API_KEY} is set, else the scripted
   * model (offline) calling {@code tools} in order and answering with the last result; with no
   * tools, it answers with the names of the tools the server offers.
   */
  static DemoModel choose(
      List<String> tools, boolean embedded, Map<String, String> env, PrintStream out) {
    String apiKey = env.get("OPENAI_API_KEY");
    if (apiKey != null && !apiKey.isBlank()) {
      String name = env.getOrDefault("OPENAI_MODEL", "gpt-4.1-mini");
      io.github.mcprunner.model.openai.OpenAiResponsesModel.Builder builder =
          io.github.mcprunner.model.openai.OpenAiResponsesModel.builder(name).apiKey(apiKey);
      String baseUrl = env.get("OPENAI_BASE_URL");
      if (baseUrl != null && !baseUrl.isBlank()) {
        builder.baseUrl(baseUrl);
      }
      // A real model picks the tools itself, so a run that calls none is no problem.
      return new DemoModel(
          builder.build(), "OpenAI " + name + " (Responses API; it picks the tools)", false);
    }
    return scripted(tools, embedded);
  }

  static DemoModel scripted(List<String> tools, boolean embedded) {
    ScriptedModel.Builder script = ScriptedModel.builder();
    for (String tool : tools) {
      boolean openTickets = embedded && tool.equals("list_tickets");
      script.callTool(tool, openTickets ? "{\"status\":\"open\"}" : "{}");
    }
    if (tools.isEmpty()) {
      script.answer(
          request -> {
            List<String> names = new ArrayList<>();
            for (ToolDefinition tool : request.tools()) {
              names.add(tool.name());
            }
            return "the server offers " + (names.isEmpty() ? "no tools" : String.join(", ", names));
          });
      return new DemoModel(
          script.build(), "scripted: lists the server's tools, calls none (offline)", false);
    }
    script.answer(ScriptedModel::lastToolOutput);
    return new DemoModel(
        script.build(),
        "scripted: calls " + String.join(", then ", tools) + ", then answers (offline)",
        true);
  }
}
