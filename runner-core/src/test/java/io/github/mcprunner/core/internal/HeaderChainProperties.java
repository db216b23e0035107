package io.github.mcprunner.core.internal;

import static io.github.mcprunner.core.internal.ChainArbitraries.build;
import static io.github.mcprunner.core.internal.ChainArbitraries.exact;
import static io.github.mcprunner.core.internal.ChainArbitraries.referenceMerge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.HeaderProviderException;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.core.internal.ChainArbitraries.Op;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.InvalidMcpHeaderException;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.McpServerRef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Rules of the precedence chain, checked on {@link HeaderChain#resolve(HeaderRequest)}. */
class HeaderChainProperties {

  private static final McpServerRef CRM = McpServerRef.of("crm", "https://crm.example.com/mcp");
  private static final McpServerRef DOCS = McpServerRef.of("docs", "https://docs.example.com/mcp");

  /** Five layers as sets and removals: defaults, static, providers (each its own), run, server. */
  record Layers(
      List<Op> defaults,
      List<Op> server,
      List<List<Op>> providers,
      List<Op> run,
      List<Op> perServer) {

    HeaderChain chain() {
      List<McpHeaderProvider> list = new ArrayList<>();
      for (int i = 0; i < providers.size(); i++) {
        // Names sort in the order generated: p00, p01, ...
        list.add(
            TestProvider.fixed(String.format(Locale.ROOT, "p%02d", i), 0, build(providers.get(i))));
      }
      return HeaderChain.create(build(defaults), list);
    }

    RunScope scope() {
      return RunScope.builder("agent", "run-1")
          .perRunHeaders(build(run))
          .perServerHeaders(CRM.name(), build(perServer))
          .build();
    }

    ResolvedHeaders resolve() {
      return chain().resolve(new HeaderRequest(CRM, build(server), scope(), "tools/call", "t"));
    }

    List<List<Op>> inOrder() {
      List<List<Op>> all = new ArrayList<>();
      all.add(defaults);
      all.add(server);
      all.addAll(providers);
      all.add(run);
      all.add(perServer);
      return all;
    }
  }

  // ---- precedence ----

  @Property
  void resolutionEqualsTheReferenceMergeOfTheFiveLayersExactly(@ForAll("layers") Layers layers) {
    ResolvedHeaders resolved = layers.resolve();

    assertThat(exact(resolved.headers())).isEqualTo(referenceMerge(layers.inOrder()));
    assertThat(resolved.headers().hasRemovals()).isFalse();
  }

  @Property
  void perRunHeaderWinsOverEveryLowerLayer(
      @ForAll("layers") Layers layers,
      @ForAll("pooledNames") String name,
      @ForAll("values") String value) {
    List<Op> run = new ArrayList<>(layers.run());
    run.add(Op.set(name, value));
    Layers withRun =
        new Layers(layers.defaults(), layers.server(), layers.providers(), run, List.of());

    McpHeaders headers = withRun.resolve().headers();

    assertThat(headers.get(name)).hasValue(value);
    assertThat(headers.names()).contains(name);
    // And a per-run removal leaves nothing of the lower layers.
    List<Op> removing = new ArrayList<>(layers.run());
    removing.add(Op.remove(name));
    Layers withRemoval =
        new Layers(layers.defaults(), layers.server(), layers.providers(), removing, List.of());
    assertThat(withRemoval.resolve().headers().get(name)).isEmpty();
  }

  @Property
  void perServerHeaderWinsOverPerRunHeader(
      @ForAll("layers") Layers layers,
      @ForAll("pooledNames") String name,
      @ForAll("values") String runValue,
      @ForAll("values") String serverValue) {
    List<Op> run = new ArrayList<>(layers.run());
    run.add(Op.set(name, runValue));
    List<Op> perServer = new ArrayList<>(layers.perServer());
    perServer.add(Op.set(name, serverValue));
    Layers both =
        new Layers(layers.defaults(), layers.server(), layers.providers(), run, perServer);
    RunScope scope = both.scope();
    HeaderChain chain = both.chain();

    assertThat(
            chain
                .resolve(new HeaderRequest(CRM, build(both.server()), scope, null, null))
                .headers()
                .get(name))
        .hasValue(serverValue);
    // Headers meant for another server never reach this one: there the per-run header wins.
    assertThat(
            chain
                .resolve(new HeaderRequest(DOCS, build(both.server()), scope, null, null))
                .headers()
                .get(name))
        .hasValue(runValue);
  }

  @Property
  void overridingIsCaseInsensitiveAndKeepsWinnerSpelling(
      @ForAll("layers") Layers layers,
      @ForAll("spellings") List<String> spellings,
      @ForAll @IntRange(min = 0, max = 4) int top) {
    // Layer k (k <= top) sets the name in spelling k; layers above top leave it alone.
    List<List<Op>> five = new ArrayList<>();
    five.add(new ArrayList<>(layers.defaults()));
    five.add(new ArrayList<>(layers.server()));
    five.add(new ArrayList<>());
    five.add(new ArrayList<>(layers.run()));
    five.add(new ArrayList<>(layers.perServer()));
    String lower = spellings.get(0).toLowerCase(Locale.ROOT);
    for (List<Op> layer : five) {
      layer.removeIf(op -> op.name().equalsIgnoreCase(lower));
    }
    for (int k = 0; k <= top; k++) {
      five.get(k).add(Op.set(spellings.get(k), "v" + k));
    }
    Layers chained =
        new Layers(five.get(0), five.get(1), List.of(five.get(2)), five.get(3), five.get(4));

    McpHeaders headers = chained.resolve().headers();

    assertThat(headers.names()).contains(spellings.get(top));
    assertThat(headers.names()).filteredOn(n -> n.equalsIgnoreCase(lower)).hasSize(1);
    assertThat(headers.get(lower.toUpperCase(Locale.ROOT))).hasValue("v" + top);
  }

  @Property
  void removalRemovesFromLowerLayersOnly(
      @ForAll("pooledNames") String name,
      @ForAll @IntRange(min = 0, max = 4) int removingLayer,
      @ForAll @IntRange(min = 0, max = 4) int settingLayer) {
    List<List<Op>> five = new ArrayList<>();
    for (int k = 0; k < 5; k++) {
      five.add(new ArrayList<>());
    }
    five.get(settingLayer).add(Op.set(name, "set"));
    five.get(removingLayer).add(Op.remove(name));
    Layers chained =
        new Layers(five.get(0), five.get(1), List.of(five.get(2)), five.get(3), five.get(4));

    McpHeaders headers = chained.resolve().headers();

    // In one layer the later operation (the removal) wins; across layers the higher one wins.
    if (settingLayer > removingLayer) {
      assertThat(headers.get(name)).hasValue("set");
    } else {
      assertThat(headers.get(name)).isEmpty();
    }
    assertThat(headers.hasRemovals()).isFalse();
  }

  @Property
  void withoutPerRunLayersResultEqualsStaticOnlyResult(
      @ForAll("layers") Layers layers,
      @ForAll("values") String runId,
      @ForAll("values") String tenant) {
    Layers noRun =
        new Layers(layers.defaults(), layers.server(), layers.providers(), List.of(), List.of());
    HeaderChain chain = noRun.chain();
    McpHeaders server = build(layers.server());
    RunScope run =
        RunScope.builder("agent", runId)
            .identity("user-" + tenant)
            .context(ContextKey.TENANT_ID, tenant)
            .build();

    McpHeaders withRun =
        chain.resolve(new HeaderRequest(CRM, server, run, "tools/list", null)).headers();
    McpHeaders neutral =
        chain
            .resolve(new HeaderRequest(CRM, server, RunScope.neutral("agent"), null, null))
            .headers();

    assertThat(exact(withRun)).isEqualTo(exact(neutral));
    List<List<Op>> staticOnly = new ArrayList<>();
    staticOnly.add(layers.defaults());
    staticOnly.add(layers.server());
    staticOnly.addAll(layers.providers());
    assertThat(exact(withRun)).isEqualTo(referenceMerge(staticOnly));
    // With no provider either, the result is the server's static headers over the defaults.
    HeaderChain bare = HeaderChain.create(build(layers.defaults()), List.of());
    assertThat(exact(bare.resolve(new HeaderRequest(CRM, server, run, null, null)).headers()))
        .isEqualTo(exact(HeaderLayers.merge(List.of(build(layers.defaults()), server))));
  }

  // ---- providers ----

  @Property
  void providerOrderDoesNotDependOnDiscoveryOrder(
      @ForAll("providerSpecs") List<ProviderSpec> specs, @ForAll long seed) {
    List<McpHeaderProvider> providers = new ArrayList<>();
    for (ProviderSpec spec : specs) {
      providers.add(TestProvider.fixed(spec.name(), spec.order(), build(spec.ops())));
    }
    List<McpHeaderProvider> shuffled = new ArrayList<>(providers);
    Collections.shuffle(shuffled, new Random(seed));
    HeaderChain first = HeaderChain.create(McpHeaders.empty(), providers);
    HeaderChain second = HeaderChain.create(McpHeaders.empty(), shuffled);

    assertThat(second.providers()).containsExactlyElementsOf(first.providers());
    for (int i = 1; i < first.providers().size(); i++) {
      McpHeaderProvider before = first.providers().get(i - 1);
      McpHeaderProvider after = first.providers().get(i);
      assertThat(
              before.order() < after.order()
                  || (before.order() == after.order() && before.name().compareTo(after.name()) < 0))
          .isTrue();
    }
    HeaderRequest request =
        new HeaderRequest(CRM, McpHeaders.empty(), RunScope.neutral("agent"), null, null);
    assertThat(exact(second.resolve(request).headers()))
        .isEqualTo(exact(first.resolve(request).headers()));
  }

  @Property
  void laterProviderWinsAndSeesEarlierProvidersInResolvedSoFar(
      @ForAll("layers") Layers layers, @ForAll("pooledNames") String shared) {
    // Every provider also sets `shared` to its own index: the last one must win.
    List<List<Op>> providerOps = new ArrayList<>();
    List<McpHeaderProvider> providers = new ArrayList<>();
    List<TestProvider> recording = new ArrayList<>();
    int count = Math.max(2, layers.providers().size());
    for (int i = 0; i < count; i++) {
      List<Op> ops =
          new ArrayList<>(i < layers.providers().size() ? layers.providers().get(i) : List.of());
      ops.add(Op.set(shared, "from-" + i));
      providerOps.add(ops);
      // Orders run backwards while names run forwards: the order decides, not the name.
      TestProvider provider = TestProvider.fixed("p" + (count - i), i * 10 - 5, build(ops));
      recording.add(provider);
      providers.add(provider);
    }
    Collections.reverse(providers);
    HeaderChain chain = HeaderChain.create(build(layers.defaults()), providers);

    ResolvedHeaders resolved =
        chain.resolve(
            new HeaderRequest(CRM, build(layers.server()), RunScope.neutral("a"), null, null));

    assertThat(resolved.headers().get(shared)).hasValue("from-" + (count - 1));
    for (int i = 0; i < count; i++) {
      List<List<Op>> below = new ArrayList<>();
      below.add(layers.defaults());
      below.add(layers.server());
      below.addAll(providerOps.subList(0, i));
      assertThat(recording.get(i).seen).hasSize(1);
      assertThat(exact(recording.get(i).seen.get(0).resolvedSoFar()))
          .as("resolvedSoFar seen by provider %s", i)
          .isEqualTo(referenceMerge(below));
    }
    assertThat(resolved.contributors()).containsExactlyElementsOf(recording);
  }

  @Property
  void contributorsAreExactlyTheProvidersThatReturnedNonEmptyHeaders(
      @ForAll("providerSpecs") List<ProviderSpec> specs) {
    List<McpHeaderProvider> providers = new ArrayList<>();
    for (ProviderSpec spec : specs) {
      providers.add(TestProvider.fixed(spec.name(), spec.order(), build(spec.ops())));
    }
    HeaderChain chain = HeaderChain.create(McpHeaders.empty(), providers);

    ResolvedHeaders resolved =
        chain.resolve(
            new HeaderRequest(CRM, McpHeaders.empty(), RunScope.neutral("a"), null, null));

    List<McpHeaderProvider> expected = new ArrayList<>();
    for (McpHeaderProvider provider : chain.providers()) {
      if (!((TestProvider) provider).seen.isEmpty()
          && !provider.headers(((TestProvider) provider).seen.get(0)).isEmpty()) {
        expected.add(provider);
      }
    }
    assertThat(resolved.contributors()).containsExactlyElementsOf(expected);
  }

  @Property
  void providerSeesTheRequestAndTheRunItServes(
      @ForAll("values") String agent,
      @ForAll("values") String runId,
      @ForAll("values") String identity,
      @ForAll("values") String method,
      @ForAll("values") String tool,
      @ForAll("values") String tenant,
      @ForAll("values") String subject) {
    TestProvider provider = TestProvider.fixed("recorder", 0, McpHeaders.empty());
    HeaderChain chain = HeaderChain.create(McpHeaders.empty(), List.of(provider));
    RunScope run =
        RunScope.builder(agent, runId)
            .identity(identity)
            .context(ContextKey.TENANT_ID, tenant)
            .context(ContextKey.SUBJECT_TOKEN, subject)
            .build();

    chain.resolve(new HeaderRequest(DOCS, McpHeaders.empty(), run, method, tool));

    HeaderContext seen = provider.seen.get(0);
    assertThat(seen.server()).isEqualTo(DOCS);
    assertThat(seen.agentName()).isEqualTo(agent);
    assertThat(seen.runId()).isEqualTo(runId);
    assertThat(seen.identity()).hasValue(identity);
    assertThat(seen.mcpMethod()).hasValue(method);
    assertThat(seen.toolName()).hasValue(tool);
    assertThat(seen.get(ContextKey.TENANT_ID)).hasValue(tenant);
    assertThat(seen.get(ContextKey.SUBJECT_TOKEN)).hasValue(subject);
    assertThat(seen.get(ContextKey.USER_ID)).isEmpty();
    assertThat(seen.toString()).doesNotContain(tenant.length() > 3 ? tenant : "\u0000");
  }

  // ---- isolation ----

  @Property(tries = 25)
  void concurrentResolutionsNeverSeeEachOthersValues(
      @ForAll @IntRange(min = 2, max = 6) int threads,
      @ForAll @IntRange(min = 50, max = 300) int requestsPerThread,
      @ForAll long seed)
      throws Exception {
    HeaderChain chain =
        HeaderChain.create(
            McpHeaders.of("User-Agent", "mcp-runner"),
            List.of(
                TestProvider.computing(
                    "tenant",
                    10,
                    c -> McpHeaders.of("X-Tenant-Id", c.get(ContextKey.TENANT_ID).orElseThrow())),
                TestProvider.computing(
                    "token",
                    0,
                    c ->
                        McpHeaders.of(
                            "Authorization",
                            "Bearer exchanged-" + c.get(ContextKey.SUBJECT_TOKEN).orElseThrow())),
                TestProvider.computing(
                    "request",
                    20,
                    c ->
                        McpHeaders.of(
                            "X-Request-Id",
                            c.runId()
                                + "/"
                                + c.toolName().orElse("-")
                                + "/"
                                + c.server().name()))));
    McpHeaders crmStatic = McpHeaders.of("X-Api-Version", "2");
    McpHeaders docsStatic = McpHeaders.builder().remove("User-Agent").build();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String id = seed + "-" + t;
        RunScope run =
            RunScope.builder("agent", "run-" + id)
                .perRunHeaders(McpHeaders.of("X-User-Id", "user-" + id))
                .perServerHeaders("docs", McpHeaders.of("X-Docs-Space", "space-" + id))
                .context(ContextKey.TENANT_ID, "tenant-" + id)
                .context(ContextKey.SUBJECT_TOKEN, "subject-" + id)
                .build();
        List<String> crmExpected =
            List.of(
                "User-Agent=mcp-runner",
                "X-Api-Version=2",
                "Authorization=Bearer exchanged-subject-" + id,
                "X-Tenant-Id=tenant-" + id,
                "X-Request-Id=run-" + id + "/search/crm",
                "X-User-Id=user-" + id);
        List<String> docsExpected =
            List.of(
                "Authorization=Bearer exchanged-subject-" + id,
                "X-Tenant-Id=tenant-" + id,
                "X-Request-Id=run-" + id + "/-/docs",
                "X-User-Id=user-" + id,
                "X-Docs-Space=space-" + id);
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  int checked = 0;
                  for (int i = 0; i < requestsPerThread; i++) {
                    boolean crm = i % 2 == 0;
                    HeaderRequest request =
                        crm
                            ? new HeaderRequest(CRM, crmStatic, run, "tools/call", "search")
                            : new HeaderRequest(DOCS, docsStatic, run, "tools/list", null);
                    assertThat(exact(chain.resolve(request).headers()))
                        .isEqualTo(crm ? crmExpected : docsExpected);
                    checked++;
                  }
                  return checked;
                }));
      }
      start.countDown();
      for (Future<Integer> result : results) {
        assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(requestsPerThread);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- protected names and failures ----

  @Property
  void protectedNamesAreRefusedInEveryCaseSpelling(
      @ForAll("protectedNames") String name, @ForAll("secrets") String value) {
    McpHeaders headers = McpHeaders.of(name, value);
    HeaderRequest request =
        new HeaderRequest(CRM, McpHeaders.empty(), RunScope.neutral("a"), null, null);

    // Each layer is checked once, where it enters. Runner defaults: by the runner's builder.
    assertThatThrownBy(() -> Runners.builder().defaultMcpHeaders(headers))
        .isInstanceOf(InvalidMcpHeaderException.class)
        .hasMessageContaining("runner default headers")
        .satisfies(e -> assertThat(((InvalidMcpHeaderException) e).headerName()).isEqualTo(name))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(value));
    // A provider: the request fails closed, naming provider, server and header.
    HeaderChain chain =
        HeaderChain.create(McpHeaders.empty(), List.of(TestProvider.fixed("sso", 0, headers)));
    assertThatThrownBy(() -> chain.resolve(request))
        .isInstanceOf(HeaderProviderException.class)
        .hasMessageContaining("'sso'")
        .hasMessageContaining("'crm'")
        .hasMessageContaining("'" + name + "'")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(value));
    // A provider's removal of a protected header is refused the same way.
    HeaderChain removing =
        HeaderChain.create(
            McpHeaders.empty(),
            List.of(TestProvider.fixed("sso", 0, McpHeaders.builder().remove(name).build())));
    assertThatThrownBy(() -> removing.resolve(request)).isInstanceOf(HeaderProviderException.class);
    // Per-run and per-server headers: refused by the run options.
    assertThatThrownBy(() -> RunOptions.builder().mcpHeaders(headers))
        .isInstanceOf(InvalidMcpHeaderException.class)
        .hasMessageContaining("per-run headers")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(value));
    assertThatThrownBy(() -> RunOptions.builder().mcpHeaders("crm", headers))
        .isInstanceOf(InvalidMcpHeaderException.class)
        .hasMessageContaining("'crm'");
    // Server static headers: refused by the server spec.
    assertThatThrownBy(() -> McpServerSpec.builder("crm", CRM.uri()).headers(headers))
        .isInstanceOf(InvalidMcpHeaderException.class)
        .hasMessageContaining("static headers of server 'crm'")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(value));
  }

  @Property
  void failingProviderFailsClosedWithoutEchoingTheCauseMessage(
      @ForAll("failures") RuntimeException failure) {
    TestProvider tenant = TestProvider.fixed("tenant", 5, McpHeaders.of("X-Tenant-Id", "acme"));
    HeaderChain chain =
        HeaderChain.create(
            McpHeaders.empty(), List.of(TestProvider.throwing("vault", failure), tenant));
    HeaderRequest request =
        new HeaderRequest(CRM, McpHeaders.empty(), RunScope.neutral("a"), null, null);

    assertThatThrownBy(() -> chain.resolve(request))
        .isInstanceOf(HeaderProviderException.class)
        .hasMessageContaining("'vault'")
        .hasMessageContaining("'crm'")
        .hasMessageContaining("threw ")
        .hasCause(failure)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(failure.getMessage()))
        .satisfies(
            e -> {
              HeaderProviderException p = (HeaderProviderException) e;
              assertThat(p.providerName()).isEqualTo("vault");
              assertThat(p.serverName()).isEqualTo("crm");
            });
    // The providers after the failing one are not asked: nothing is sent anyway.
    assertThat(tenant.calls).hasValue(0);
  }

  @Property
  void runScopeToStringNeverPrintsHeaderOrContextValues(
      @ForAll("secrets") String secret, @ForAll("pooledNames") String name) {
    RunScope run =
        RunScope.builder("agent", "run-7")
            .identity(secret + "-id")
            .perRunHeaders(McpHeaders.of(name, secret + "-run"))
            .perServerHeaders("crm", McpHeaders.of(name, secret + "-crm"))
            .context(ContextKey.SUBJECT_TOKEN, secret + "-ctx")
            .build();

    String printed = run.toString();

    assertThat(printed).doesNotContain(secret).contains(name).contains("subject_token");
  }

  // ---- generators ----

  /** A provider's name, order and output, for ordering properties. */
  record ProviderSpec(String name, int order, List<Op> ops) {}

  @Provide
  Arbitrary<Layers> layers() {
    Arbitrary<List<Op>> layer = ChainArbitraries.layerOps();
    return Combinators.combine(layer, layer, layer.list().ofMaxSize(3), layer, layer)
        .as(Layers::new);
  }

  @Provide
  Arbitrary<List<ProviderSpec>> providerSpecs() {
    Arbitrary<ProviderSpec> spec =
        Combinators.combine(
                Arbitraries.strings().withChars("abcdefgh-").ofMinLength(1).ofMaxLength(4),
                Arbitraries.integers().between(-2, 2),
                ChainArbitraries.layerOps())
            .as(ProviderSpec::new);
    return spec.list().ofMaxSize(6).uniqueElements(ProviderSpec::name);
  }

  @Provide
  Arbitrary<String> pooledNames() {
    return ChainArbitraries.pooledNames();
  }

  @Provide
  Arbitrary<String> values() {
    return ChainArbitraries.values();
  }

  @Provide
  Arbitrary<String> protectedNames() {
    return ChainArbitraries.protectedNames();
  }

  /** Five spellings of one pooled name. */
  @Provide
  Arbitrary<List<String>> spellings() {
    return Arbitraries.of(ChainArbitraries.POOL)
        .flatMap(name -> ChainArbitraries.spellingsOf(name).list().ofSize(5));
  }

  /** Secret-looking values: a letter, then at least eight visible characters. */
  @Provide
  Arbitrary<String> secrets() {
    return Combinators.combine(
            Arbitraries.strings().alpha().ofLength(1),
            Arbitraries.strings().withCharRange('!', '~').ofMinLength(8).ofMaxLength(24))
        .as((a, b) -> a + b);
  }

  /** Exceptions of several types whose message holds a secret. */
  @Provide
  Arbitrary<RuntimeException> failures() {
    return Combinators.combine(secrets(), Arbitraries.integers().between(0, 3))
        .as(
            (secret, kind) -> {
              String message = "token=" + secret;
              switch (kind) {
                case 0:
                  return new IllegalStateException(message);
                case 1:
                  return new java.io.UncheckedIOException(message, new java.io.IOException(secret));
                case 2:
                  return new IllegalArgumentException(message);
                default:
                  return new RuntimeException(message) {
                    private static final long serialVersionUID = 1L;
                  };
              }
            });
  }
}
