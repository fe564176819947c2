package dev.icld.selection;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Dynamic exit on a model with a head after every layer: each utterance stops at the first exit
 * whose prediction is confident enough under the {@link EntropyExit} rule of the budget (its
 * threshold calibrated so that the mean exit on a dev set is at most k), and is read there. It
 * reads the entropy at every exit, which only running the layers gives; see the inference core
 * for how a pass provides it.
 */
public final class DynamicExitPolicy implements LayerSelectionPolicy {
  private final Map<Integer, EntropyExit> rules;

  /** @param rules per budget k, the stopping rule calibrated for it */
  public DynamicExitPolicy(Map<Integer, EntropyExit> rules) {
    this.rules = Map.copyOf(rules);
  }

  @Override
  public String name() {
    return "dynamic-exit";
  }

  @Override
  public Set<SelectionInput.Part> reads() {
    return Set.of(SelectionInput.Part.EXIT_ENTROPIES);
  }

  @Override
  public Selection select(SelectionInput input, Budget budget) {
    EntropyExit rule = rules.get(budget.keep());
    if (rule == null || rule.layers() != budget.layers()) {
      throw new IllegalArgumentException("no entropy threshold calibrated for budget " + budget
          + " (calibrated: " + new TreeMap<>(rules).keySet() + ")");
    }
    boolean[][] masks = new boolean[input.batchSize()][budget.layers()];
    int[] exits = new int[input.batchSize()];
    for (int b = 0; b < masks.length; b++) {
      exits[b] = rule.exitFor(input.exitEntropies(b));
      Arrays.fill(masks[b], 0, exits[b], true);
    }
    return new Selection(masks, exits);
  }
}
