package dev.icld.selection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.icld.model.Scalar;
import java.util.Random;

/**
 * Straight-through Gumbel top-k (METHOD design point 5), for training the selector at a fixed
 * budget. Forward: the hard mask of the k largest perturbed logits z = logits + g, g ~ Gumbel(0,1).
 * Backward: the gradient of the relaxation s = k softmax(z / tau), a softmax over the layers at
 * temperature tau scaled to sum to k (the hard mask's sum), through hard + s - stopGradient(s):
 * its value is the hard mask, its gradient that of s. With upstream gradient u, the gradient
 * reaching logit j is (k / tau) s'_j (u_j - sum_i u_i s'_i) with s' = softmax(z / tau).
 *
 * <p>Noise comes from a seeded java.util.Random (never from the engine's generator), so a resumed
 * run draws the same noise.
 */
public final class GumbelTopK {
  private final Random random;

  public GumbelTopK(long seed) {
    this.random = new Random(seed);
  }

  /**
   * @param logits [B, L], typically requiring gradients
   * @param keep per utterance, the budget k (1..L)
   * @param temperature tau > 0
   * @return the straight-through mask [B, L]: 0/1 values, relaxation gradients
   */
  public NDArray sample(NDArray logits, int[] keep, double temperature) {
    long[] shape = logits.getShape().getShape();
    float[] noise = new float[Math.toIntExact(shape[0] * shape[1])];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (float) gumbel(random);
    }
    return straightThrough(logits, noise, keep, temperature);
  }

  /** A standard Gumbel draw, -log(-log u) with u uniform in (0, 1). */
  static double gumbel(Random random) {
    double u = random.nextDouble();
    while (u == 0) {
      u = random.nextDouble();
    }
    return -Math.log(-Math.log(u));
  }

  /** The estimator with given noise [B * L], row-major (zero noise gives the plain top-k). */
  static NDArray straightThrough(NDArray logits, float[] noise, int[] keep, double temperature) {
    long[] shape = logits.getShape().getShape();
    if (shape.length != 2 || shape[0] != keep.length) {
      throw new IllegalArgumentException("logits must be [batch, layers] with one budget per "
          + "utterance, got " + logits.getShape() + " and " + keep.length + " budgets");
    }
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("temperature must be positive, got " + temperature);
    }
    int batch = (int) shape[0];
    int layers = (int) shape[1];
    NDManager manager = logits.getManager();
    NDArray perturbed = logits.add(manager.create(noise, new Shape(batch, layers)));
    float[] keepValues = new float[batch];
    for (int b = 0; b < batch; b++) {
      keepValues[b] = keep[b];
    }
    NDArray soft = perturbed.div(Scalar.of(perturbed, temperature)).softmax(1)
        .mul(manager.create(keepValues, new Shape(batch, 1)));
    boolean[][] top = TopK.masks(perturbed.toFloatArray(), batch, layers, keep);
    float[] hard = new float[batch * layers];
    for (int b = 0; b < batch; b++) {
      for (int i = 0; i < layers; i++) {
        hard[b * layers + i] = top[b][i] ? 1f : 0f;
      }
    }
    // soft - stopGradient(soft) is exactly zero, so the forward values are exactly 0 and 1.
    return manager.create(hard, new Shape(batch, layers)).add(soft.sub(soft.stopGradient()));
  }
}
