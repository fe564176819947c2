package dev.icld.methods;

import dev.icld.selection.EntropyExit;
import dev.icld.selection.LayerSelector;
import dev.icld.selection.SelectorWeights;
import dev.icld.selection.StaticSubsets;
import java.util.Map;

/**
 * What methods make their policies from: whatever of these the model has, or a comparison has
 * prepared for it. A method only reads what its {@link Method#needs()} name.
 *
 * @param selector the layer selector, or null
 * @param selectorWeights its weights copied for inference once, for every policy made from these
 *     resources (null without a selector)
 * @param staticSubsets the static layer subsets, or null
 * @param exitThresholds per budget k, the dynamic exit's calibrated rule (empty when none)
 */
public record MethodResources(LayerSelector selector, SelectorWeights selectorWeights,
    StaticSubsets staticSubsets, Map<Integer, EntropyExit> exitThresholds) {
  public MethodResources {
    if ((selector == null) != (selectorWeights == null)) {
      throw new IllegalArgumentException(selector == null
          ? "selector weights given without their selector"
          : "a selector without its weights: copy them with selector.weights()");
    }
    exitThresholds = Map.copyOf(exitThresholds);
  }

  /** Resources with the selector's weights copied now. */
  public MethodResources(LayerSelector selector, StaticSubsets staticSubsets,
      Map<Integer, EntropyExit> exitThresholds) {
    this(selector, selector == null ? null : selector.weights(), staticSubsets, exitThresholds);
  }
}
