package io.github.mcprunner.headers.oauth;

import static io.github.mcprunner.headers.oauth.Contexts.bearer;
import static io.github.mcprunner.headers.oauth.EnterpriseAuthServers.CLIENT_ID;
import static io.github.mcprunner.headers.oauth.EnterpriseAuthServers.CLIENT_SECRET;
import static io.github.mcprunner.headers.oauth.EnterpriseAuthServers.IDP_CLIENT_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpServerRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Many concurrent resolutions needing the same access token make one pair of token requests (one
 * exchange at the IdP, one grant at the authorization server), counted by the servers. The pair is
 * held back until every resolving thread waits for its token, so all of them are provably
 * concurrent with it; then it runs for real.
 */
class CrossAppAccessSingleFlightTest {
  private static final McpServerRef TICKETS =
      McpServerRef.of("tickets", "https://tickets.example.com/mcp");

  private final MutableClock clock = MutableClock.startingNow();
  private EnterpriseAuthServers servers;

  @BeforeEach
  void start() throws Exception {
    servers = new EnterpriseAuthServers(clock);
  }

  @AfterEach
  void stop() {
    servers.close();
  }

  /** Holds token fetches until released, then runs them on a real pool. */
  private static final class HeldBack implements Executor {
    final ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();

    @Override
    public void execute(Runnable task) {
      held.add(task);
    }
  }

  private CrossAppAccessHeadersProvider provider(HeldBack fetches) {
    return CrossAppAccessHeadersProvider.builder()
        .idpTokenEndpoint(servers.idpTokenEndpoint())
        .idpPublicClient(IDP_CLIENT_ID)
        .issuer(servers.asIssuer())
        .clientAuthentication(ClientAuthentication.clientSecretBasic(CLIENT_ID, CLIENT_SECRET))
        .clock(clock)
        .executor(fetches)
        .build();
  }

  @Test
  void fiveHundredConcurrentResolutionsForOneUserMakeOneExchangeAndOneGrant() throws Exception {
    HeldBack fetches = new HeldBack();
    CrossAppAccessHeadersProvider provider = provider(fetches);
    String idToken = servers.idToken("alice");
    List<String> idTokens = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      idTokens.add(idToken);
    }

    List<String> tokens = resolveConcurrently(provider, idTokens, fetches, 1);

    System.out.println(
        "cross-app access single-flight: 500 concurrent resolutions for one user -> "
            + servers.idpRequests().size()
            + " IdP exchange(s), "
            + servers.asRequests().size()
            + " JWT bearer grant(s)");
    assertThat(servers.idpRequests()).hasSize(1);
    assertThat(servers.asRequests()).hasSize(1);
    assertThat(new java.util.HashSet<>(tokens)).hasSize(1);
    assertThat(servers.verifiedAccessToken(tokens.get(0)).getSubject()).isEqualTo("alice");
  }

  @Test
  void fiftyUsersResolvedConcurrentlyMakeOnePairOfRequestsEach() throws Exception {
    HeldBack fetches = new HeldBack();
    CrossAppAccessHeadersProvider provider = provider(fetches);
    Map<String, String> userOfIdToken = new HashMap<>();
    List<String> idTokens = new ArrayList<>();
    for (int user = 0; user < 50; user++) {
      String idToken = servers.idToken("user-" + user);
      userOfIdToken.put(idToken, "user-" + user);
      for (int copy = 0; copy < 4; copy++) {
        idTokens.add(idToken);
      }
    }

    List<String> tokens = resolveConcurrently(provider, idTokens, fetches, 50);

    assertThat(servers.idpRequests()).hasSize(50);
    assertThat(servers.asRequests()).hasSize(50);
    assertThat(servers.idpRequests().stream().map(r -> r.form().get("subject_token")))
        .doesNotHaveDuplicates();
    for (int i = 0; i < idTokens.size(); i++) {
      assertThat(servers.verifiedAccessToken(tokens.get(i)).getSubject())
          .isEqualTo(userOfIdToken.get(idTokens.get(i)));
    }
  }

  /**
   * Resolves headers for each ID token on its own thread, all released at once; lets the held-back
   * fetches run only once every thread waits for its token, and checks how many were held.
   */
  private static List<String> resolveConcurrently(
      CrossAppAccessHeadersProvider provider,
      List<String> idTokens,
      HeldBack fetches,
      int expectedFetches)
      throws InterruptedException {
    int n = idTokens.size();
    String[] tokens = new String[n];
    Throwable[] failures = new Throwable[n];
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int index = i;
      HeaderContext context =
          HeaderContext.builder(TICKETS)
              .runId("run-" + i)
              .mcpMethod("tools/call")
              .put(CrossAppAccessHeadersProvider.ID_TOKEN, idTokens.get(i))
              .build();
      Thread thread =
          new Thread(
              () -> {
                try {
                  start.await();
                  tokens[index] = bearer(provider.headers(context));
                } catch (Throwable t) {
                  failures[index] = t;
                }
              },
              "xaa-resolver-" + i);
      thread.start();
      threads.add(thread);
    }
    start.countDown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    while (!threads.stream().allMatch(t -> t.getState() == Thread.State.TIMED_WAITING)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("resolvers did not all reach their wait");
      }
      Thread.onSpinWait();
    }
    assertThat(fetches.held).as("fetches started").hasSize(expectedFetches);
    assertThat(provider.resolver().cache().size()).as("no token before the release").isZero();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      Runnable task;
      while ((task = fetches.held.poll()) != null) {
        pool.execute(task);
      }
      for (Thread thread : threads) {
        thread.join(TimeUnit.SECONDS.toMillis(300));
      }
    } finally {
      pool.shutdownNow();
    }
    for (Throwable failure : failures) {
      if (failure != null) {
        throw new AssertionError("a resolution failed", failure);
      }
    }
    return List.of(tokens);
  }
}
