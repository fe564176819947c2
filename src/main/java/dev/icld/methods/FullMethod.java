package dev.icld.methods;

import dev.icld.selection.FullDepthPolicy;
import dev.icld.selection.LayerSelectionPolicy;
import java.awt.Color;
import java.util.List;

/** Every layer, whatever the budget: the reference every other method is measured against. */
final class FullMethod extends Method {
  FullMethod() {
    super("full", Color.BLACK);
  }

  @Override
  public LayerSelectionPolicy policy(MethodResources resources, long seed) {
    return new FullDepthPolicy();
  }

  @Override
  public boolean served() {
    return true;
  }

  /** Only k = L: at a smaller budget it would run the same layers again. */
  @Override
  public List<Integer> budgets(List<Integer> asked, int layers) {
    return List.of(layers);
  }
}
