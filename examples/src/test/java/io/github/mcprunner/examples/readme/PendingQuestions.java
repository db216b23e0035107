package io.github.mcprunner.examples.readme;

// snippet:pending-questions
import io.github.mcprunner.InputHandler;
import io.github.mcprunner.InputRequest;
import io.github.mcprunner.InputResponse;
import io.github.mcprunner.headers.ContextKey;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** The MCP servers' questions to the users of a web service, waiting for their answers. */
public final class PendingQuestions implements InputHandler {

  /** A question as the user's page shows it: its id, whose it is, the server's request. */
  public record Question(String id, String userId, InputRequest request) {}

  private final Map<String, Question> questions = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<InputResponse>> answers = new ConcurrentHashMap<>();

  @Override
  public CompletionStage<InputResponse> requestInput(InputRequest request) {
    // Only this run's questions arrive here, with this run's context: its user.
    String userId = request.context(ContextKey.USER_ID).orElseThrow();
    String id = UUID.randomUUID().toString();
    CompletableFuture<InputResponse> answer = new CompletableFuture<>();
    answers.put(id, answer);
    questions.put(id, new Question(id, userId, request));
    // The user's answer, the run's input timeout or a cancelled run: the question goes away.
    answer.whenComplete(
        (response, error) -> {
          questions.remove(id);
          answers.remove(id);
        });
    return answer; // the run waits for it; no thread does
  }

  /** GET /questions: the signed-in user's open questions (poll it, or push them over SSE). */
  public List<Question> openQuestions(String userId) {
    return questions.values().stream().filter(q -> q.userId().equals(userId)).toList();
  }

  /** POST /questions/{id}: the signed-in user's answer; nobody answers another user's question. */
  public boolean answer(String userId, String questionId, InputResponse response) {
    Question question = questions.get(questionId);
    CompletableFuture<InputResponse> answer = answers.get(questionId);
    if (question == null || answer == null || !question.userId().equals(userId)) {
      return false;
    }
    return answer.complete(response); // the tool call resumes with the user's answer
  }
}
// end-snippet
