package io.github.mcprunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The bound on the rounds of a stateless request: its default, its range and its error. */
class MaxInputRoundsTest {

  private static McpServerSpec.Builder crm() {
    return McpServerSpec.builder("crm", "https://crm.example.com/mcp");
  }

  @Test
  void defaultsToFourAndSurvivesToBuilder() {
    McpServerSpec spec = crm().build();
    McpServerSpec raised = crm().maxInputRounds(32).build();

    assertThat(spec.maxInputRounds()).isEqualTo(4);
    assertThat(raised.maxInputRounds()).isEqualTo(32);
    assertThat(raised.toBuilder().build().maxInputRounds()).isEqualTo(32);
    assertThat(crm().maxInputRounds(1).build().maxInputRounds()).isEqualTo(1);
  }

  @Test
  void outOfRangeFailsNamingTheServerAndTheRule() {
    for (int wrong : new int[] {0, -1, 33, Integer.MAX_VALUE}) {
      assertThatThrownBy(() -> crm().maxInputRounds(wrong))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("maxInputRounds of server 'crm' must be between 1 and 32, was " + wrong);
    }
  }
}
