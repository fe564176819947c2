package dev.icld.methods;

import dev.icld.selection.LayerSelectionPolicy;
import dev.icld.selection.RandomLayersPolicy;
import java.awt.Color;

/**
 * k layers drawn at random for each utterance, over several seeded draws: the baseline that
 * knows nothing of the input.
 */
final class RandomMethod extends Method {
  RandomMethod() {
    super("random", new Color(150, 150, 150));
  }

  @Override
  public LayerSelectionPolicy policy(MethodResources resources, long seed) {
    return new RandomLayersPolicy(seed);
  }

  @Override
  public int draws(int randomDraws) {
    return randomDraws;
  }

  /** The reference for layers that vary without reading the input. */
  @Override
  public boolean reportsMaskVariation() {
    return true;
  }
}
