package io.github.mcprunner.headers.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpServerRef;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A request waiting while the same user signs in can be interrupted (its run cancelled); a
 * dynamically registered client the authorization server refuses ({@code invalid_client}) is
 * registered again.
 */
class SlotLockAndRegistrationTest {
  private static final String PRM_MCP = "/.well-known/oauth-protected-resource/mcp";

  private LoopbackAuthorization as;
  private McpServerRef server;
  private String challenge;

  @BeforeEach
  void start() throws Exception {
    as = new LoopbackAuthorization();
    String resource = as.base() + "/mcp";
    server = McpServerRef.of("crm", resource);
    as.resourceMetadata(PRM_MCP, resource, as.base(), null)
        .serverMetadata("/.well-known/oauth-authorization-server", as.base(), null);
    challenge = "Bearer error=\"invalid_token\", resource_metadata=\"" + as.base() + PRM_MCP + "\"";
  }

  @AfterEach
  void stop() {
    as.close();
  }

  private HeaderContext alice() {
    return HeaderContext.builder(server).runId("r").identity("alice").build();
  }

  @Test
  void aRequestWaitingForTheUsersSignInGivesUpWhenInterruptedAndKeepsTheFlag() throws Exception {
    CountDownLatch signingIn = new CountDownLatch(1);
    CountDownLatch userDone = new CountDownLatch(1);
    UserAuthorization slowUser =
        (url, context) -> {
          signingIn.countDown();
          try {
            userDone.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return McpAuthorizationHeadersProviderTest.HEADLESS.authorize(url, context);
        };
    McpAuthorizationHeadersProvider provider =
        McpAuthorizationHeadersProvider.authorizationCode(
                slowUser, URI.create("http://127.0.0.1:1/callback"))
            .build();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Boolean> first = pool.submit(() -> provider.onUnauthorized(alice(), challenge));
      signingIn.await();
      AtomicBoolean result = new AtomicBoolean(true);
      AtomicBoolean interruptedAfter = new AtomicBoolean();
      CountDownLatch secondDone = new CountDownLatch(1);
      Thread second =
          new Thread(
              () -> {
                result.set(provider.onUnauthorized(alice(), challenge));
                interruptedAfter.set(Thread.currentThread().isInterrupted());
                secondDone.countDown();
              });
      second.start();
      while (second.getState() != Thread.State.WAITING
          && second.getState() != Thread.State.BLOCKED) {
        Thread.onSpinWait();
      }
      second.interrupt();

      assertThat(secondDone.await(10, TimeUnit.SECONDS))
          .as("the interrupted request gave up while the user was still signing in")
          .isTrue();
      assertThat(result).isFalse();
      assertThat(interruptedAfter).as("the interrupt flag is restored").isTrue();
      userDone.countDown();
      assertThat(first.get(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      userDone.countDown();
      pool.shutdownNow();
    }
    assertThat(as.received("/authorize")).as("the waiting request did not sign in").hasSize(1);
  }

  @Test
  void aRegisteredClientRefusedWithInvalidClientIsRegisteredAgain() {
    McpAuthorizationHeadersProvider provider =
        McpAuthorizationHeadersProvider.authorizationCode(
                McpAuthorizationHeadersProviderTest.HEADLESS,
                URI.create("http://127.0.0.1:1/callback"))
            .maxAttempts(1)
            .build();
    as.refuseClient.set(1);

    assertThat(provider.onUnauthorized(alice(), challenge)).isFalse();
    assertThat(provider.onUnauthorized(alice(), challenge)).isTrue();

    assertThat(as.received("/register")).hasSize(2);
    assertThat(provider.headers(alice()).isEmpty()).isFalse();
  }
}
