package dev.icld.selection;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Greedy search for the static-subset baseline (METHOD design point 6). The scorer evaluates a
 * layer mask on a dev set, higher is better (accuracy, or minus the WER). Dropping starts from all
 * L layers and repeatedly removes the layer whose removal hurts least; growing starts from none and
 * repeatedly adds the layer that helps most. Either records a subset for every k, in
 * L(L+1)/2 - 1 or L(L+1)/2 scorer calls. Ties go to the lowest layer index, so the search is
 * deterministic for a deterministic scorer.
 */
public final class StaticSubsetSearch {
  private StaticSubsetSearch() {}

  /** From all layers down to one. */
  public static StaticSubsets greedyDrop(int layers, ToDoubleFunction<boolean[]> devScore) {
    checkLayers(layers);
    boolean[] current = new boolean[layers];
    Arrays.fill(current, true);
    Map<Integer, StaticSubsets.Entry> byBudget = new LinkedHashMap<>();
    byBudget.put(layers, new StaticSubsets.Entry(current, devScore.applyAsDouble(current.clone())));
    for (int keep = layers - 1; keep >= 1; keep--) {
      StaticSubsets.Entry best = bestStep(current, false, devScore);
      current = best.mask();
      byBudget.put(keep, best);
    }
    return new StaticSubsets(layers, "greedy-drop", byBudget);
  }

  /** From no layer up to all. */
  public static StaticSubsets greedyGrow(int layers, ToDoubleFunction<boolean[]> devScore) {
    checkLayers(layers);
    boolean[] current = new boolean[layers];
    Map<Integer, StaticSubsets.Entry> byBudget = new LinkedHashMap<>();
    for (int keep = 1; keep <= layers; keep++) {
      StaticSubsets.Entry best = bestStep(current, true, devScore);
      current = best.mask();
      byBudget.put(keep, best);
    }
    return new StaticSubsets(layers, "greedy-grow", byBudget);
  }

  /** The best mask that differs from {@code current} in one layer, added or removed. */
  private static StaticSubsets.Entry bestStep(
      boolean[] current, boolean add, ToDoubleFunction<boolean[]> devScore) {
    StaticSubsets.Entry best = null;
    for (int i = 0; i < current.length; i++) {
      if (current[i] == add) {
        continue;
      }
      boolean[] candidate = current.clone();
      candidate[i] = add;
      double score = devScore.applyAsDouble(candidate.clone());
      if (Double.isNaN(score)) {
        throw new IllegalArgumentException("the dev scorer returned NaN for a mask");
      }
      if (best == null || score > best.score()) {
        best = new StaticSubsets.Entry(candidate, score);
      }
    }
    return best;
  }

  private static void checkLayers(int layers) {
    if (layers < 1) {
      throw new IllegalArgumentException("a subset search needs at least one layer, got " + layers);
    }
  }
}
