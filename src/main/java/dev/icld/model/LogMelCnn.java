package dev.icld.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.icld.audio.features.KaldiFbank;
import dev.icld.audio.features.KaldiFbankOptions;
import dev.icld.data.LabelVocabulary;
import dev.icld.files.AtomicFiles;
import dev.icld.model.io.SafeTensors;
import dev.icld.model.io.TensorData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A small classifier trained from scratch on log-mel filterbanks: what a task gets without a
 * foundation model (icld eval's scratch-cnn reference). Three blocks of Conv2d 3x3 (padding 1),
 * ReLU and 2x2 max-pooling over (frames, mel bins), then the mean over each utterance's valid
 * frames (the {@value #MEL_BINS} / 8 pooled bins stay apart: where in frequency a pattern is
 * matters for speech), and a linear layer to the classes. No normalisation layer: batch norm's
 * running statistics are state the trainer does not checkpoint, and group norm did not make the
 * network learn faster here.
 *
 * <p>Every block zeroes the padding after it and the mean counts only an utterance's own frames,
 * so an utterance gets the same logits alone or in a padded batch.
 *
 * <p>Input: {@value #MEL_BINS} Kaldi filterbanks per 10 ms frame (25 ms windows, no dither, so
 * the same audio always gives the same features), each bin shifted and scaled to zero mean and
 * unit variance over the utterance, which takes out gain and channel.
 *
 * <p>Parameters are plain NDArrays (conv1..3.weight [C_out, C_in, 3, 3] and .bias, output.weight
 * [classes, C3 x pooled bins], output.bias) so that training can attach gradients. Stored as
 * {@value #WEIGHTS} and {@value #CONFIG} (labels and architecture).
 */
public final class LogMelCnn implements AutoCloseable {
  public static final String WEIGHTS = "scratch_cnn.safetensors";
  public static final String CONFIG = "scratch_cnn.json";
  public static final int MEL_BINS = 40;
  /** Output channels of the three conv blocks. */
  public static final List<Integer> CHANNELS = List.of(32, 64, 96);
  /** Mel bins left after the three poolings. */
  static final int POOLED_BINS = MEL_BINS >> 3;
  /** Three 2x poolings leave one frame of eight; shorter inputs are padded to eight. */
  static final int MIN_FRAMES = 8;

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  private final LabelVocabulary labels;
  private final NDManager manager;
  private final Map<String, NDArray> parameters;
  private final KaldiFbank fbank = new KaldiFbank(KaldiFbankOptions.builder()
      .numMelBins(MEL_BINS)
      .dither(0)
      .sampleFrequency(FoundationModel.SAMPLE_RATE)
      .build());

  private LogMelCnn(LabelVocabulary labels, NDManager manager, Map<String, NDArray> parameters) {
    this.labels = labels;
    this.manager = manager;
    this.parameters = parameters;
  }

  /** Expected parameter shapes, in a stable order. */
  private static Map<String, long[]> shapes(int classes) {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    int in = 1;
    for (int b = 0; b < CHANNELS.size(); b++) {
      shapes.put("conv" + (b + 1) + ".weight", new long[] {CHANNELS.get(b), in, 3, 3});
      shapes.put("conv" + (b + 1) + ".bias", new long[] {CHANNELS.get(b)});
      in = CHANNELS.get(b);
    }
    shapes.put("output.weight", new long[] {classes, (long) in * POOLED_BINS});
    shapes.put("output.bias", new long[] {classes});
    return shapes;
  }

  /**
   * A new network from a seeded generator: conv weights Kaiming normal (std sqrt(2 / fan_in), for
   * the ReLUs), the output weight uniform in +-1/sqrt(fan_in) as torch.nn.Linear, biases zero.
   * Each tensor draws from its own generator seeded from (seed, name).
   */
  public static LogMelCnn initialise(LabelVocabulary labels, long seed) {
    Map<String, TensorData> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> p : shapes(labels.size()).entrySet()) {
      long[] shape = p.getValue();
      float[] values = new float[Math.toIntExact(Arrays.stream(shape).reduce(1, (a, b) -> a * b))];
      Random random = new Random(seed * 0x9E3779B97F4A7C15L + p.getKey().hashCode());
      if (p.getKey().endsWith(".weight")) {
        long fanIn = values.length / shape[0];
        boolean conv = p.getKey().startsWith("conv");
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) (conv ? Math.sqrt(2.0 / fanIn) * random.nextGaussian()
              : (2 * random.nextDouble() - 1) / Math.sqrt(fanIn));
        }
      }
      tensors.put(p.getKey(), TensorData.f32(shape, values));
    }
    return fromTensors(labels, tensors);
  }

  private static LogMelCnn fromTensors(LabelVocabulary labels, Map<String, TensorData> tensors) {
    NDManager manager = Torch.newManager();
    Map<String, NDArray> parameters = new LinkedHashMap<>();
    for (String name : shapes(labels.size()).keySet()) {
      TensorData t = tensors.get(name);
      parameters.put(name, manager.create(t.values(), new Shape(t.shape())));
    }
    return new LogMelCnn(labels, manager, parameters);
  }

  /** Whether {@code dir} holds a trained network. */
  public static boolean existsIn(Path dir) {
    return Files.isRegularFile(dir.resolve(CONFIG)) && Files.isRegularFile(dir.resolve(WEIGHTS));
  }

  /**
   * Loads a network saved by {@link #save}.
   *
   * @throws IOException naming the file and the problem when a file is unreadable or its tensors
   *     do not fit the architecture
   */
  public static LogMelCnn load(Path dir) throws IOException {
    Path configFile = dir.resolve(CONFIG);
    JsonObject config;
    List<String> names = new ArrayList<>();
    try {
      config = JsonParser.parseString(Files.readString(configFile, StandardCharsets.UTF_8))
          .getAsJsonObject();
      config.getAsJsonArray("labels").forEach(e -> names.add(e.getAsString()));
      if (config.get("mel_bins").getAsInt() != MEL_BINS
          || !GSON.toJsonTree(CHANNELS).equals(config.get("channels"))) {
        throw new IOException(configFile + ": another architecture (mel_bins "
            + config.get("mel_bins") + ", channels " + config.get("channels") + "; this icld has "
            + MEL_BINS + " and " + CHANNELS + ")");
      }
    } catch (JsonParseException | IllegalStateException | NullPointerException
        | UnsupportedOperationException e) {
      throw new IOException(configFile + ": not a scratch-cnn config: " + e.getMessage());
    }
    LabelVocabulary labels = LabelVocabulary.of(names);
    Path weightsFile = dir.resolve(WEIGHTS);
    Map<String, TensorData> tensors = SafeTensors.read(weightsFile);
    Map<String, long[]> shapes = shapes(labels.size());
    for (Map.Entry<String, long[]> p : shapes.entrySet()) {
      TensorData t = tensors.get(p.getKey());
      if (t == null || !Arrays.equals(t.shape(), p.getValue())) {
        throw new IOException(weightsFile + ": tensor " + p.getKey() + " is "
            + (t == null ? "missing" : "of shape " + t.shapeString()) + ", the network needs "
            + Arrays.toString(p.getValue()));
      }
    }
    if (tensors.size() != shapes.size()) {
      throw new IOException(weightsFile + ": unexpected tensors beside " + shapes.keySet() + ": "
          + tensors.keySet());
    }
    return fromTensors(labels, tensors);
  }

  /**
   * Writes {@value #WEIGHTS} and {@value #CONFIG} into {@code dir}, each atomically; the config
   * last, so that {@link #existsIn} never sees a half-written network.
   *
   * @param extra more keys for the config (how the network was trained, say)
   */
  public void save(Path dir, JsonObject extra) throws IOException {
    Files.createDirectories(dir);
    Map<String, TensorData> tensors = new LinkedHashMap<>();
    parameters.forEach((name, p) ->
        tensors.put(name, TensorData.f32(p.getShape().getShape(), p.toFloatArray())));
    SafeTensors.write(dir.resolve(WEIGHTS), tensors);
    JsonObject config = new JsonObject();
    JsonArray names = new JsonArray();
    labels.labels().forEach(names::add);
    config.add("labels", names);
    config.addProperty("mel_bins", MEL_BINS);
    config.add("channels", GSON.toJsonTree(CHANNELS));
    config.addProperty("parameters", parameterCount());
    extra.entrySet().forEach(e -> config.add(e.getKey(), e.getValue()));
    AtomicFiles.writeString(dir.resolve(CONFIG), GSON.toJson(config) + "\n");
  }

  public LabelVocabulary labels() {
    return labels;
  }

  /** The named parameters, for training to attach gradients and step. */
  public Map<String, NDArray> parameters() {
    return parameters;
  }

  public long parameterCount() {
    return shapes(labels.size()).values().stream()
        .mapToLong(s -> Arrays.stream(s).reduce(1, (a, b) -> a * b)).sum();
  }

  /**
   * The normalised filterbanks of one utterance, [frames][{@value #MEL_BINS}], at least
   * {@value #MIN_FRAMES} frames (shorter utterances are padded with zeros, the mean).
   *
   * @throws IllegalArgumentException when the audio is shorter than one 25 ms window
   */
  public float[][] features(float[] samples) {
    float[][] raw = fbank.compute(samples);
    if (raw.length == 0) {
      throw new IllegalArgumentException("an utterance of " + samples.length + " samples is "
          + "shorter than one " + fbank.options().frameLength() + " ms filterbank window");
    }
    float[][] out = new float[Math.max(raw.length, MIN_FRAMES)][MEL_BINS];
    for (int m = 0; m < MEL_BINS; m++) {
      double sum = 0;
      for (float[] frame : raw) {
        sum += frame[m];
      }
      double mean = sum / raw.length;
      double squares = 0;
      for (float[] frame : raw) {
        squares += (frame[m] - mean) * (frame[m] - mean);
      }
      // The floor keeps a constant bin (digital silence) at zero rather than dividing by zero.
      double scale = 1 / Math.sqrt(squares / raw.length + 1e-5);
      for (int t = 0; t < raw.length; t++) {
        out[t][m] = (float) ((raw[t][m] - mean) * scale);
      }
    }
    return out;
  }

  /**
   * Logits [B, classes].
   *
   * @param features per utterance, [frames][{@value #MEL_BINS}] from {@link #features}
   */
  public NDArray logits(List<float[][]> features, NDManager arrays) {
    int batch = features.size();
    int longest = features.stream().mapToInt(f -> f.length).max().orElseThrow();
    float[] values = new float[batch * longest * MEL_BINS];
    for (int b = 0; b < batch; b++) {
      float[][] f = features.get(b);
      for (int t = 0; t < f.length; t++) {
        System.arraycopy(f[t], 0, values, (b * longest + t) * MEL_BINS, MEL_BINS);
      }
    }
    NDArray x = arrays.create(values, new Shape(batch, 1, longest, MEL_BINS));
    for (int b = 1; b <= CHANNELS.size(); b++) {
      x = Conv2d.conv2d(x, parameters.get("conv" + b + ".weight"),
          parameters.get("conv" + b + ".bias"), new Shape(1, 1), new Shape(1, 1), new Shape(1, 1),
          1).singletonOrThrow();
      x = Pool.maxPool2d(Activation.relu(x), new Shape(2, 2), new Shape(2, 2), new Shape(0, 0),
          false);
      // Zeroed padding is what the next conv's own zero padding gives an utterance alone (a
      // pooling window may straddle an utterance's end).
      x = x.mul(frameMask(validFrames(features, b), (int) x.getShape().get(2), arrays));
    }
    int[] valid = validFrames(features, CHANNELS.size());
    NDArray pooled = x.mul(frameMean(valid, (int) x.getShape().get(2), arrays)).sum(new int[] {2})
        .reshape(batch, -1);
    return ai.djl.nn.core.Linear.linear(pooled, parameters.get("output.weight"),
        parameters.get("output.bias")).singletonOrThrow();
  }

  /** Each utterance's frames after {@code pools} 2x poolings (each rounds down). */
  private static int[] validFrames(List<float[][]> features, int pools) {
    return features.stream().mapToInt(f -> f.length >> pools).toArray();
  }

  /** [B, 1, frames, 1]: 1 on each utterance's frames, 0 on its padding. */
  private static NDArray frameMask(int[] valid, int frames, NDManager arrays) {
    return frameWeights(valid, frames, false, arrays);
  }

  /** [B, 1, frames, 1]: 1 / valid frames on each utterance's frames, 0 on its padding. */
  private static NDArray frameMean(int[] valid, int frames, NDManager arrays) {
    return frameWeights(valid, frames, true, arrays);
  }

  private static NDArray frameWeights(int[] valid, int frames, boolean mean, NDManager arrays) {
    float[] weights = new float[valid.length * frames];
    for (int b = 0; b < valid.length; b++) {
      Arrays.fill(weights, b * frames, b * frames + valid[b], mean ? 1f / valid[b] : 1f);
    }
    return arrays.create(weights, new Shape(valid.length, 1, frames, 1));
  }

  /** Multiply-adds counted twice, of the convolutions and the output layer, for one utterance. */
  public long flops(int samples) {
    KaldiFbankOptions o = fbank.options();
    long window = Math.round(o.frameLength() * o.sampleFrequency() / 1000);
    long shift = Math.round(o.frameShift() * o.sampleFrequency() / 1000);
    long t = Math.max(samples < window ? 0 : 1 + (samples - window) / shift, MIN_FRAMES);
    long f = MEL_BINS;
    long in = 1;
    long total = 0;
    for (int out : CHANNELS) {
      total += 2L * 9 * in * out * t * f;
      t /= 2;
      f /= 2;
      in = out;
    }
    return total + 2L * in * POOLED_BINS * labels.size();
  }

  @Override
  public void close() {
    manager.close();
  }
}
