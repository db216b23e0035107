package io.github.mcprunner;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The user's answer to an {@link InputRequest}: {@link #accept(Map) accept} (with the form's
 * content; empty for a URL question), {@link #decline() decline} (the user said no) or {@link
 * #cancel() cancel} (the user dismissed the question without choosing).
 *
 * <p>An accepted form's fields the user left out are filled in with the defaults of the requested
 * schema (SEP-1034) before the answer reaches the server. Immutable and thread-safe; {@link
 * #toString()} prints the action and the content's field names only.
 */
public final class InputResponse {

  /** What the user chose. */
  public enum Action {
    /** The user answered: the content holds the form's fields. */
    ACCEPT,
    /** The user refused. */
    DECLINE,
    /** The user dismissed the question (or it timed out, or the run ended). */
    CANCEL
  }

  private static final InputResponse DECLINE = new InputResponse(Action.DECLINE, Map.of());
  private static final InputResponse CANCEL = new InputResponse(Action.CANCEL, Map.of());

  private final Action action;
  private final Map<String, Object> content;

  private InputResponse(Action action, Map<String, Object> content) {
    this.action = action;
    this.content = content;
  }

  /**
   * Returns an acceptance with {@code content}: the form's fields by name, with values of JSON
   * types ({@code String}, {@code Number}, {@code Boolean}, a {@code List} of strings).
   *
   * @throws NullPointerException if {@code content}, a name or a value is null
   */
  public static InputResponse accept(Map<String, ?> content) {
    Map<String, Object> copy = new LinkedHashMap<>();
    requireNonNull(content, "content")
        .forEach(
            (name, value) ->
                copy.put(
                    requireNonNull(name, "content name"),
                    requireNonNull(value, "value of content field " + name)));
    return new InputResponse(Action.ACCEPT, Collections.unmodifiableMap(copy));
  }

  /** Returns an acceptance without content (a URL question, or a form taken with its defaults). */
  public static InputResponse accept() {
    return new InputResponse(Action.ACCEPT, Map.of());
  }

  /** Returns the user's refusal. */
  public static InputResponse decline() {
    return DECLINE;
  }

  /** Returns a dismissal. */
  public static InputResponse cancel() {
    return CANCEL;
  }

  /** Returns what the user chose. */
  public Action action() {
    return action;
  }

  /** Returns the form's content (unmodifiable); empty unless accepted. */
  public Map<String, Object> content() {
    return content;
  }

  /** Returns {@code InputResponse{ACCEPT, fields=[...]}}: field names, never values. */
  @Override
  public String toString() {
    return "InputResponse{" + action + ", fields=" + content.keySet() + "}";
  }
}
