package dev.icld.selection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv1d;
import dev.icld.files.AtomicFiles;
import dev.icld.model.Torch;
import dev.icld.model.io.SafeTensors;
import dev.icld.model.io.TensorData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The layer-selecting network (METHOD design point 3): Conv1d(C_in, H, k=3, padding 1) + GELU over
 * the input frames, pooled over each utterance's valid frames (the mean, or the mean and the
 * maximum: {@link SelectorPooling}), concatenated with a learned embedding of the budget k, and a
 * linear map to one logit per backbone layer. Padded frames are
 * zeroed before the conv, so an utterance gets the same logits alone or in a padded batch.
 *
 * <p>Parameters are plain NDArrays (named conv.weight [H, C_in, 3], conv.bias [H],
 * budget_embedding.weight [L, E], output.weight [L, P + E] where P is the pooled width,
 * output.bias [L]) so that training can
 * attach gradients. Stored beside the model as {@value #WEIGHTS} and {@value #CONFIG}.
 */
public final class LayerSelector implements AutoCloseable {
  public static final String WEIGHTS = "selector.safetensors";
  public static final String CONFIG = "selector.json";

  /** Hugging Face's initializer_range for linear and embedding weights. */
  private static final double INIT_STD = 0.02;

  private SelectorConfig config;
  private final NDManager manager;
  private final Map<String, NDArray> parameters;

  private LayerSelector(SelectorConfig config, NDManager manager, Map<String, NDArray> parameters) {
    this.config = config;
    this.manager = manager;
    this.parameters = parameters;
  }

  /** Expected parameter shapes, in a stable order. */
  private static Map<String, long[]> shapes(SelectorConfig c) {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    shapes.put("conv.weight", new long[] {c.hiddenChannels(), c.inputChannels(), SelectorConfig.KERNEL});
    shapes.put("conv.bias", new long[] {c.hiddenChannels()});
    shapes.put("budget_embedding.weight", new long[] {c.layers(), c.budgetEmbedding()});
    shapes.put("output.weight", new long[] {c.layers(), c.pooledWidth() + c.budgetEmbedding()});
    shapes.put("output.bias", new long[] {c.layers()});
    return shapes;
  }

  /**
   * A new selector with Hugging Face's initialisation from a seeded generator: conv weight Kaiming
   * normal (std sqrt(2 / fan_in)) and bias uniform in +-1/sqrt(fan_in), as wav2vec 2.0 initialises
   * convolutions; linear and embedding weights normal(0, 0.02); linear bias zero.
   */
  public static LayerSelector initialise(SelectorConfig config, long seed) {
    Random random = new Random(seed);
    int fanIn = config.inputChannels() * SelectorConfig.KERNEL;
    Map<String, TensorData> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> p : shapes(config).entrySet()) {
      float[] values = new float[Math.toIntExact(Arrays.stream(p.getValue()).reduce(1, (a, b) -> a * b))];
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) switch (p.getKey()) {
          case "conv.weight" -> Math.sqrt(2.0 / fanIn) * random.nextGaussian();
          case "conv.bias" -> (2 * random.nextDouble() - 1) / Math.sqrt(fanIn);
          case "output.bias" -> 0.0;
          default -> INIT_STD * random.nextGaussian();
        };
      }
      tensors.put(p.getKey(), TensorData.f32(p.getValue(), values));
    }
    return fromTensors(config, tensors);
  }

  private static LayerSelector fromTensors(SelectorConfig config, Map<String, TensorData> tensors) {
    NDManager manager = Torch.newManager();
    Map<String, NDArray> parameters = new LinkedHashMap<>();
    for (String name : shapes(config).keySet()) {
      TensorData t = tensors.get(name);
      parameters.put(name, manager.create(t.values(), new Shape(t.shape())));
    }
    return new LayerSelector(config, manager, parameters);
  }

  /** Whether {@code modelDir} holds a selector. */
  public static boolean existsIn(Path modelDir) {
    return Files.isRegularFile(modelDir.resolve(CONFIG)) && Files.isRegularFile(modelDir.resolve(WEIGHTS));
  }

  /**
   * Loads the selector stored beside a model.
   *
   * @throws IOException naming the directory when it has no selector, or the file and the problem
   *     when a file is unreadable or its tensors do not fit the config
   */
  public static LayerSelector load(Path modelDir) throws IOException {
    if (!existsIn(modelDir)) {
      throw new IOException(modelDir + ": no layer selector (" + CONFIG + " and " + WEIGHTS
          + "); train one with icld train-selector");
    }
    Path configFile = modelDir.resolve(CONFIG);
    SelectorConfig config;
    try {
      config = SelectorConfig.fromJson(Files.readString(configFile, StandardCharsets.UTF_8),
          configFile.toString());
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
    Path weightsFile = modelDir.resolve(WEIGHTS);
    Map<String, TensorData> tensors = SafeTensors.read(weightsFile);
    for (Map.Entry<String, long[]> p : shapes(config).entrySet()) {
      TensorData t = tensors.get(p.getKey());
      if (t == null) {
        throw new IOException(weightsFile + ": missing tensor " + p.getKey());
      }
      if (!Arrays.equals(t.shape(), p.getValue())) {
        throw new IOException(weightsFile + ": tensor " + p.getKey() + " has shape "
            + t.shapeString() + ", the config needs " + Arrays.toString(p.getValue()));
      }
    }
    if (tensors.size() != shapes(config).size()) {
      throw new IOException(weightsFile + ": unexpected tensors beside the selector's "
          + shapes(config).keySet() + ": " + tensors.keySet());
    }
    return fromTensors(config, tensors);
  }

  /** Writes {@value #WEIGHTS} and {@value #CONFIG} into {@code modelDir}, each atomically. */
  public void save(Path modelDir) throws IOException {
    Map<String, TensorData> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> p : parameters.entrySet()) {
      tensors.put(p.getKey(),
          TensorData.f32(p.getValue().getShape().getShape(), p.getValue().toFloatArray()));
    }
    SafeTensors.write(modelDir.resolve(WEIGHTS), tensors);
    AtomicFiles.writeString(modelDir.resolve(CONFIG), config.toJson());
  }

  public SelectorConfig config() {
    return config;
  }

  public int layers() {
    return config.layers();
  }

  /** The named parameters, for training to attach gradients and step. */
  public Map<String, NDArray> parameters() {
    return parameters;
  }

  /** Records the budgets training sampled (saved in {@value #CONFIG}). */
  public void recordTrainedBudgets(List<Integer> budgets) {
    config = config.withTrainedBudgets(budgets);
  }

  /** Records the adaptive-mode gate threshold for budget {@code keep}. */
  public void recordAdaptiveThreshold(int keep, double threshold) {
    config = config.withAdaptiveThreshold(keep, threshold);
  }

  /** The input array a selector of {@code config} reads from {@code input}. */
  static NDArray inputOf(SelectorConfig config, SelectionInput input) {
    if (config.input() == SelectorInputKind.FEATURES) {
      if (!input.hasFeatures()) {
        throw new IllegalArgumentException("the selector reads the feature-encoder output, "
            + "but the selection input carries none");
      }
      return input.features();
    }
    if (!input.hasLogMel()) {
      throw new IllegalArgumentException(
          "the selector reads log-mel filterbanks, but the selection input carries none");
    }
    return input.logMel();
  }

  /** The valid frame counts of {@link #inputOf}'s array. */
  static int[] lengthsOf(SelectorConfig config, SelectionInput input) {
    return config.input() == SelectorInputKind.FEATURES ? input.featureLengths() : input.logMelLengths();
  }

  /** Logits [B, L] for the input this selector reads; see {@link #logits(NDArray, int[], int[])}. */
  public NDArray logits(SelectionInput input, int[] budgets) {
    return logits(inputOf(config, input), lengthsOf(config, input), budgets);
  }

  /**
   * @param frames [B, T, C_in], in the manager the result is to belong to
   * @param lengths valid frames per utterance (at least one)
   * @param budgets per utterance, the budget k (1..L) the logits are for
   * @return logits [B, L]: higher means the layer is more worth running for this input and budget
   */
  public NDArray logits(NDArray frames, int[] lengths, int[] budgets) {
    checkInput(config, frames, lengths, budgets);
    int batch = lengths.length;
    int time = (int) frames.getShape().get(1);
    NDManager target = frames.getManager();
    float[] valid = new float[batch * time];
    float[] inverseLengths = new float[batch];
    float[] budgetOneHot = new float[batch * config.layers()];
    for (int b = 0; b < batch; b++) {
      Arrays.fill(valid, b * time, b * time + lengths[b], 1f);
      inverseLengths[b] = 1f / lengths[b];
      budgetOneHot[b * config.layers() + budgets[b] - 1] = 1f;
    }
    NDArray validFrames = target.create(valid, new Shape(batch, 1, time));
    NDArray x = frames.transpose(0, 2, 1).mul(validFrames);
    NDArray hidden = Activation.gelu(Conv1d.conv1d(x, parameters.get("conv.weight"),
        parameters.get("conv.bias"), new Shape(1), new Shape(1), new Shape(1), 1).singletonOrThrow());
    NDArray pooled = hidden.mul(validFrames).sum(new int[] {2})
        .mul(target.create(inverseLengths, new Shape(batch, 1)));
    if (config.pooling() == SelectorPooling.MEAN_MAX) {
      // GELU is at least -0.17, so a padded frame pushed 1e4 lower never wins the maximum
      NDArray maximum = hidden.add(validFrames.sub(1).mul(1e4f)).max(new int[] {2});
      pooled = NDArrays.concat(new NDList(pooled, maximum), 1);
    }
    NDArray embedding = target.create(budgetOneHot, new Shape(batch, config.layers()))
        .matMul(parameters.get("budget_embedding.weight"));
    NDArray joined = NDArrays.concat(new NDList(pooled, embedding), 1);
    return ai.djl.nn.core.Linear.linear(joined, parameters.get("output.weight"),
        parameters.get("output.bias")).singletonOrThrow();
  }

  static void checkInput(SelectorConfig config, NDArray frames, int[] lengths, int[] budgets) {
    long[] shape = frames.getShape().getShape();
    if (shape.length != 3 || shape[2] != config.inputChannels()) {
      throw new IllegalArgumentException("the selector reads [batch, frames, " + config.inputChannels()
          + "] (" + config.input().label() + "), got " + frames.getShape());
    }
    if (lengths.length != shape[0] || budgets.length != shape[0]) {
      throw new IllegalArgumentException("need one length and one budget per utterance: batch "
          + shape[0] + ", " + lengths.length + " lengths, " + budgets.length + " budgets");
    }
    for (int b = 0; b < lengths.length; b++) {
      if (lengths[b] < 1 || lengths[b] > shape[1]) {
        throw new IllegalArgumentException(
            "utterance " + b + " has " + lengths[b] + " valid frames, outside 1.." + shape[1]);
      }
      if (budgets[b] < 1 || budgets[b] > config.layers()) {
        throw new IllegalArgumentException(
            "budget must keep between 1 and " + config.layers() + " layers, got " + budgets[b]);
      }
    }
  }

  /**
   * A copy of the weights as they are now, for inference: a policy made from it keeps it, and
   * later training steps do not reach it.
   */
  public SelectorWeights weights() {
    return SelectorWeights.copyOf(config, parameters);
  }

  /**
   * The exact GELU, x (1 + erf(x / sqrt 2)) / 2, as {@link Activation#gelu} computes it, with erf
   * as Eigen's and XLA's float erf: a rational function on [-4, 4] (beyond, erf is +-1 to float
   * precision) whose error is float rounding. It needs no exp, so the loop over a selector's
   * activations vectorises and costs next to nothing.
   */
  static float gelu(float x) {
    float z = Math.max(-4f, Math.min(4f, x * 0.70710678f));
    float z2 = z * z;
    float numerator = (((((-2.72614225801306e-10f * z2 + 2.77068142495902e-08f) * z2
        - 2.10102402082508e-06f) * z2 - 5.69250639462346e-05f) * z2 - 7.34990630326855e-04f) * z2
        - 2.95459980854025e-03f) * z2 - 1.60960333262415e-02f;
    float denominator = (((-1.45660718464996e-05f * z2 - 2.13374055278905e-04f) * z2
        - 1.68282697438203e-03f) * z2 - 7.37332916720468e-03f) * z2 - 1.42647390514189e-02f;
    return 0.5f * x * (1 + z * numerator / denominator);
  }

  @Override
  public void close() {
    manager.close();
  }
}
