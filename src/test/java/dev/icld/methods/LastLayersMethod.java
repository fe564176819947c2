package dev.icld.methods;

import dev.icld.selection.Budget;
import dev.icld.selection.LayerSelectionPolicy;
import dev.icld.selection.Selection;
import dev.icld.selection.SelectionInput;
import java.awt.Color;
import java.util.Arrays;

/** The last k layers, read by the final head: do the layers near the output matter most? */
public final class LastLayersMethod extends Method {
  public LastLayersMethod() {
    super("last-k", new Color(200, 40, 120));
  }

  @Override
  public LayerSelectionPolicy policy(MethodResources resources, long seed) {
    return new LayerSelectionPolicy() {
      @Override
      public String name() {
        return LastLayersMethod.this.name();
      }

      @Override
      public Selection select(SelectionInput input, Budget budget) {
        boolean[] last = new boolean[budget.layers()];
        Arrays.fill(last, budget.layers() - budget.keep(), budget.layers(), true);
        return Selection.uniform(input.batchSize(), last);
      }
    };
  }

  /** Also for {@code icld infer --policy last-k}. */
  @Override
  public boolean served() {
    return true;
  }
}
