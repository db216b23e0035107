package io.github.mcprunner.core.internal;

import static io.github.mcprunner.core.internal.ChainArbitraries.build;
import static io.github.mcprunner.core.internal.ChainArbitraries.exact;
import static io.github.mcprunner.core.internal.ChainArbitraries.referenceMerge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.core.internal.ChainArbitraries.Op;
import io.github.mcprunner.headers.InvalidMcpHeaderException;
import io.github.mcprunner.headers.McpHeaders;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The rules of {@link HeaderLayers}: the merge of the chain's layers and the protected check. */
class HeaderLayersProperties {

  @Property
  void mergeOfManyLayersEqualsTheReferenceModelAndTheFoldOfOverriddenBy(
      @ForAll("layerLists") List<List<Op>> ops) {
    List<McpHeaders> layers = new ArrayList<>();
    McpHeaders folded = McpHeaders.empty();
    for (List<Op> layer : ops) {
      McpHeaders built = build(layer);
      layers.add(built);
      folded = folded.overriddenBy(built);
    }

    McpHeaders merged = HeaderLayers.merge(layers);

    assertThat(exact(merged)).isEqualTo(referenceMerge(ops));
    assertThat(merged.hasRemovals()).isFalse();
    assertThat(merged.asMap()).containsExactlyEntriesOf(folded.asMap());
  }

  @Property
  void theSecretMarkOfTheWinningValueSurvivesTheMerge(
      @ForAll("layerLists") List<List<Op>> ops, @ForAll boolean removeBelow) {
    List<McpHeaders> layers = new ArrayList<>();
    for (List<Op> layer : ops) {
      layers.add(build(layer));
    }
    if (removeBelow) {
      // A removal somewhere below takes the merge's slower path; the mark must survive it too.
      layers.add(0, McpHeaders.builder().remove("X-Vault").build());
    }
    layers.add(McpHeaders.builder().setSecret("X-Vault", "from-a-secret-file").build());

    McpHeaders merged = HeaderLayers.merge(layers);

    assertThat(merged.isSecret("X-Vault")).isTrue();
    assertThat(merged.get("x-vault")).hasValue("from-a-secret-file");
    assertThat(merged.toString()).doesNotContain("from-a-secret-file");
  }

  @Property
  void aSingleLayerWithoutRemovalsIsReturnedAsItIs(@ForAll("layerOps") List<Op> ops) {
    McpHeaders layer = build(ops);
    if (!layer.hasRemovals()) {
      assertThat(HeaderLayers.merge(List.of(McpHeaders.empty(), layer))).isSameAs(layer);
    } else {
      assertThat(HeaderLayers.merge(List.of(layer)).hasRemovals()).isFalse();
    }
  }

  @Property
  void requireUnprotectedRefusesSetsAndRemovalsOfProtectedNamesOnly(
      @ForAll("protectedNames") String name, @ForAll("layerOps") List<Op> ops) {
    McpHeaders clean = build(ops);
    assertThat(HeaderLayers.requireUnprotected(clean, "provider 'p'")).isSameAs(clean);

    McpHeaders set = clean.toBuilder().set(name, "v4lue").build();
    assertThatThrownBy(() -> HeaderLayers.requireUnprotected(set, "provider 'p'"))
        .isInstanceOf(InvalidMcpHeaderException.class)
        .hasMessageContaining("provider 'p'")
        .hasMessageNotContaining("v4lue")
        .satisfies(e -> assertThat(((InvalidMcpHeaderException) e).headerName()).isEqualTo(name));
    McpHeaders removal = clean.toBuilder().remove(name).build();
    assertThatThrownBy(() -> HeaderLayers.requireUnprotected(removal, "provider 'p'"))
        .isInstanceOf(InvalidMcpHeaderException.class);
  }

  @Provide
  Arbitrary<List<List<Op>>> layerLists() {
    return ChainArbitraries.layerOps().list().ofMaxSize(6);
  }

  @Provide
  Arbitrary<List<Op>> layerOps() {
    return ChainArbitraries.layerOps();
  }

  @Provide
  Arbitrary<String> protectedNames() {
    return ChainArbitraries.protectedNames();
  }
}
