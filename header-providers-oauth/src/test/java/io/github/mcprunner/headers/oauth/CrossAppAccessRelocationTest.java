package io.github.mcprunner.headers.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpServerRef;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * After a 401 a server's authorization server is located again; when its token endpoint changed
 * meanwhile, the new one is used (it was refused until a restart), and locating runs once per
 * server however many requests wait for it.
 */
class CrossAppAccessRelocationTest {
  private EnterpriseAuthServers servers;
  private final McpServerRef server = McpServerRef.of("tickets", "https://tickets.example.com/mcp");

  @BeforeEach
  void start() throws Exception {
    servers = new EnterpriseAuthServers(MutableClock.startingNow());
  }

  @AfterEach
  void stop() {
    servers.close();
  }

  private CrossAppAccessHeadersProvider provider(AuthorizationTarget.Locator locator) {
    return CrossAppAccessHeadersProvider.builder()
        .idpTokenEndpoint(servers.idpTokenEndpoint())
        .idpPublicClient(EnterpriseAuthServers.IDP_CLIENT_ID)
        .clientAuthentication(ClientAuthCase.PRIVATE_KEY_JWT_EC.authentication())
        .authorizationTargets(locator)
        .maxAttempts(1)
        .build();
  }

  private HeaderContext context(String user) {
    return HeaderContext.builder(server)
        .runId("r-" + user)
        .put(CrossAppAccessHeadersProvider.ID_TOKEN, servers.idToken(user))
        .build();
  }

  @Test
  void aTokenEndpointThatChangedSinceTheServerWasLocatedIsUsedAfterThe401() {
    // The same authorization server, whose metadata names another token endpoint URL later (the
    // loopback server answers both).
    List<URI> endpoints =
        List.of(servers.asTokenEndpoint(), URI.create(servers.asTokenEndpoint() + "/v2"));
    AtomicInteger located = new AtomicInteger();
    CrossAppAccessHeadersProvider provider =
        provider(
            s ->
                AuthorizationTarget.of(
                    servers.asIssuer(),
                    endpoints.get(Math.min(located.getAndIncrement(), 1)),
                    URI.create("https://tickets.example.com/mcp")));
    String first = Contexts.bearer(provider.headers(context("alice")));

    assertThat(provider.onUnauthorized(context("alice"), "Bearer error=\"invalid_token\""))
        .isTrue();
    String second = Contexts.bearer(provider.headers(context("alice")));

    assertThat(second).isNotEqualTo(first);
    assertThat(located).hasValue(2);
    assertThat(servers.asRequests()).hasSize(2);
  }

  @Test
  void concurrentRequestsLocateAServerOnce() throws Exception {
    AtomicInteger located = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    CrossAppAccessHeadersProvider provider =
        provider(
            s -> {
              located.incrementAndGet();
              try {
                release.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return AuthorizationTarget.of(
                  servers.asIssuer(),
                  servers.asTokenEndpoint(),
                  URI.create("https://tickets.example.com/mcp"));
            });
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(pool.submit(() -> Contexts.bearer(provider.headers(context("alice")))));
      }
      while (located.get() == 0) {
        Thread.onSpinWait();
      }
      release.countDown();
      for (Future<String> result : results) {
        assertThat(result.get(10, TimeUnit.SECONDS)).isNotEmpty();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(located).hasValue(1);
  }
}
