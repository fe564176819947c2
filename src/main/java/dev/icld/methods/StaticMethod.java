package dev.icld.methods;

import dev.icld.selection.LayerSelectionPolicy;
import dev.icld.selection.StaticSubsetPolicy;
import java.awt.Color;
import java.util.List;

/** The same searched subset of k layers for every utterance. */
final class StaticMethod extends Method {
  StaticMethod() {
    super("static", new Color(40, 150, 60));
  }

  @Override
  public LayerSelectionPolicy policy(MethodResources resources, long seed) {
    return new StaticSubsetPolicy(resources.staticSubsets());
  }

  @Override
  public List<Need> needs() {
    return List.of(Need.STATIC_SUBSETS);
  }

  @Override
  public boolean served() {
    return true;
  }

  /** The reference for layers that do not vary at all. */
  @Override
  public boolean reportsMaskVariation() {
    return true;
  }
}
