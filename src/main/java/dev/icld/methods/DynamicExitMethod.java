package dev.icld.methods;

import dev.icld.selection.DynamicExitPolicy;
import dev.icld.selection.LayerSelectionPolicy;
import java.awt.Color;
import java.util.List;

/**
 * Each utterance stops at the first exit head confident enough, under an entropy threshold
 * calibrated on a dev set so that the mean exit is at most k. The exit heads it checks on its way
 * are timed but not counted in its FLOPs, which are the backbone's alone.
 */
final class DynamicExitMethod extends Method {
  DynamicExitMethod() {
    super("dynamic-exit", new Color(150, 80, 30));
  }

  @Override
  public LayerSelectionPolicy policy(MethodResources resources, long seed) {
    return new DynamicExitPolicy(resources.exitThresholds());
  }

  @Override
  public List<Need> needs() {
    return List.of(Need.EXIT_HEADS, Need.EXIT_THRESHOLDS);
  }

  /** Its depth is chosen per input. */
  @Override
  public boolean reportsMaskVariation() {
    return true;
  }
}
