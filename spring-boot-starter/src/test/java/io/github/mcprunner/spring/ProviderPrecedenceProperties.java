package io.github.mcprunner.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcprunner.McpToolbox;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.ToolboxRun;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.config.ConfiguredHeadersProvider;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.RecordedRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Header provider beans, registered in any order, and the provider of the providers' own settings
 * ({@code mcprunner.headers}, order -100) form one layer ordered by {@code order()} then {@code
 * name()}: the last one wins, whatever the order of the beans in the context. Checked on every
 * request the MCP server received.
 */
class ProviderPrecedenceProperties {
  private static final String HEADER = "X-Winner";
  private static EmbeddedMcpServer server;

  record Bean(String name, int order) {}

  @BeforeContainer
  static void start() {
    server = EmbeddedMcpServer.builder().defaultTools().start();
  }

  @AfterContainer
  static void stop() {
    server.close();
  }

  @Provide
  Arbitrary<List<Bean>> beans() {
    Arbitrary<Integer> order = Arbitraries.of(-150, -100, 0, 0, 150);
    return order
        .list()
        .ofMinSize(1)
        .ofMaxSize(5)
        .map(
            orders -> {
              List<Bean> beans = new ArrayList<>();
              for (int i = 0; i < orders.size(); i++) {
                beans.add(new Bean("p" + i, orders.get(i)));
              }
              return beans;
            })
        .flatMap(beans -> Arbitraries.shuffle(beans));
  }

  @Property(tries = 12)
  void theProviderLastByOrderThenNameWinsWhateverTheBeanOrder(@ForAll("beans") List<Bean> beans) {
    List<Bean> all = new ArrayList<>(beans);
    all.add(new Bean(ConfiguredHeadersProvider.NAME, ConfiguredHeadersProvider.DEFAULT_ORDER));
    String winner =
        all.stream()
            .max(Comparator.comparingInt(Bean::order).thenComparing(Bean::name))
            .orElseThrow()
            .name();
    ApplicationContextRunner contexts =
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(McpRunnerAutoConfiguration.class))
            .withPropertyValues(
                "mcp-runner.servers.crm.url=" + server.url(),
                "mcprunner.headers=" + HEADER + "=" + ConfiguredHeadersProvider.NAME);
    for (Bean bean : beans) {
      contexts = contexts.withBean(bean.name(), McpHeaderProvider.class, () -> provider(bean));
    }
    contexts.run(
        context -> {
          server.clearRequests();
          try (ToolboxRun run = context.getBean(McpToolbox.class).open(RunOptions.defaults())) {
            run.call("add", "{\"a\":1,\"b\":2}");
          }
          List<RecordedRequest> posts =
              server.requests().stream().filter(r -> r.httpMethod().equals("POST")).toList();
          assertThat(posts)
              .isNotEmpty()
              .allSatisfy(r -> assertThat(r.headerValues(HEADER)).containsExactly(winner));
        });
  }

  private static McpHeaderProvider provider(Bean bean) {
    return new McpHeaderProvider() {
      @Override
      public String name() {
        return bean.name();
      }

      @Override
      public int order() {
        return bean.order();
      }

      @Override
      public McpHeaders headers(HeaderContext context) {
        return McpHeaders.of(HEADER, bean.name());
      }
    };
  }
}
