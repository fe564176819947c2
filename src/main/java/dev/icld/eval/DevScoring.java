package dev.icld.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.icld.data.ProgressBar;
import dev.icld.metrics.MetricTally;
import dev.icld.model.FrontEndOutput;
import dev.icld.model.Torch;
import dev.icld.selection.Budget;
import dev.icld.selection.InputConditionedPolicy;
import dev.icld.selection.LayerSelector;
import dev.icld.selection.SelectionInput;
import dev.icld.selection.StaticSubsetSearch;
import dev.icld.selection.StaticSubsets;
import dev.icld.train.Evaluation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What is decided on the dev set: the static subsets (greedy search with the task metric as the
 * score), the selector's dev score during its training, and the adaptive-mode thresholds. The
 * front end of every dev utterance is computed once and reused under every mask.
 */
public final class DevScoring {
  private DevScoring() {}

  /**
   * Greedy drop search from all layers (L(L+1)/2 dev passes): for every k, the fixed subset
   * of k layers with the best dev accuracy (or lowest WER) reachable by removing one layer at a
   * time, each pass on the dev set's {@link FrontEndBatches}.
   */
  public static StaticSubsets searchStaticSubsets(UtteranceRunner dev) throws IOException {
    int layers = dev.model().backbone().layerCount();
    boolean classification = dev.model().task().classification();
    try (NDManager manager = Torch.newManager();
        ProgressBar bar = new ProgressBar("static subsets", (long) layers * (layers + 1) / 2)) {
      FrontEndBatches batches = FrontEndBatches.of(dev, manager);
      return StaticSubsetSearch.greedyDrop(layers, mask -> {
        MetricTally tally = new MetricTally();
        for (int b = 0; b < batches.size(); b++) {
          dev.scoreBatch(batches.utterances().get(b), batches.frontEnds().get(b), mask, manager)
              .forEach(tally::add);
        }
        bar.step();
        return tally.score(classification);
      });
    }
  }

  /**
   * The selector's top-k dev metric averaged over {@code budgets}: the score that picks the best
   * selector checkpoint. Metrics: the mean and each budget's value (accuracy_k3, wer_k6...).
   */
  public static Evaluation selectorScore(UtteranceRunner dev, LayerSelector selector,
      List<Integer> budgets) {
    boolean classification = dev.model().task().classification();
    int layers = dev.model().backbone().layerCount();
    InputConditionedPolicy policy = new InputConditionedPolicy(selector);
    Map<Integer, MetricTally> tallies = new LinkedHashMap<>();
    budgets.forEach(k -> tallies.put(k, new MetricTally()));
    try (NDManager manager = Torch.newManager()) {
      // The selector picks each utterance's mask; utterances of the same length that got the
      // same mask then run together, in batches as the static subset search runs them.
      List<FrontEndOutput> frontEnds = new ArrayList<>();
      Map<Integer, Map<String, MaskGroup>> groups = new LinkedHashMap<>();
      budgets.forEach(k -> groups.put(k, new LinkedHashMap<>()));
      for (int u = 0; u < dev.corpus().size(); u++) {
        float[] samples = dev.corpus().samples(u);
        FrontEndOutput frontEnd = dev.frontEnd(samples, manager);
        frontEnds.add(frontEnd);
        try (NDManager scratch = manager.newSubManager()) {
          SelectionInput input =
              dev.core().selectionInput(policy, frontEnd, List.of(samples), scratch);
          for (int k : budgets) {
            boolean[] mask = policy.select(input, Budget.of(k, layers)).mask(0);
            String key = dev.corpus().get(u).samples() + " " + Arrays.toString(mask);
            groups.get(k).computeIfAbsent(key, x -> new MaskGroup(mask, new ArrayList<>()))
                .utterances().add(u);
          }
        }
      }
      for (int k : budgets) {
        for (MaskGroup group : groups.get(k).values()) {
          for (int start = 0; start < group.utterances().size(); start += FrontEndBatches.BATCH) {
            int[] batch = group.utterances().subList(start,
                Math.min(group.utterances().size(), start + FrontEndBatches.BATCH)).stream()
                .mapToInt(Integer::intValue).toArray();
            try (NDManager scratch = manager.newSubManager()) {
              dev.scoreBatch(batch, stack(frontEnds, batch, scratch), group.mask(), scratch)
                  .forEach(tallies.get(k)::add);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    double sum = 0;
    String name = classification ? "accuracy" : "wer";
    for (Map.Entry<Integer, MetricTally> t : tallies.entrySet()) {
      double value = classification ? t.getValue().accuracy() : t.getValue().wer();
      metrics.put(name + "_k" + t.getKey(), value);
      sum += value;
    }
    double mean = sum / budgets.size();
    metrics.put("mean_" + name, mean);
    return new Evaluation(classification ? "mean_accuracy" : "negative_mean_wer",
        classification ? mean : -mean, metrics);
  }

  /** Utterances that run under the same mask. */
  private record MaskGroup(boolean[] mask, List<Integer> utterances) {}

  /** The front ends of same-length utterances as one batch, in {@code manager}. */
  private static FrontEndOutput stack(List<FrontEndOutput> frontEnds, int[] utterances,
      NDManager manager) {
    if (utterances.length == 1) {
      return frontEnds.get(utterances[0]);
    }
    NDList features = new NDList();
    NDList projected = new NDList();
    int[] frameLengths = new int[utterances.length];
    for (int i = 0; i < utterances.length; i++) {
      FrontEndOutput f = frontEnds.get(utterances[i]);
      features.add(f.features());
      projected.add(f.projected());
      frameLengths[i] = f.frameLengths()[0];
    }
    NDArray stackedFeatures = NDArrays.concat(features, 0);
    NDArray stackedProjected = NDArrays.concat(projected, 0);
    stackedFeatures.attach(manager);
    stackedProjected.attach(manager);
    return new FrontEndOutput(stackedFeatures, stackedProjected, frameLengths);
  }

  /**
   * Calibrates and records in the selector the adaptive threshold of every budget in
   * {@code budgets} on the dev utterances.
   *
   * @return the thresholds by budget
   */
  public static Map<Integer, Double> calibrateAdaptive(UtteranceRunner dev, LayerSelector selector,
      List<Integer> budgets) throws IOException {
    Map<Integer, Double> thresholds = new LinkedHashMap<>();
    try (NDManager manager = Torch.newManager()) {
      InputConditionedPolicy policy = new InputConditionedPolicy(selector);
      List<SelectionInput> inputs = new ArrayList<>();
      for (int u = 0; u < dev.corpus().size(); u++) {
        float[] samples = dev.corpus().samples(u);
        inputs.add(dev.core().selectionInput(policy, dev.frontEnd(samples, manager),
            List.of(samples), manager));
      }
      for (int k : budgets) {
        thresholds.put(k, policy.calibrateAdaptive(inputs, k));
      }
    }
    return thresholds;
  }
}
