package dev.icld.methods;

import dev.icld.selection.FirstLayersPolicy;
import dev.icld.selection.LayerSelectionPolicy;
import java.awt.Color;

/**
 * The first k layers, read by the usual final head: what the runtime falls back on for a model
 * with neither exit heads nor a selector. Not in a comparison's default set, which has early
 * exit for the first k layers.
 */
final class FirstLayersMethod extends Method {
  FirstLayersMethod() {
    super("first-k", new Color(190, 160, 0));
  }

  @Override
  public LayerSelectionPolicy policy(MethodResources resources, long seed) {
    return new FirstLayersPolicy();
  }

  @Override
  public boolean inComparison() {
    return false;
  }

  @Override
  public boolean served() {
    return true;
  }
}
