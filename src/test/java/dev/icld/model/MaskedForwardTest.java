package dev.icld.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.icld.model.io.DType;
import dev.icld.model.io.TensorData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pretraining forward pass (mask embedding, feature gradient scale) and half-precision saves. */
class MaskedForwardTest {
  @TempDir Path temp;

  private static final int SAMPLES = 800;

  /** A tiny post-LN HuBERT: 2 layers of width 16, conv strides 5 and 2 (80 frames per 800 samples). */
  private FoundationModel tinyHubert(long seed) throws Exception {
    ModelConfig config = new ModelConfig(ModelType.HUBERT, 16, 2, 4, 24, "gelu", "gelu",
        List.of(8, 8), List.of(10, 3), List.of(5, 2), false, "group", 8, 2, false, 1e-5, true, 0,
        0);
    Map<String, TensorData> tensors = SyntheticCheckpoint.tensors(config, seed);
    float[] embedding = new float[16];
    Random random = new Random(seed);
    for (int i = 0; i < embedding.length; i++) {
      embedding[i] = (float) random.nextGaussian();
    }
    tensors.put(FoundationModel.MASK_EMBEDDING, TensorData.f32(new long[] {16}, embedding));
    Path dir = temp.resolve("hubert-" + seed);
    SyntheticCheckpoint.write(dir, config, tensors);
    return Checkpoints.load(dir);
  }

  private static boolean[][] everyThirdFrame(int batch, int frames) {
    boolean[][] mask = new boolean[batch][frames];
    for (int b = 0; b < batch; b++) {
      for (int t = b; t < frames; t += 3) {
        mask[b][t] = true;
      }
    }
    return mask;
  }

  @Test
  void maskedFramesEnterTheEncoderAsTheMaskEmbedding() throws Exception {
    try (FoundationModel model = tinyHubert(3); NDManager manager = Torch.newManager()) {
      // Without the positional conv, the encoder's input state is layer_norm(projected frames).
      Architecture.PositionalConv positional = model.architecture().posConvEmbed();
      model.parameters().get(positional.weight().name()).muli(0);
      model.parameters().get(positional.bias().name()).muli(0);
      NDArray waves = manager.randomNormal(new Shape(2, SAMPLES));
      int[] lengths = {SAMPLES, SAMPLES};
      int frames = model.frames(SAMPLES);
      boolean[][] mask = everyThirdFrame(2, frames);
      ModelOutput masked = model.forwardMasked(waves, lengths, mask, 1.0);
      ModelOutput plain = model.forward(waves, lengths);
      float[] expected = layerNorm(model.parameters().get(FoundationModel.MASK_EMBEDDING).toFloatArray(),
          model.parameters().get("encoder.layer_norm.weight").toFloatArray(),
          model.parameters().get("encoder.layer_norm.bias").toFloatArray());
      float[] input = masked.hiddenStates().get(0).toFloatArray();
      float[] plainInput = plain.hiddenStates().get(0).toFloatArray();
      int checkedMasked = 0;
      for (int b = 0; b < 2; b++) {
        for (int t = 0; t < frames; t++) {
          for (int d = 0; d < 16; d++) {
            int at = (b * frames + t) * 16 + d;
            float want = mask[b][t] ? expected[d] : plainInput[at];
            assertEquals(want, input[at], 1e-4, "utterance " + b + " frame " + t + " dim " + d);
          }
          checkedMasked += mask[b][t] ? 1 : 0;
        }
      }
      assertTrue(checkedMasked > 10);
      // The conv features themselves are untouched by the mask.
      assertArrayEquals(plain.features().toFloatArray(), masked.features().toFloatArray(), 1e-6f);
    }
  }

  private static float[] layerNorm(float[] x, float[] weight, float[] bias) {
    double mean = 0;
    for (float v : x) {
      mean += v;
    }
    mean /= x.length;
    double variance = 0;
    for (float v : x) {
      variance += (v - mean) * (v - mean);
    }
    variance /= x.length;
    float[] out = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = (float) ((x[i] - mean) / Math.sqrt(variance + 1e-5) * weight[i] + bias[i]);
    }
    return out;
  }

  @Test
  void featureGradientScaleScalesOnlyTheConvEncodersGradients() throws Exception {
    try (FoundationModel model = tinyHubert(4); NDManager manager = Torch.newManager()) {
      NDArray waves = manager.randomNormal(new Shape(2, SAMPLES));
      int[] lengths = {SAMPLES, 600};
      boolean[][] mask = everyThirdFrame(2, model.frames(SAMPLES));
      Map<String, float[]> full = gradients(model, waves, lengths, mask, 1.0);
      Map<String, float[]> scaled = gradients(model, waves, lengths, mask, 0.1);
      for (Map.Entry<String, float[]> g : full.entrySet()) {
        double factor = g.getKey().startsWith("feature_extractor.") ? 0.1 : 1.0;
        float[] expected = g.getValue().clone();
        for (int i = 0; i < expected.length; i++) {
          expected[i] *= (float) factor;
        }
        float tolerance = 1e-5f + 1e-4f * maxAbs(expected);
        assertArrayEquals(expected, scaled.get(g.getKey()), tolerance, g.getKey());
      }
      assertTrue(maxAbs(full.get(FoundationModel.MASK_EMBEDDING)) > 0,
          "the mask embedding is trained");
    }
  }

  private static Map<String, float[]> gradients(FoundationModel model, NDArray waves,
      int[] lengths, boolean[][] mask, double scale) {
    for (NDArray p : model.parameters().values()) {
      p.setRequiresGradient(true);
    }
    try (GradientCollector collector = Torch.engine().newGradientCollector()) {
      collector.zeroGradients();
      ModelOutput out = model.forwardMasked(waves, lengths, mask, scale);
      collector.backward(out.lastHiddenState().square().mean());
    }
    Map<String, float[]> grads = new HashMap<>();
    model.parameters().forEach((name, p) -> grads.put(name, p.getGradient().toFloatArray()));
    return grads;
  }

  private static float maxAbs(float[] values) {
    float max = 0;
    for (float v : values) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }

  @Test
  void maskedForwardRefusesAModelWithoutMaskEmbeddingAndBadMasks() throws Exception {
    try (FoundationModel model = Checkpoints.load(ReferenceFixtures.dir("base"));
        NDManager manager = Torch.newManager()) {
      NDArray waves = manager.zeros(new Shape(1, SAMPLES));
      if (!model.parameters().containsKey(FoundationModel.MASK_EMBEDDING)) {
        assertThrows(IllegalStateException.class,
            () -> model.forwardMasked(waves, new int[] {SAMPLES}, new boolean[1][1], 1.0));
      }
    }
    try (FoundationModel model = tinyHubert(5); NDManager manager = Torch.newManager()) {
      NDArray waves = manager.zeros(new Shape(1, SAMPLES));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> model.forwardMasked(waves, new int[] {SAMPLES}, new boolean[1][3], 1.0));
      assertTrue(e.getMessage().contains("3 frames"), e.getMessage());
      assertThrows(IllegalArgumentException.class,
          () -> model.forwardMasked(waves, new int[] {SAMPLES}, new boolean[1][80], 2.0));
    }
  }

  @Test
  void halfPrecisionSaveLoadsBackWithinHalfPrecision() throws Exception {
    try (FoundationModel model = tinyHubert(6); NDManager manager = Torch.newManager()) {
      Path f32 = temp.resolve("f32");
      Path f16 = temp.resolve("f16");
      Checkpoints.save(model, f32);
      Checkpoints.save(model, f16, DType.F16);
      long fullSize = Files.size(f32.resolve(Checkpoints.SAFETENSORS));
      long halfSize = Files.size(f16.resolve(Checkpoints.SAFETENSORS));
      assertTrue(halfSize < 0.6 * fullSize, halfSize + " bytes vs " + fullSize);
      NDArray waves = manager.randomNormal(new Shape(1, SAMPLES));
      float[] expected = model.forward(waves, new int[] {SAMPLES}).lastHiddenState().toFloatArray();
      try (FoundationModel loaded = Checkpoints.load(f16)) {
        assertEquals(model.parameters().keySet(), loaded.parameters().keySet());
        for (Map.Entry<String, NDArray> p : model.parameters().entrySet()) {
          float[] want = p.getValue().toFloatArray();
          float[] got = loaded.parameters().get(p.getKey()).toFloatArray();
          for (int i = 0; i < want.length; i++) {
            // F16 keeps 11 significant bits; the folded positional weight is recomputed.
            assertEquals(want[i], got[i], 2e-3 * Math.abs(want[i]) + 1e-6, p.getKey() + "[" + i + "]");
          }
        }
        float[] actual = loaded.forward(waves, new int[] {SAMPLES}).lastHiddenState().toFloatArray();
        assertArrayEquals(expected, actual, 0.05f);
      }
      assertThrows(IllegalArgumentException.class, () -> Checkpoints.save(model, f16, DType.I32));
    }
  }
}
