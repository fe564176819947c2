package dev.icld.selection;

import java.util.Arrays;

/** The full model: every layer runs whatever the budget (the k = L reference point). */
public final class FullDepthPolicy implements LayerSelectionPolicy {
  @Override
  public String name() {
    return "full";
  }

  @Override
  public Selection select(SelectionInput input, Budget budget) {
    boolean[] all = new boolean[budget.layers()];
    Arrays.fill(all, true);
    return Selection.uniform(input.batchSize(), all);
  }
}
