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
   * Chooses the model: a real one when {@code OPENAI_API_KEY} is set and a model module is on the
   * class path, else the scripted model (offline) calling {@code tools} in order and answering with
   * the last result; with no tools, it answers with the names of the tools the server offers.
   */
  static DemoModel choose(
      List<String> tools, boolean embedded, Map<String, String> env, PrintStream out) {
    String apiKey = env.get("OPENAI_API_KEY");
    if (apiKey != null && !apiKey.isBlank()) {
      // A real model goes here once an OpenAI model module is a dependency of this module.
      out.println(
          "note: OPENAI_API_KEY is set, but this build has no OpenAI model module on the class"
              + " path; the scripted model plays");
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
