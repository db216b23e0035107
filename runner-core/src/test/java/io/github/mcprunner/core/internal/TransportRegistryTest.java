package io.github.mcprunner.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.core.spi.McpTransportFactory;
import io.github.mcprunner.core.spi.TransportSettings;
import io.modelcontextprotocol.spec.McpClientTransport;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which transport serves a server: the named one, else the only one, else the highest order. */
class TransportRegistryTest {
  private static final McpServerSpec ANY =
      McpServerSpec.builder("crm", "http://127.0.0.1:1/mcp").build();

  /** A factory that is only ever chosen here, never asked for a transport. */
  private record Named(String name, int order) implements McpTransportFactory {
    @Override
    public McpClientTransport create(TransportSettings settings) {
      throw new UnsupportedOperationException("not created in this test");
    }
  }

  @Test
  void theOnlyTransportServesWithoutAChoiceAndAnUnknownNameIsRefusedNamingTheArtifact() {
    TransportRegistry registry = TransportRegistry.create(List.of(new Named("okhttp", 50)), null);

    assertThat(registry.forServer(ANY).name()).isEqualTo("okhttp");
    assertThatThrownBy(() -> registry.forServer(ANY.toBuilder().transport("httpclient").build()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'crm'")
        .hasMessageContaining("transport-httpclient");
  }

  @Test
  void withoutAChoiceTheHighestOrderServesTiesByName() {
    TransportRegistry registry =
        TransportRegistry.create(
            List.of(new Named("okhttp", 50), new Named("httpclient", 100), new Named("b", 100)),
            null);

    assertThat(registry.names()).containsExactly("okhttp", "httpclient", "b");
    assertThat(registry.forServer(ANY).name()).isEqualTo("b");
    assertThat(registry.forServer(ANY.toBuilder().transport("okhttp").build()).name())
        .isEqualTo("okhttp");
  }

  @Test
  void noTransportAtAllIsAClearError() {
    TransportRegistry registry = TransportRegistry.create(List.of(), null);

    assertThatThrownBy(() -> registry.forServer(ANY))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("transport-httpclient");
  }
}
