package io.github.mcprunner.core.internal.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The params of a {@code tools/call} whose arguments go out exactly as the caller (a model) wrote
 * them: the JSON text is written into the request as it is, not parsed into a map and written again
 * (which would turn {@code 1.10} into {@code 1.1}, cut a long decimal to a double, and rewrite
 * escapes). Only text that is one JSON object and nothing else is sent so ({@link
 * #isOneObject(String)}); the runner checks that before. Not public API.
 *
 * @param name the tool's name
 * @param arguments the arguments, one JSON object, written as they are
 * @param meta the request's {@code _meta}, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VerbatimToolCall(
    @JsonProperty("name") String name,
    @JsonRawValue @JsonProperty("arguments") String arguments,
    @JsonProperty("_meta") @Nullable Map<String, Object> meta) {

  /**
   * The Reactor context key under which a {@code tools/call} carries its {@link VerbatimToolCall}
   * to the transport wrapper that puts it in the request.
   */
  public static final String CONTEXT_KEY = "io.github.mcprunner.verbatimToolCall";

  /**
   * Returns whether {@code text} is one JSON object and nothing else but JSON whitespace, judged by
   * its structure: strings (with their escapes), then braces and brackets. Together with a
   * successful parse (which checks everything else) this guarantees the text cannot close the
   * {@code arguments} value early and add members of its own to the request.
   */
  public static boolean isOneObject(String text) {
    int length = text.length();
    int start = skipWhitespace(text, 0);
    if (start >= length || text.charAt(start) != '{') {
      return false;
    }
    int depth = 0;
    boolean inString = false;
    for (int i = start; i < length; i++) {
      char c = text.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        depth--;
        if (depth == 0) {
          return skipWhitespace(text, i + 1) == length;
        }
      }
    }
    return false;
  }

  private static int skipWhitespace(String text, int from) {
    int i = from;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        break;
      }
      i++;
    }
    return i;
  }
}
