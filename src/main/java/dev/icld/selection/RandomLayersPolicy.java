package dev.icld.selection;

import java.util.Random;

/**
 * Random layer dropping: k layers drawn uniformly without replacement, a fresh draw per
 * utterance, from a generator seeded once. The same seed and the same sequence of batches give
 * the same draws.
 */
public final class RandomLayersPolicy implements LayerSelectionPolicy {
  private final long seed;
  private final Random random;

  public RandomLayersPolicy(long seed) {
    this.seed = seed;
    this.random = new Random(seed);
  }

  public long seed() {
    return seed;
  }

  @Override
  public String name() {
    return "random";
  }

  @Override
  public Selection select(SelectionInput input, Budget budget) {
    boolean[][] masks = new boolean[input.batchSize()][];
    for (int b = 0; b < masks.length; b++) {
      masks[b] = draw(budget.keep(), budget.layers());
    }
    return Selection.ofMasks(masks);
  }

  @Override
  public void skip(int utterances, Budget budget) {
    for (int u = 0; u < utterances; u++) {
      draw(budget.keep(), budget.layers());
    }
  }

  /** A partial Fisher-Yates shuffle: the first k of a random permutation of the layers. */
  private boolean[] draw(int keep, int layers) {
    int[] order = new int[layers];
    for (int i = 0; i < layers; i++) {
      order[i] = i;
    }
    boolean[] mask = new boolean[layers];
    for (int i = 0; i < keep; i++) {
      int j = i + random.nextInt(layers - i);
      int chosen = order[j];
      order[j] = order[i];
      order[i] = chosen;
      mask[chosen] = true;
    }
    return mask;
  }
}
