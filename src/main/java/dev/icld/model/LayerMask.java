package dev.icld.model;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;

/**
 * Which transformer layers execute (METHOD design point 1: h_i = h_{i-1} + m_i (f_i(h_{i-1}) -
 * h_{i-1})). Inference form: one boolean per layer for the whole batch; a skipped layer is never
 * computed. Training form: a float gate per utterance and layer, [B, L], applied as
 * h + m (f(h) - h) so that gradients reach m; a layer whose gate is 0 for every utterance of the
 * batch is still skipped entirely.
 */
public final class LayerMask {
  private final boolean[] executed;
  private final NDArray gates;

  private LayerMask(boolean[] executed, NDArray gates) {
    this.executed = executed;
    this.gates = gates;
  }

  /** Every layer runs. */
  public static LayerMask all(int layers) {
    boolean[] run = new boolean[layers];
    Arrays.fill(run, true);
    return new LayerMask(run, null);
  }

  /** The layers with {@code keep[i]} run for the whole batch; the others are skipped. */
  public static LayerMask keep(boolean... keep) {
    return new LayerMask(keep.clone(), null);
  }

  /** Only the listed layer indices (0-based) run. */
  public static LayerMask ofLayers(int layers, int... indices) {
    boolean[] run = new boolean[layers];
    for (int i : indices) {
      if (i < 0 || i >= layers) {
        throw new IllegalArgumentException("layer " + i + " out of range 0.." + (layers - 1));
      }
      run[i] = true;
    }
    return new LayerMask(run, null);
  }

  /**
   * Per-utterance gates [B, L] (any float values, typically 0/1 from a straight-through
   * estimator). Reads the gates once to find layers no utterance uses.
   */
  public static LayerMask gated(NDArray gates) {
    if (gates.getShape().dimension() != 2) {
      throw new IllegalArgumentException("gates must be [batch, layers], got " + gates.getShape());
    }
    int batch = (int) gates.getShape().get(0);
    int layers = (int) gates.getShape().get(1);
    float[] values = gates.toFloatArray();
    boolean[] run = new boolean[layers];
    for (int b = 0; b < batch; b++) {
      for (int i = 0; i < layers; i++) {
        run[i] |= values[b * layers + i] != 0f;
      }
    }
    return new LayerMask(run, gates);
  }

  public int layers() {
    return executed.length;
  }

  public boolean executes(int layer) {
    return executed[layer];
  }

  public int executedCount() {
    int n = 0;
    for (boolean run : executed) {
      n += run ? 1 : 0;
    }
    return n;
  }

  /** The gates [B, L] of the training form, or null for the inference form. */
  public NDArray gates() {
    return gates;
  }

  public boolean[] executed() {
    return executed.clone();
  }
}
