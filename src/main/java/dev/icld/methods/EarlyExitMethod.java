package dev.icld.methods;

import dev.icld.selection.EarlyExitPolicy;
import dev.icld.selection.LayerSelectionPolicy;
import java.awt.Color;
import java.util.List;

/** The first k layers, read by the exit head after layer k. */
final class EarlyExitMethod extends Method {
  EarlyExitMethod() {
    super("early-exit", new Color(230, 120, 20));
  }

  @Override
  public LayerSelectionPolicy policy(MethodResources resources, long seed) {
    return new EarlyExitPolicy();
  }

  @Override
  public List<Need> needs() {
    return List.of(Need.EXIT_HEADS);
  }

  @Override
  public boolean served() {
    return true;
  }
}
