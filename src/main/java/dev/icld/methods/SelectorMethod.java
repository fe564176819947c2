package dev.icld.methods;

import dev.icld.model.ModelConfig;
import dev.icld.selection.InputConditionedPolicy;
import dev.icld.selection.LayerSelectionPolicy;
import dev.icld.selection.SelectorFlops;
import java.awt.Color;
import java.util.List;

/**
 * The input-conditioned selector: a small network reads each input and keeps its k most useful
 * layers. The method under test, held against every baseline.
 */
class SelectorMethod extends Method {
  SelectorMethod() {
    this("selector", new Color(30, 90, 200));
  }

  /** For the selector's other modes. */
  SelectorMethod(String name, Color colour) {
    super(name, colour);
  }

  @Override
  public LayerSelectionPolicy policy(MethodResources resources, long seed) {
    return new InputConditionedPolicy(resources.selector(), resources.selectorWeights());
  }

  @Override
  public List<Need> needs() {
    return List.of(Need.SELECTOR);
  }

  @Override
  public boolean served() {
    return true;
  }

  @Override
  public long extraFlops(MethodResources resources, ModelConfig config, double seconds) {
    return SelectorFlops.of(resources.selector().config(), config, seconds).total();
  }

  /** From the baseline that knows least to the one with a model of its own. */
  @Override
  public List<Method> pairedAgainst() {
    return List.of(Methods.RANDOM, Methods.STATIC, Methods.EARLY_EXIT);
  }

  /** Its layers are chosen per input: how much they vary is what the report asks. */
  @Override
  public boolean reportsMaskVariation() {
    return true;
  }
}
