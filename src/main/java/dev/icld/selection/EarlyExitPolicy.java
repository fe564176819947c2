package dev.icld.selection;

/**
 * Early exit: the first k layers run and the output is read from the exit head after layer k
 * (the model must have been trained with a head after every layer). For the dynamic variant,
 * which decides per utterance while the layers run, see {@link DynamicExitPolicy}.
 */
public final class EarlyExitPolicy implements LayerSelectionPolicy {
  @Override
  public String name() {
    return "early-exit";
  }

  @Override
  public Selection select(SelectionInput input, Budget budget) {
    boolean[] prefix = new boolean[budget.layers()];
    for (int i = 0; i < budget.keep(); i++) {
      prefix[i] = true;
    }
    boolean[][] masks = new boolean[input.batchSize()][];
    int[] exits = new int[input.batchSize()];
    for (int b = 0; b < masks.length; b++) {
      masks[b] = prefix;
      exits[b] = budget.keep();
    }
    return new Selection(masks, exits);
  }
}
