package dev.icld.selection;

/**
 * The first k layers run and the output is read after the last layer, through the model's usual
 * task head (the skipped layers pass their input through). The simplest baseline for a model that
 * has neither exit heads nor a selector; unlike {@link EarlyExitPolicy} it needs no head after
 * layer k.
 */
public final class FirstLayersPolicy implements LayerSelectionPolicy {
  @Override
  public String name() {
    return "first-k";
  }

  @Override
  public Selection select(SelectionInput input, Budget budget) {
    boolean[] prefix = new boolean[budget.layers()];
    for (int i = 0; i < budget.keep(); i++) {
      prefix[i] = true;
    }
    return Selection.uniform(input.batchSize(), prefix);
  }
}
