package dev.icld.selection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import dev.icld.model.Scalar;
import java.util.Random;

/**
 * Straight-through Gumbel-sigmoid gates, for training the selector's adaptive mode, where each
 * layer is kept or dropped on its own rather than k at a time. Forward: gate = 1 when
 * logit + logistic noise > 0 (a Bernoulli(sigmoid(logit)) draw). Backward: the gradient of the
 * relaxation sigmoid((logit + noise) / tau). Train together with {@link KeptFractionRegulariser}
 * so that the average kept fraction stays at the target.
 */
public final class GumbelSigmoidGates {
  private final Random random;

  public GumbelSigmoidGates(long seed) {
    this.random = new Random(seed);
  }

  /**
   * @param logits [B, L]
   * @param temperature tau > 0
   * @return straight-through gates [B, L]
   */
  public NDArray sample(NDArray logits, double temperature) {
    float[] noise = new float[Math.toIntExact(logits.getShape().size())];
    for (int i = 0; i < noise.length; i++) {
      double u = random.nextDouble();
      while (u == 0) {
        u = random.nextDouble();
      }
      noise[i] = (float) (Math.log(u) - Math.log1p(-u));
    }
    return straightThrough(logits, noise, temperature);
  }

  /** The estimator with given logistic noise (zero noise: gates where the logit is positive). */
  static NDArray straightThrough(NDArray logits, float[] noise, double temperature) {
    if (logits.getShape().dimension() != 2) {
      throw new IllegalArgumentException("logits must be [batch, layers], got " + logits.getShape());
    }
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("temperature must be positive, got " + temperature);
    }
    NDManager manager = logits.getManager();
    NDArray perturbed = logits.add(manager.create(noise, logits.getShape()));
    NDArray soft = Activation.sigmoid(perturbed.div(Scalar.of(perturbed, temperature)));
    float[] values = perturbed.toFloatArray();
    float[] hard = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      hard[i] = values[i] > 0 ? 1f : 0f;
    }
    return manager.create(hard, logits.getShape()).add(soft.sub(soft.stopGradient()));
  }
}
