package io.github.mcprunner.core.internal;

import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.McpUnauthorizedException;
import io.modelcontextprotocol.spec.McpError;
import org.jspecify.annotations.Nullable;

/**
 * The retry rules of one MCP operation of a run, in one place: what to do after each failure.
 *
 * <ul>
 *   <li>a response lost after the server accepted the request: never retried (the server may have
 *       run it); a session the server forgot meanwhile is dropped for later operations;
 *   <li>an expired session (HTTP 404 on the session): retried once on a new session; when that one
 *       is lost too, the run fails naming the lost session and the session is dropped;
 *   <li>401 or 403: the providers are asked ({@link Unauthorized}) and the operation is retried
 *       once with freshly resolved headers when one says a retry may succeed; otherwise, or the
 *       second time, the run fails with {@link McpUnauthorizedException};
 *   <li>a JSON-RPC error answering a tool call: reported to the model ({@link JsonRpcFailure});
 *   <li>anything else: the run fails with the exception {@link Failure} maps it to.
 * </ul>
 *
 * <p>One instance per operation; confined to the run's thread. Not public API.
 */
final class RetryRules {

  /** Asks the providers whether a retry after a 401 or 403 may succeed. */
  @FunctionalInterface
  interface Unauthorized {
    /**
     * @param opening whether the session was being opened (the refused request was {@code
     *     initialize})
     * @param wwwAuthenticate the response's {@code WWW-Authenticate} header, if any
     */
    boolean retryMaySucceed(boolean opening, @Nullable String wwwAuthenticate);
  }

  /** What to do next. */
  enum Action {
    /** Drop the session and try again on a new one. */
    RETRY_ON_NEW_SESSION,
    /** Try again with freshly resolved headers. */
    RETRY,
    /** Fail with {@link Decision#error()}, dropping the session first if told to. */
    FAIL
  }

  /**
   * @param action what to do
   * @param dropSession whether the run's session must be dropped (it is gone at the server)
   * @param error the exception to fail with, for {@link Action#FAIL}
   */
  record Decision(Action action, boolean dropSession, @Nullable RuntimeException error) {
    static final Decision RETRY = new Decision(Action.RETRY, false, null);
    static final Decision RETRY_ON_NEW_SESSION =
        new Decision(Action.RETRY_ON_NEW_SESSION, true, null);

    static Decision fail(RuntimeException error, boolean dropSession) {
      return new Decision(Action.FAIL, dropSession, error);
    }
  }

  private final McpServerSpec server;
  private final String mcpMethod;
  private final @Nullable String toolName;
  private boolean sessionRetried;
  private boolean authRetried;

  RetryRules(McpServerSpec server, String mcpMethod, @Nullable String toolName) {
    this.server = server;
    this.mcpMethod = mcpMethod;
    this.toolName = toolName;
  }

  /**
   * Returns what to do after {@code error}.
   *
   * @param hadSession whether the operation ran on a session (false: opening it failed)
   * @param sessionLost whether the server reported that session as gone
   */
  Decision afterFailure(
      RuntimeException error, boolean hadSession, boolean sessionLost, Unauthorized providers) {
    Failure failure = Failure.classify(error);
    String what = hadSession ? mcpMethod : "initialize";
    if (failure.kind == Failure.Kind.RESPONSE_LOST) {
      return Decision.fail(failure.toException(server, what, server.requestTimeout()), sessionLost);
    }
    if (sessionLost && failure.kind != Failure.Kind.OURS) {
      failure = Failure.sessionExpired(error);
    }
    switch (failure.kind) {
      case SESSION_EXPIRED:
        if (hadSession && !sessionRetried) {
          sessionRetried = true;
          return Decision.RETRY_ON_NEW_SESSION;
        }
        if (hadSession) {
          // The re-opened session was lost too: fail, never a third attempt.
          return Decision.fail(failure.sessionLostAgain(server, mcpMethod), true);
        }
        break;
      case UNAUTHORIZED:
        if (authRetried) {
          return Decision.fail(
              new McpUnauthorizedException(server.name(), server.uri(), failure.status, true, null),
              false);
        }
        authRetried = true;
        if (providers.retryMaySucceed(!hadSession, failure.wwwAuthenticate)) {
          return Decision.RETRY;
        }
        return Decision.fail(
            new McpUnauthorizedException(server.name(), server.uri(), failure.status, false, null),
            false);
      case JSON_RPC_ERROR:
        if (toolName != null && failure.ours instanceof McpError) {
          return Decision.fail(
              new JsonRpcFailure(server, mcpMethod, (McpError) failure.ours), false);
        }
        break;
      default:
        break;
    }
    return Decision.fail(failure.toException(server, what, server.requestTimeout()), false);
  }
}
