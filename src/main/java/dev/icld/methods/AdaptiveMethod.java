package dev.icld.methods;

import dev.icld.selection.Budget;
import java.awt.Color;

/**
 * The selector in adaptive mode: each input keeps the layers whose gate passes the threshold
 * calibrated for k, so the count varies per input around k. The runtime serves it as the
 * selector under an adaptive budget ({@code adaptive:FRACTION}), not by name.
 */
final class AdaptiveMethod extends SelectorMethod {
  AdaptiveMethod() {
    super("adaptive", new Color(150, 60, 180));
  }

  @Override
  public boolean served() {
    return false;
  }

  @Override
  public Budget budget(int k, int layers) {
    return Budget.adaptive(k, layers);
  }

  @Override
  public String unavailableAt(MethodResources resources, int k) {
    return resources.selector().config().adaptiveThresholds().containsKey(k) ? null
        : "no adaptive threshold for budget " + k + " (train-selector calibrates the budgets it "
            + "trains: " + resources.selector().config().trainedBudgets() + ")";
  }
}
