package dev.icld.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.icld.model.Scalar;
import dev.icld.model.Torch;
import dev.icld.model.io.TensorData;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * HuBERT's masked-prediction head and loss: the encoder output is projected to a small space
 * ({@code final_proj}), each cluster has a learned embedding ({@code label_embs_concat}), and the
 * logits are cosine similarities divided by a temperature of 0.1. The loss is the cross-entropy
 * of the frames' cluster labels, averaged over the frames chosen (the masked ones, as HuBERT
 * Base weighs unmasked frames 0). Parameter names follow fairseq's HuBERT.
 */
public final class MaskedPredictionHead implements AutoCloseable {
  public static final String PROJECTION_WEIGHT = "final_proj.weight";
  public static final String PROJECTION_BIAS = "final_proj.bias";
  public static final String LABEL_EMBEDDINGS = "label_embs_concat";
  /** HuBERT's logit temperature. */
  static final double TEMPERATURE = 0.1;
  /** fairseq's final_dim for HuBERT Base. */
  public static final int DEFAULT_DIMENSION = 256;

  /** The loss over the chosen frames, and how many of them the argmax predicted right. */
  public record Prediction(NDArray loss, int frames, int correct) {
    public double accuracy() {
      return frames == 0 ? 0 : correct / (double) frames;
    }
  }

  private final Map<String, NDArray> parameters;
  private final NDManager manager;
  private final int clusters;

  private MaskedPredictionHead(Map<String, NDArray> parameters, NDManager manager, int clusters) {
    this.parameters = parameters;
    this.manager = manager;
    this.clusters = clusters;
  }

  /**
   * A new head, initialised as fairseq does: the projection uniform in +-1/sqrt(hidden) (torch's
   * Linear default), the cluster embeddings uniform in [0, 1).
   */
  public static MaskedPredictionHead initialise(int hidden, int dimension, int clusters,
      Random random) {
    double bound = 1 / Math.sqrt(hidden);
    Map<String, TensorData> tensors = new LinkedHashMap<>();
    tensors.put(PROJECTION_WEIGHT, uniform(random, -bound, bound, dimension, hidden));
    tensors.put(PROJECTION_BIAS, uniform(random, -bound, bound, dimension));
    tensors.put(LABEL_EMBEDDINGS, uniform(random, 0, 1, clusters, dimension));
    return fromTensors(tensors);
  }

  /** A head from saved tensors (see {@link #tensors()}); close it to free them. */
  public static MaskedPredictionHead fromTensors(Map<String, TensorData> tensors) {
    for (String name : new String[] {PROJECTION_WEIGHT, PROJECTION_BIAS, LABEL_EMBEDDINGS}) {
      if (!tensors.containsKey(name)) {
        throw new IllegalArgumentException("the masked-prediction head needs a tensor " + name);
      }
    }
    NDManager manager = Torch.newManager();
    Map<String, NDArray> parameters = new LinkedHashMap<>();
    for (String name : new String[] {PROJECTION_WEIGHT, PROJECTION_BIAS, LABEL_EMBEDDINGS}) {
      TensorData t = tensors.get(name);
      NDArray array = manager.create(t.values(), new Shape(t.shape()));
      array.setName(name);
      parameters.put(name, array);
    }
    long[] weight = parameters.get(PROJECTION_WEIGHT).getShape().getShape();
    long[] embeddings = parameters.get(LABEL_EMBEDDINGS).getShape().getShape();
    if (weight.length != 2 || embeddings.length != 2 || weight[0] != embeddings[1]
        || parameters.get(PROJECTION_BIAS).getShape().get(0) != weight[0]) {
      manager.close();
      throw new IllegalArgumentException("masked-prediction head tensors do not fit together: "
          + PROJECTION_WEIGHT + " " + parameters.get(PROJECTION_WEIGHT).getShape() + ", "
          + LABEL_EMBEDDINGS + " " + parameters.get(LABEL_EMBEDDINGS).getShape());
    }
    return new MaskedPredictionHead(parameters, manager, (int) embeddings[0]);
  }

  private static TensorData uniform(Random random, double low, double high, long... shape) {
    int n = 1;
    for (long s : shape) {
      n *= (int) s;
    }
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) (low + (high - low) * random.nextDouble());
    }
    return TensorData.f32(shape, values);
  }

  /** The trainable parameters by name. */
  public Map<String, NDArray> parameters() {
    return parameters;
  }

  public int clusters() {
    return clusters;
  }

  /** The parameters as F32 tensors, for saving. */
  public Map<String, TensorData> tensors() {
    Map<String, TensorData> out = new LinkedHashMap<>();
    parameters.forEach((name, array) ->
        out.put(name, TensorData.f32(array.getShape().getShape(), array.toFloatArray())));
    return out;
  }

  /**
   * @param encoderOutput [B, T, D]
   * @param chosen [B][T], true on the frames the loss covers
   * @param targets [B][T] cluster label per frame (read only where {@code chosen})
   * @return the mean cross-entropy over the chosen frames (zero when none is chosen), in the
   *     manager of {@code encoderOutput}
   */
  public Prediction predict(NDArray encoderOutput, boolean[][] chosen, int[][] targets) {
    Shape shape = encoderOutput.getShape();
    int batch = (int) shape.get(0);
    int frames = (int) shape.get(1);
    NDManager m = encoderOutput.getManager();
    float[] weights = new float[batch * frames];
    float[] oneHot = new float[batch * frames * clusters];
    int[] labels = new int[batch * frames];
    int count = 0;
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < frames; t++) {
        if (chosen[b][t]) {
          int label = targets[b][t];
          if (label < 0 || label >= clusters) {
            throw new IllegalArgumentException(
                "target " + label + " outside the " + clusters + " clusters");
          }
          int row = b * frames + t;
          weights[row] = 1;
          oneHot[row * clusters + label] = 1;
          labels[row] = label;
          count++;
        }
      }
    }
    NDArray projected = ai.djl.nn.core.Linear.linear(
            encoderOutput.reshape(batch * frames, shape.get(2)),
            parameters.get(PROJECTION_WEIGHT), parameters.get(PROJECTION_BIAS))
        .singletonOrThrow();
    NDArray embeddings = parameters.get(LABEL_EMBEDDINGS);
    NDArray logits = unit(projected).matMul(unit(embeddings).transpose())
        .div(Scalar.of(projected, TEMPERATURE));
    NDArray crossEntropy = logits.logSoftmax(1)
        .mul(m.create(oneHot, new Shape(batch * frames, clusters))).sum(new int[] {1}).neg();
    NDArray loss = crossEntropy.mul(m.create(weights)).sum()
        .div(Scalar.of(crossEntropy, Math.max(1, count)));
    long[] predicted = logits.argMax(1).toLongArray();
    int correct = 0;
    for (int row = 0; row < predicted.length; row++) {
      if (weights[row] == 1 && predicted[row] == labels[row]) {
        correct++;
      }
    }
    return new Prediction(loss, count, correct);
  }

  /** Rows scaled to unit length (cosine similarity as a matrix product). */
  private static NDArray unit(NDArray rows) {
    return rows.div(rows.norm(new int[] {1}, true).maximum(Scalar.of(rows, 1e-8)));
  }

  @Override
  public void close() {
    manager.close();
  }
}
