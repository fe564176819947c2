package dev.icld.runtime.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.icld.model.Checkpoints;
import dev.icld.model.FoundationModel;
import dev.icld.model.LayerMask;
import dev.icld.model.ModelConfig;
import dev.icld.model.ModelType;
import dev.icld.model.ModelOutput;
import dev.icld.model.Torch;
import dev.icld.model.io.SafeTensors;
import dev.icld.model.io.TensorData;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ONNX Runtime engine against the DJL model on the committed tiny fixtures (Base form, Large
 * form, HuBERT), on a batch with padding, for every layer and for a partial mask. Valid frames
 * of every hidden state and of the last hidden state must agree within 1e-4.
 */
class OnnxBackboneTest {
  private static final double TOLERANCE = 1e-4;
  private static final OnnxBackbone.Options ONE_THREAD = new OnnxBackbone.Options(1, false);

  @ParameterizedTest
  @ValueSource(strings = {"base", "large", "hubert"})
  void matchesDjlWithEveryLayerAndWithSkippedLayers(String name) throws Exception {
    Path dir = fixture(name);
    Map<String, TensorData> reference = SafeTensors.read(dir.resolve("reference.safetensors"));
    TensorData wave = reference.get("waveforms");
    int[] lengths = ints(reference.get("sample_lengths"));
    assertTrue(lengths[0] != lengths[lengths.length - 1], "the fixture batch has padding");
    try (FoundationModel model = Checkpoints.load(dir);
        OnnxBackbone onnx = OnnxBackbone.export(model, ONE_THREAD);
        NDManager manager = Torch.newManager()) {
      int layers = model.layerCount();
      LayerMask partial = layers > 2 ? LayerMask.ofLayers(layers, 0, 2) : LayerMask.ofLayers(layers, 1);
      for (LayerMask mask : new LayerMask[] {LayerMask.all(layers), partial}) {
        String what = name + " " + mask.executedCount() + " of " + layers + " layers";
        ModelOutput expected = model.forward(
            manager.create(wave.values(), new Shape(wave.shape())), lengths, mask);
        OnnxBackbone.Output actual = onnx.forward(wave.values(), lengths, mask, true);
        assertArrayEquals(expected.frameLengths(), actual.frameLengths(), what + " frame lengths");
        assertEquals(layers + 1, actual.hiddenStates().size());
        for (int i = 0; i <= layers; i++) {
          assertClose(expected.hiddenStates().get(i), actual.hiddenStates().get(i), actual,
              what + " hidden state " + i);
        }
        assertClose(expected.lastHiddenState(), actual.lastHiddenState(), actual,
            what + " last hidden state");
      }
    }
  }

  /**
   * An utterance's valid frames do not depend on the padding after it in a batch. (Checked on the
   * layer-norm conv form: the group-norm form's first conv layer normalises over the whole padded
   * length, in every implementation.)
   */
  /** icld's log-mel front end: every hidden state on a padded batch, and each row as if alone. */
  @Test
  void logMelFrontEndMatchesDjl() throws Exception {
    ModelConfig config = new ModelConfig(ModelType.HUBERT, 32, 2, 4, 64, "gelu", "gelu",
        List.of(80), List.of(400), List.of(320), false, "group", 8, 4, true, 1e-5, false, 320, 800,
        ModelConfig.LOG_MEL_FRONT_END);
    Random random = new Random(5);
    int[] lengths = {9000, 5321};
    float[] padded = new float[2 * lengths[0]];
    for (int b = 0; b < 2; b++) {
      for (int i = 0; i < lengths[b]; i++) {
        padded[b * lengths[0] + i] = (float) (0.3 * Math.sin(i * 0.07 * (b + 1))
            + 0.05 * random.nextGaussian());
      }
    }
    try (FoundationModel model = Checkpoints.randomlyInitialised(config, 2);
        OnnxBackbone onnx = OnnxBackbone.export(model, ONE_THREAD);
        NDManager manager = Torch.newManager()) {
      LayerMask all = LayerMask.all(2);
      ModelOutput expected = model.forward(
          manager.create(padded, new Shape(2, lengths[0])), lengths, all);
      OnnxBackbone.Output actual = onnx.forward(padded, lengths, all, true);
      assertArrayEquals(expected.frameLengths(), actual.frameLengths());
      for (int i = 0; i <= 2; i++) {
        assertClose(expected.hiddenStates().get(i), actual.hiddenStates().get(i), actual,
            "log-mel hidden state " + i);
      }
      float[] second = java.util.Arrays.copyOfRange(padded, lengths[0], lengths[0] + lengths[1]);
      OnnxBackbone.Output alone = onnx.forward(new float[][] {second}, all, false);
      int rowSize = actual.frames() * actual.width();
      double max = 0;
      for (int i = 0; i < alone.lastHiddenState().length; i++) {
        max = Math.max(max, Math.abs(alone.lastHiddenState()[i] - actual.lastHiddenState()[rowSize + i]));
      }
      assertTrue(max <= TOLERANCE, "padded vs alone: max abs difference " + max);
    }
  }

  @Test
  void paddingInTheBatchLeavesValidFramesAsAlone() throws Exception {
    try (FoundationModel model = Checkpoints.load(fixture("large"));
        OnnxBackbone onnx = OnnxBackbone.export(model, ONE_THREAD)) {
      float[][] waves = {new float[1200], new float[700]};
      for (int i = 0; i < waves[0].length; i++) {
        waves[0][i] = (float) Math.sin(i * 0.05);
      }
      for (int i = 0; i < waves[1].length; i++) {
        waves[1][i] = (float) Math.cos(i * 0.03);
      }
      LayerMask all = LayerMask.all(model.layerCount());
      OnnxBackbone.Output batch = onnx.forward(waves, all, false);
      OnnxBackbone.Output alone = onnx.forward(new float[][] {waves[1]}, all, false);
      assertArrayEquals(new int[] {model.frames(1200), model.frames(700)}, batch.frameLengths());
      assertEquals(model.frames(700), alone.frames());
      assertTrue(batch.hiddenStates().isEmpty());
      int rowSize = batch.frames() * batch.width();
      double max = 0;
      for (int i = 0; i < alone.lastHiddenState().length; i++) {
        max = Math.max(max, Math.abs(alone.lastHiddenState()[i] - batch.lastHiddenState()[rowSize + i]));
      }
      assertTrue(max <= TOLERANCE, "padded vs alone: max abs difference " + max);
    }
  }

  @Test
  void concurrentCallersGetTheSameResultsAsOneAtATime() throws Exception {
    try (FoundationModel model = Checkpoints.load(fixture("hubert"));
        OnnxBackbone onnx = OnnxBackbone.export(model, ONE_THREAD)) {
      float[][][] inputs = new float[4][1][];
      float[][] expected = new float[inputs.length][];
      for (int c = 0; c < inputs.length; c++) {
        inputs[c][0] = new float[600 + 100 * c];
        for (int i = 0; i < inputs[c][0].length; i++) {
          inputs[c][0][i] = (float) Math.sin(i * 0.01 * (c + 1));
        }
        expected[c] = onnx.forward(inputs[c], LayerMask.all(3), false).lastHiddenState();
      }
      ExecutorService pool = Executors.newFixedThreadPool(inputs.length);
      try {
        List<Future<float[]>> results = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
          for (float[][] input : inputs) {
            results.add(pool.submit(() -> onnx.forward(input, LayerMask.all(3), false).lastHiddenState()));
          }
        }
        for (int r = 0; r < results.size(); r++) {
          assertArrayEquals(expected[r % inputs.length], results.get(r).get(), "call " + r);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /**
   * WavLM, post-LN and pre-LN: the fixtures' weights with a relative position bias table and
   * per-layer gates drawn at random (strong enough that the gates differ per frame and head), and
   * a mask that skips layer 0, which Hugging Face computes the shared bias in.
   */
  @ParameterizedTest
  @ValueSource(strings = {"base", "large"})
  void wavLmMatchesDjlWithItsGatedPositionBias(String name, @TempDir Path dir) throws Exception {
    Path fixture = fixture(name);
    JsonObject config = JsonParser.parseString(Files.readString(fixture.resolve("config.json")))
        .getAsJsonObject();
    config.addProperty("model_type", "wavlm");
    config.addProperty("num_buckets", 16);
    config.addProperty("max_bucket_distance", 40);
    Files.writeString(dir.resolve("config.json"), config.toString());
    int layers = config.get("num_hidden_layers").getAsInt();
    int heads = config.get("num_attention_heads").getAsInt();
    int headDim = config.get("hidden_size").getAsInt() / heads;
    Random random = new Random(3);
    Map<String, TensorData> tensors = new LinkedHashMap<>();
    // Bare names: one fixture stores the full model's "wav2vec2." prefix, which a WavLM config
    // would not look for.
    SafeTensors.read(fixture.resolve("model.safetensors")).forEach((tensor, data) ->
        tensors.put(tensor.replaceFirst("^wav2vec2\\.", ""), data));
    tensors.put("encoder.layers.0.attention.rel_attn_embed.weight", gaussian(random, 1.0, 16, heads));
    for (int layer = 0; layer < layers; layer++) {
      String p = "encoder.layers." + layer + ".attention.";
      tensors.put(p + "gru_rel_pos_const", gaussian(random, 1.0, 1, heads, 1, 1));
      tensors.put(p + "gru_rel_pos_linear.weight", gaussian(random, 1.0, 8, headDim));
      tensors.put(p + "gru_rel_pos_linear.bias", gaussian(random, 0.5, 8));
    }
    SafeTensors.write(dir.resolve("model.safetensors"), tensors);

    Map<String, TensorData> reference = SafeTensors.read(fixture.resolve("reference.safetensors"));
    TensorData wave = reference.get("waveforms");
    int[] lengths = ints(reference.get("sample_lengths"));
    try (FoundationModel model = Checkpoints.load(dir);
        OnnxBackbone onnx = OnnxBackbone.export(model, ONE_THREAD);
        NDManager manager = Torch.newManager()) {
      for (LayerMask mask : new LayerMask[] {LayerMask.all(layers),
          LayerMask.ofLayers(layers, layers - 1)}) {
        String what = "wavlm " + name + " " + mask.executedCount() + " of " + layers + " layers";
        ModelOutput expected = model.forward(
            manager.create(wave.values(), new Shape(wave.shape())), lengths, mask);
        OnnxBackbone.Output actual = onnx.forward(wave.values(), lengths, mask, true);
        for (int i = 0; i <= layers; i++) {
          assertClose(expected.hiddenStates().get(i), actual.hiddenStates().get(i), actual,
              what + " hidden state " + i);
        }
        assertClose(expected.lastHiddenState(), actual.lastHiddenState(), actual,
            what + " last hidden state");
      }
    }
  }

  private static TensorData gaussian(Random random, double std, long... shape) {
    TensorData zeros = zeros(shape);
    float[] values = zeros.values();
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (std * random.nextGaussian());
    }
    return TensorData.f32(shape, values);
  }

  @Test
  void refusesBadInputAndUseAfterClose() throws Exception {
    try (FoundationModel model = Checkpoints.load(fixture("base"));
        OnnxBackbone onnx = OnnxBackbone.export(model, ONE_THREAD)) {
      float[][] one = {new float[800]};
      assertThrows(IllegalArgumentException.class, () -> onnx.forward(one, LayerMask.all(2), false));
      try (NDManager manager = Torch.newManager()) {
        LayerMask gated = LayerMask.gated(manager.ones(new Shape(1, 3)));
        assertThrows(IllegalArgumentException.class, () -> onnx.forward(one, gated, false));
      }
      IllegalArgumentException tooShort = assertThrows(IllegalArgumentException.class,
          () -> onnx.forward(new float[][] {new float[5]}, LayerMask.all(3), false));
      assertTrue(tooShort.getMessage().contains("receptive field"), tooShort.getMessage());
      assertThrows(IllegalArgumentException.class,
          () -> onnx.forward(new float[800], new int[] {801}, LayerMask.all(3), false));
      onnx.close();
      assertThrows(IllegalStateException.class, () -> onnx.forward(one, LayerMask.all(3), false));
    }
  }

  private static void assertClose(NDArray expected, float[] actual, OnnxBackbone.Output out,
      String what) {
    assertArrayEquals(new long[] {out.batch(), out.frames(), out.width()},
        expected.getShape().getShape(), what + " shape");
    float[] e = expected.toFloatArray();
    double max = 0;
    for (int b = 0; b < out.batch(); b++) {
      for (int t = 0; t < out.frameLengths()[b]; t++) {
        for (int f = 0; f < out.width(); f++) {
          int i = (b * out.frames() + t) * out.width() + f;
          max = Math.max(max, Math.abs(e[i] - actual[i]));
        }
      }
    }
    assertTrue(max <= TOLERANCE, what + ": max abs difference " + max);
  }

  private static Path fixture(String name) throws URISyntaxException {
    return Path.of(OnnxBackboneTest.class.getResource("/dev/icld/model/fixtures/" + name).toURI());
  }

  private static int[] ints(TensorData t) {
    int[] out = new int[t.values().length];
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.round(t.values()[i]);
    }
    return out;
  }

  private static TensorData zeros(long... shape) {
    int n = 1;
    for (long s : shape) {
      n *= (int) s;
    }
    return TensorData.f32(shape, new float[n]);
  }
}
