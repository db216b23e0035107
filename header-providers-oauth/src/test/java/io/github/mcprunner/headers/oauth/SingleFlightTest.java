package io.github.mcprunner.headers.oauth;

import static io.github.mcprunner.headers.oauth.Contexts.CRM;
import static io.github.mcprunner.headers.oauth.Contexts.bearer;
import static io.github.mcprunner.headers.oauth.Contexts.forUser;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Many concurrent resolutions needing the same token make one token request, counted by the IdP.
 * Token requests are held back until every resolving thread is parked waiting for its token, so all
 * of them are provably concurrent with the one request; then the requests run for real.
 */
class SingleFlightTest {
  private static final MutableClock clock = MutableClock.startingNow();
  private static TestIdp idp;

  @BeforeAll
  static void startIdp() {
    idp = new TestIdp(clock);
  }

  @AfterAll
  static void stopIdp() {
    idp.close();
  }

  @BeforeEach
  void forgetEarlierRequests() {
    idp.takeAllPaths();
  }

  /** Holds token requests until released, then runs them on a real pool. */
  private static final class HeldBack implements java.util.concurrent.Executor {
    final ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();

    @Override
    public void execute(Runnable task) {
      held.add(task);
    }

    void release(ExecutorService pool) {
      Runnable task;
      while ((task = held.poll()) != null) {
        pool.execute(task);
      }
    }
  }

  @Test
  void aThousandConcurrentResolutionsForOneSubjectMakeOneTokenRequest() throws Exception {
    HeldBack fetches = new HeldBack();
    TokenExchangeHeadersProvider provider = provider(fetches);
    String userToken = idp.userToken("alice");
    List<String> subjects = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      subjects.add(userToken);
    }

    List<String> tokens = resolveConcurrently(provider, subjects, fetches, 1);

    int tokenRequests = idp.takeTokenRequests().size();
    System.out.println(
        "single-flight: 1000 concurrent resolutions for one subject -> "
            + tokenRequests
            + " token request(s) counted at the IdP");
    assertThat(tokenRequests).isEqualTo(1);
    assertThat(tokens).hasSize(1000);
    assertThat(new java.util.HashSet<>(tokens)).hasSize(1);
    assertThat(TestIdp.claims(tokens.get(0)).getSubject()).isEqualTo("alice");
  }

  @Test
  void twoHundredSubjectsResolvedConcurrentlyMakeOneTokenRequestEach() throws Exception {
    HeldBack fetches = new HeldBack();
    TokenExchangeHeadersProvider provider = provider(fetches);
    Map<String, String> userOfToken = new HashMap<>();
    List<String> subjects = new ArrayList<>();
    for (int user = 0; user < 200; user++) {
      String token = idp.userToken("user-" + user);
      userOfToken.put(token, "user-" + user);
      for (int copy = 0; copy < 5; copy++) {
        subjects.add(token);
      }
    }

    List<String> tokens = resolveConcurrently(provider, subjects, fetches, 200);

    List<Map<String, List<String>>> requests = idp.takeTokenRequests();
    Map<String, Integer> requestsPerSubject = new HashMap<>();
    for (Map<String, List<String>> form : requests) {
      requestsPerSubject.merge(form.get("subject_token").get(0), 1, Integer::sum);
    }
    System.out.println(
        "single-flight: 200 subjects x 5 concurrent resolutions -> "
            + requests.size()
            + " token requests counted at the IdP, at most "
            + requestsPerSubject.values().stream().mapToInt(Integer::intValue).max().orElse(0)
            + " per subject");
    assertThat(requests).hasSize(200);
    assertThat(requestsPerSubject)
        .hasSize(200)
        .allSatisfy((subject, count) -> assertThat(count).isEqualTo(1));
    for (int i = 0; i < subjects.size(); i++) {
      assertThat(TestIdp.claims(tokens.get(i)).getSubject())
          .isEqualTo(userOfToken.get(subjects.get(i)));
    }
  }

  private static TokenExchangeHeadersProvider provider(HeldBack fetches) {
    return TokenExchangeHeadersProvider.builder()
        .tokenEndpoint(idp.tokenEndpoint())
        .clientAuthentication(ClientAuthCase.CLIENT_SECRET_BASIC.authentication())
        .clock(clock)
        .executor(fetches)
        .readTimeout(Duration.ofSeconds(30))
        .build();
  }

  /**
   * Resolves headers for each subject on its own thread, all released at once; lets the held-back
   * token requests run only once every thread waits for its token, and checks how many were held.
   */
  private static List<String> resolveConcurrently(
      TokenExchangeHeadersProvider provider,
      List<String> subjects,
      HeldBack fetches,
      int expectedFetches)
      throws InterruptedException {
    int n = subjects.size();
    String[] tokens = new String[n];
    Throwable[] failures = new Throwable[n];
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int index = i;
      Thread thread =
          new Thread(
              () -> {
                try {
                  start.await();
                  tokens[index] = bearer(provider.headers(forUser(CRM, subjects.get(index))));
                } catch (Throwable t) {
                  failures[index] = t;
                }
              },
              "resolver-" + i);
      thread.start();
      threads.add(thread);
    }
    start.countDown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    while (!allWaitingForTheirToken(threads)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("resolvers did not all reach their wait");
      }
      Thread.onSpinWait();
    }
    assertThat(fetches.held).as("token requests started").hasSize(expectedFetches);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      fetches.release(pool);
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

  /** Resolvers wait for their token with a time limit; the start latch has none. */
  private static boolean allWaitingForTheirToken(List<Thread> threads) {
    for (Thread thread : threads) {
      if (thread.getState() != Thread.State.TIMED_WAITING) {
        return false;
      }
    }
    return true;
  }
}
