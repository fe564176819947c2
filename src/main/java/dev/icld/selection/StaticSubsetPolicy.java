package dev.icld.selection;

/** The static-subset baseline: the same searched subset of k layers for every utterance. */
public final class StaticSubsetPolicy implements LayerSelectionPolicy {
  private final StaticSubsets subsets;

  public StaticSubsetPolicy(StaticSubsets subsets) {
    this.subsets = subsets;
  }

  @Override
  public String name() {
    return "static";
  }

  @Override
  public Selection select(SelectionInput input, Budget budget) {
    if (budget.layers() != subsets.layers()) {
      throw new IllegalArgumentException("budget " + budget + " is for a " + budget.layers()
          + "-layer model but the static subsets are for " + subsets.layers() + " layers");
    }
    return Selection.uniform(input.batchSize(), subsets.mask(budget.keep()));
  }
}
