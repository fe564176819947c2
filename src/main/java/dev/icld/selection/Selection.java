package dev.icld.selection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.icld.model.LayerMask;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a policy chose for each utterance of a batch: which layers run, and after which layer the
 * output is read. The exit is L (the last hidden state, the usual task head) for every policy but
 * early exit, whose model has a head after every layer and reads the one after layer k.
 */
public final class Selection {
  private final boolean[][] masks;
  private final int[] exits;

  /**
   * @param masks [B][L]: masks[b][i] is true when layer i (0-based) runs for utterance b
   * @param exits per utterance, the number of layers after which the output is read, in 1..L
   */
  public Selection(boolean[][] masks, int[] exits) {
    if (masks.length != exits.length) {
      throw new IllegalArgumentException(
          masks.length + " masks but " + exits.length + " exits: need one of each per utterance");
    }
    int layers = masks.length == 0 ? 0 : masks[0].length;
    this.masks = new boolean[masks.length][];
    for (int b = 0; b < masks.length; b++) {
      if (masks[b].length != layers) {
        throw new IllegalArgumentException("utterance " + b + " has a mask over " + masks[b].length
            + " layers, utterance 0 over " + layers);
      }
      if (exits[b] < 1 || exits[b] > layers) {
        throw new IllegalArgumentException(
            "utterance " + b + " exits after layer " + exits[b] + ", outside 1.." + layers);
      }
      this.masks[b] = masks[b].clone();
    }
    this.exits = exits.clone();
  }

  /** The same mask for every utterance, read after the last layer. */
  public static Selection uniform(int batchSize, boolean[] mask) {
    boolean[][] masks = new boolean[batchSize][];
    int[] exits = new int[batchSize];
    for (int b = 0; b < batchSize; b++) {
      masks[b] = mask;
      exits[b] = mask.length;
    }
    return new Selection(masks, exits);
  }

  /** Per-utterance masks, each read after the last layer. */
  public static Selection ofMasks(boolean[][] masks) {
    int[] exits = new int[masks.length];
    Arrays.fill(exits, masks.length == 0 ? 1 : masks[0].length);
    return new Selection(masks, exits);
  }

  public int batchSize() {
    return masks.length;
  }

  public int layers() {
    return masks.length == 0 ? 0 : masks[0].length;
  }

  public boolean[] mask(int utterance) {
    return masks[utterance].clone();
  }

  public int exit(int utterance) {
    return exits[utterance];
  }

  /** Layers that run for {@code utterance}. */
  public int keptLayers(int utterance) {
    int n = 0;
    for (boolean run : masks[utterance]) {
      n += run ? 1 : 0;
    }
    return n;
  }

  /** The mean number of executed layers over the batch. */
  public double meanKeptLayers() {
    double sum = 0;
    for (int b = 0; b < masks.length; b++) {
      sum += keptLayers(b);
    }
    return masks.length == 0 ? 0 : sum / masks.length;
  }

  /**
   * Utterances that share a mask and an exit, in order of first appearance: each group can run
   * as one batch under {@link SelectionGroup#layerMask()}, so that skipped layers cost nothing.
   */
  public List<SelectionGroup> groups() {
    Map<String, List<Integer>> members = new LinkedHashMap<>();
    for (int b = 0; b < masks.length; b++) {
      members.computeIfAbsent(Arrays.toString(masks[b]) + exits[b], key -> new ArrayList<>()).add(b);
    }
    List<SelectionGroup> groups = new ArrayList<>();
    for (List<Integer> utterances : members.values()) {
      int first = utterances.get(0);
      groups.add(new SelectionGroup(masks[first], exits[first],
          utterances.stream().mapToInt(Integer::intValue).toArray()));
    }
    return groups;
  }

  /**
   * The inference-form mask for the whole batch; only when every utterance has the same mask
   * (otherwise split the batch with {@link #groups()}).
   */
  public LayerMask layerMask() {
    List<SelectionGroup> groups = groups();
    if (groups.size() != 1) {
      throw new IllegalStateException("the batch has " + groups.size()
          + " different layer masks; run each of groups() separately or use gates()");
    }
    return groups.get(0).layerMask();
  }

  /** The masks as 0/1 gates [B, L] for {@link LayerMask#gated}, in {@code manager}. */
  public NDArray gates(NDManager manager) {
    int layers = layers();
    float[] values = new float[masks.length * layers];
    for (int b = 0; b < masks.length; b++) {
      for (int i = 0; i < layers; i++) {
        values[b * layers + i] = masks[b][i] ? 1f : 0f;
      }
    }
    return manager.create(values, new Shape(masks.length, layers));
  }

  /** The training-form mask: a per-utterance gate for every layer. */
  public LayerMask gatedLayerMask(NDManager manager) {
    return LayerMask.gated(gates(manager));
  }
}
