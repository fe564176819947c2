package dev.icld.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RandomInitialisationTest {
  @TempDir Path temp;

  static ModelConfig tinyWav2Vec2() {
    return new ModelConfig(ModelType.WAV2VEC2, 32, 2, 4, 64, "gelu", "gelu", List.of(16, 16),
        List.of(10, 3), List.of(5, 2), false, "group", 16, 4, false, 1e-5, true, 320, 800);
  }

  @Test
  void sameSeedSameWeightsOtherSeedOtherWeights() {
    ModelConfig config = tinyWav2Vec2();
    try (FoundationModel a = Checkpoints.randomlyInitialised(config, 7);
        FoundationModel b = Checkpoints.randomlyInitialised(config, 7);
        FoundationModel c = Checkpoints.randomlyInitialised(config, 8)) {
      assertEquals(a.parameters().keySet(), b.parameters().keySet());
      assertTrue(a.parameters().containsKey("masked_spec_embed"));
      assertNull(a.loadSummary());
      for (String name : a.parameters().keySet()) {
        float[] x = a.parameters().get(name).toFloatArray();
        assertArrayEquals(x, b.parameters().get(name).toFloatArray(), name);
        if (name.endsWith("q_proj.weight")) {
          assertFalse(Arrays.equals(x, c.parameters().get(name).toFloatArray()), name);
        }
      }
    }
  }

  @Test
  void followsHuggingFaceInitialisation() {
    ModelConfig config = tinyWav2Vec2();
    try (FoundationModel model = Checkpoints.randomlyInitialised(config, 3)) {
      Map<String, NDArray> p = model.parameters();
      assertEquals(0.02, std(p.get("encoder.layers.0.feed_forward.intermediate_dense.weight")), 0.002);
      assertEquals(Math.sqrt(2.0 / 10), std(p.get("feature_extractor.conv_layers.0.conv.weight")), 0.06);
      assertTrue(allEqual(p.get("encoder.layers.1.final_layer_norm.weight"), 1f));
      assertTrue(allEqual(p.get("encoder.layers.1.attention.q_proj.bias"), 0f));
      assertTrue(allEqual(p.get("feature_extractor.conv_layers.0.layer_norm.bias"), 0f));
      // The folded positional weight is the drawn direction itself (magnitude = its norm).
      assertEquals(2 * Math.sqrt(1.0 / (16 * 32)), std(p.get("encoder.pos_conv_embed.conv.weight")), 0.01);
    }
  }

  @Test
  void savesAndLoadsBackTheSameModel() throws Exception {
    ModelConfig config = tinyWav2Vec2();
    try (FoundationModel model = Checkpoints.randomlyInitialised(config, 5);
        NDManager manager = Torch.newManager()) {
      Checkpoints.save(model, temp);
      try (FoundationModel loaded = Checkpoints.load(temp)) {
        NDArray waves = manager.create(new float[2 * 800], new Shape(2, 800)).add(0.1f);
        int[] lengths = {800, 600};
        ReferenceFixtures.assertClose(loaded.forward(waves, lengths).lastHiddenState(),
            model.forward(waves, lengths).lastHiddenState(), 1e-5, "output");
      }
    }
  }

  private static double std(NDArray a) {
    float[] v = a.toFloatArray();
    double mean = 0;
    for (float x : v) {
      mean += x / v.length;
    }
    double var = 0;
    for (float x : v) {
      var += (x - mean) * (x - mean) / v.length;
    }
    return Math.sqrt(var);
  }

  private static boolean allEqual(NDArray a, float value) {
    for (float x : a.toFloatArray()) {
      if (x != value) {
        return false;
      }
    }
    return true;
  }
}
