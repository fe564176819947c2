package dev.icld.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.icld.model.io.TensorData;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), step for step the same as {@code
 * torch.optim.AdamW}. Unlike DJL's Adam, a parameter that is not part of a step (its layer was
 * skipped by every utterance of the batch) keeps its value, its moments and its own step count,
 * as in torch when its gradient is None: stale moments must not move a layer that did not run.
 * Weight decay applies only to tensors of two or more dimensions, never to biases and norm
 * scales.
 */
public final class AdamW {
  /** Hyper-parameters other than the learning rate, which the schedule gives per step. */
  public record Options(double beta1, double beta2, double epsilon, double weightDecay) {
    /** The usual fine-tuning values for wav2vec2-style models. */
    public static Options defaults() {
      return new Options(0.9, 0.98, 1e-6, 0.01);
    }
  }

  private static final class Moments {
    NDArray first;
    NDArray second;
    long steps;
  }

  private final Options options;
  private final Map<String, Moments> moments = new HashMap<>();

  public AdamW(Options options) {
    this.options = options;
  }

  /**
   * Updates in place every parameter that has an entry in {@code gradients}; all others are left
   * alone.
   *
   * @param parameters every trainable parameter by name
   * @param gradients gradients of the parameters that took part in this step, by name
   */
  public void step(Map<String, NDArray> parameters, Map<String, NDArray> gradients,
      double learningRate) {
    step(parameters, gradients, name -> learningRate);
  }

  /**
   * The same with a learning rate per parameter name, as torch's parameter groups (weight decay
   * scales with each parameter's own rate).
   */
  public void step(Map<String, NDArray> parameters, Map<String, NDArray> gradients,
      ToDoubleFunction<String> learningRate) {
    for (Map.Entry<String, NDArray> g : gradients.entrySet()) {
      NDArray parameter = parameters.get(g.getKey());
      if (parameter == null) {
        throw new IllegalArgumentException("gradient for unknown parameter " + g.getKey());
      }
      update(g.getKey(), parameter, g.getValue(), learningRate.applyAsDouble(g.getKey()));
    }
  }

  private void update(String name, NDArray parameter, NDArray gradient, double learningRate) {
    Moments m = moments.computeIfAbsent(name, k -> newMoments(parameter));
    m.steps++;
    double b1 = options.beta1();
    double b2 = options.beta2();
    if (options.weightDecay() > 0 && parameter.getShape().dimension() >= 2) {
      parameter.muli(1 - learningRate * options.weightDecay());
    }
    // Every temporary is closed here: they belong to the parameter's long-lived manager.
    try (NDArray scaled = gradient.mul(1 - b1)) {
      m.first.muli(b1).addi(scaled);
    }
    try (NDArray squared = gradient.square()) {
      m.second.muli(b2).addi(squared.muli(1 - b2));
    }
    double correction1 = 1 - Math.pow(b1, m.steps);
    double correction2 = 1 - Math.pow(b2, m.steps);
    try (NDArray denominator = m.second.div(correction2).powi(0.5).addi(options.epsilon());
        NDArray change = m.first.mul(learningRate / correction1).divi(denominator)) {
      parameter.subi(change);
    }
  }

  private static Moments newMoments(NDArray parameter) {
    Moments m = new Moments();
    NDManager manager = parameter.getManager();
    m.first = manager.zeros(parameter.getShape(), parameter.getDataType());
    m.second = manager.zeros(parameter.getShape(), parameter.getDataType());
    return m;
  }

  /** Steps taken by one parameter (0 if it never took part). */
  public long steps(String name) {
    Moments m = moments.get(name);
    return m == null ? 0 : m.steps;
  }

  /** The optimizer state, to save in a training checkpoint: moments and step count per name. */
  public Map<String, TensorData> state() {
    Map<String, TensorData> out = new LinkedHashMap<>();
    moments.keySet().stream().sorted().forEach(name -> {
      Moments m = moments.get(name);
      long[] shape = m.first.getShape().getShape();
      out.put(name + ".exp_avg", TensorData.f32(shape, m.first.toFloatArray()));
      out.put(name + ".exp_avg_sq", TensorData.f32(shape, m.second.toFloatArray()));
      // Step counts stay exact in float32 up to 2^24 steps.
      out.put(name + ".step", TensorData.f32(new long[] {1}, new float[] {m.steps}));
    });
    return out;
  }

  /** Restores {@link #state()} for the given parameters, replacing any current state. */
  public void restore(Map<String, TensorData> state, Map<String, NDArray> parameters) {
    moments.clear();
    for (Map.Entry<String, NDArray> p : parameters.entrySet()) {
      TensorData steps = state.get(p.getKey() + ".step");
      if (steps == null) {
        continue;
      }
      TensorData first = state.get(p.getKey() + ".exp_avg");
      TensorData second = state.get(p.getKey() + ".exp_avg_sq");
      if (first == null || second == null) {
        throw new IllegalArgumentException("optimizer state of " + p.getKey() + " is incomplete");
      }
      NDManager manager = p.getValue().getManager();
      Moments m = new Moments();
      m.first = manager.create(first.values(), p.getValue().getShape());
      m.second = manager.create(second.values(), p.getValue().getShape());
      m.steps = (long) steps.values()[0];
      moments.put(p.getKey(), m);
    }
  }
}
