package dev.icld.selection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The input-conditioned policy: the layer-selecting network reads the input and the budget. A
 * fixed budget keeps the top-k logits of each utterance (ties to the lower layer); an adaptive
 * budget keeps the layers whose gate exceeds the threshold calibrated for k, so the count varies
 * per utterance while its average over the calibration inputs is k.
 *
 * <p>It computes with a copy of the selector's weights ({@link SelectorWeights}) made once, so a
 * policy made during training scores the weights of that moment; adaptive thresholds are read from
 * the selector at each call, so a calibration recorded later is seen.
 */
public final class InputConditionedPolicy implements LayerSelectionPolicy {
  private final LayerSelector selector;
  private final SelectorWeights weights;

  /** A policy on a copy of the selector's weights as they are now. */
  public InputConditionedPolicy(LayerSelector selector) {
    this(selector, selector.weights());
  }

  /**
   * A policy on weights copied before (a server copies them once, not at every call).
   *
   * @param weights {@code selector}'s, from {@link LayerSelector#weights()}
   */
  public InputConditionedPolicy(LayerSelector selector, SelectorWeights weights) {
    SelectorConfig a = weights.config();
    SelectorConfig b = selector.config();
    if (!a.sameArchitecture(b)) {
      throw new IllegalArgumentException("the weights are not of this selector's shape: "
          + a + " against " + b);
    }
    this.selector = selector;
    this.weights = weights;
  }

  /** L, the layers of the backbone this policy selects from. */
  public int layers() {
    return selector.layers();
  }

  @Override
  public String name() {
    return "selector";
  }

  @Override
  public Set<SelectionInput.Part> reads() {
    return Set.of(selector.config().input() == SelectorInputKind.LOG_MEL
        ? SelectionInput.Part.LOG_MEL : SelectionInput.Part.FEATURES);
  }

  @Override
  public Selection select(SelectionInput input, Budget budget) {
    if (budget.layers() != selector.layers()) {
      throw new IllegalArgumentException("budget " + budget + " is for a " + budget.layers()
          + "-layer model but the selector is for " + selector.layers() + " layers");
    }
    int[] budgets = new int[input.batchSize()];
    Arrays.fill(budgets, budget.keep());
    float[][] logits = weights.logits(input, budgets);
    if (!budget.adaptive()) {
      float[] flat = new float[logits.length * selector.layers()];
      for (int b = 0; b < logits.length; b++) {
        System.arraycopy(logits[b], 0, flat, b * selector.layers(), selector.layers());
      }
      return Selection.ofMasks(TopK.masks(flat, logits.length, selector.layers(), budgets));
    }
    Double threshold = selector.config().adaptiveThresholds().get(budget.keep());
    if (threshold == null) {
      throw new IllegalArgumentException("the selector has no adaptive threshold for budget "
          + budget.keep() + "; calibrate one on a set of inputs first (calibrated: "
          + selector.config().adaptiveThresholds().keySet() + ")");
    }
    return Selection.ofMasks(AdaptiveThreshold.gates(logits, threshold));
  }

  /**
   * Calibrates and records in the selector the adaptive threshold for budget {@code keep}, on the
   * given inputs (a dev set), so that the average kept fraction is keep / L.
   *
   * @return the threshold
   */
  public double calibrateAdaptive(Iterable<SelectionInput> inputs, int keep) {
    Budget budget = Budget.adaptive(keep, selector.layers());
    List<float[]> probabilities = new ArrayList<>();
    for (SelectionInput input : inputs) {
      int[] budgets = new int[input.batchSize()];
      Arrays.fill(budgets, budget.keep());
      for (float[] row : weights.logits(input, budgets)) {
        float[] p = new float[row.length];
        for (int i = 0; i < row.length; i++) {
          p[i] = (float) AdaptiveThreshold.sigmoid(row[i]);
        }
        probabilities.add(p);
      }
    }
    double threshold = AdaptiveThreshold.calibrate(
        probabilities.toArray(new float[0][]), budget.keptFraction());
    selector.recordAdaptiveThreshold(keep, threshold);
    return threshold;
  }
}
