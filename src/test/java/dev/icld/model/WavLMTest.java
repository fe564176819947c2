package dev.icld.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.icld.model.io.TensorData;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * WavLM's gated relative position bias, checked against values worked out by hand from the
 * formulas (WavLM paper, Hugging Face modeling_wavlm.py semantics). torchaudio 0.13 has no WavLM,
 * so there is no independent implementation to compare with.
 */
class WavLMTest {
  /**
   * Default WavLM buckets (num_buckets 320, max_bucket_distance 800): 160 buckets per direction,
   * positions after the query (key - query > 0) offset by 160; distances below 80 exact; larger
   * ones 80 + floor(ln(d / 80) / ln(800 / 80) * 80), capped at 159.
   */
  @Test
  void bucketsFollowTheLogScaledFormula() {
    int[][] cases = {
      {0, 0}, // same frame
      {-5, 5}, // exact, earlier key
      {5, 165}, // exact, later key: 160 + 5
      {1, 161},
      {-79, 79}, // the last exact bucket
      {79, 239},
      {-80, 80}, // ln(1) = 0: first log bucket, 80
      {80, 240},
      {81, 240}, // ln(81/80)/ln(10)*80 = 0.43 -> 80
      {-100, 87}, // ln(1.25)/ln(10)*80 = 7.75 -> 87
      {-160, 104}, // ln(2)/ln(10)*80 = 24.08 -> 104
      {160, 264}, // 160 + 104
      {-799, 159}, // ln(9.99)/ln(10)*80 = 79.96 -> 159
      {800, 319}, // 80 + 80 = 160, capped at 159, + 160
      {-1000, 159}, // beyond max distance: capped
      {1000, 319},
    };
    for (int[] c : cases) {
      assertEquals(c[1], RelativePositionBias.bucket(c[0], 320, 800), "relative position " + c[0]);
    }
  }

  /** bias[h][i][j] = table[bucket(j - i)][h]; with 8 buckets and max distance 16: 0,1 exact. */
  @Test
  void positionBiasLooksUpTheBucketOfEveryQueryKeyPair() {
    try (NDManager manager = Torch.newManager()) {
      float[] table = new float[8 * 2];
      for (int bucket = 0; bucket < 8; bucket++) {
        for (int h = 0; h < 2; h++) {
          table[bucket * 2 + h] = 10 * bucket + h;
        }
      }
      RelativePositionBias bias =
          new RelativePositionBias(manager.create(table, new Shape(8, 2)), 8, 16);
      // Buckets, 4 per direction, 2 exact: j - i = 0 -> 0, -1 -> 1, -2 -> 2 (ln 1 = 0),
      // +1 -> 4 + 1 = 5, +2 -> 4 + 2 = 6.
      float[] expected = {
        0, 50, 60, 10, 0, 50, 20, 10, 0, // head 0: 10 * bucket
        1, 51, 61, 11, 1, 51, 21, 11, 1, // head 1: 10 * bucket + 1
      };
      NDArray computed = bias.compute(3, manager);
      assertArrayEquals(new long[] {2, 3, 3}, computed.getShape().getShape());
      assertArrayEquals(expected, computed.toFloatArray(), 0f);
    }
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  /**
   * The gate of head h at frame t: from the head's slice x of the attention input, the 8 outputs
   * of the gate's Linear(head_dim, 8) summed in groups of 4 give a = sigmoid(sum of the first 4)
   * and b = sigmoid(sum of the last 4); gate = a * (b * c_h - 1) + 2 scales row t of the bias.
   */
  @Test
  void gateScalesEachQueryRowOfTheBias() {
    // Weight rows: out0 = x0, out1 = x1, out4 = x0 - x1, others 0; biases: out0 +0.5, out4 -0.25.
    // So group a = x0 + x1 + 0.5, group b = x0 - x1 - 0.25.
    float[] weight = {1, 0, 0, 1, 0, 0, 0, 0, 1, -1, 0, 0, 0, 0, 0, 0};
    float[] linearBias = {0.5f, 0, 0, 0, -0.25f, 0, 0, 0};
    float[] constant = {1.0f, 0.5f};
    Map<String, TensorData> tensors = new LinkedHashMap<>();
    tensors.put("g.gru_rel_pos_const", TensorData.f32(new long[] {1, 2, 1, 1}, constant));
    tensors.put("g.gru_rel_pos_linear.weight", TensorData.f32(new long[] {8, 2}, weight));
    tensors.put("g.gru_rel_pos_linear.bias", TensorData.f32(new long[] {8}, linearBias));
    float[][] x = {{0.2f, -0.4f, 1.0f, 0.3f}, {-1.0f, 0.5f, 0.0f, 2.0f}}; // [T=2, D=4]
    float[][][] bias = {{{1, 2}, {3, 4}}, {{-1, 0.5f}, {2, -2}}}; // [H=2, T, T]
    float[] xFlat = {0.2f, -0.4f, 1.0f, 0.3f, -1.0f, 0.5f, 0.0f, 2.0f};
    float[] biasFlat = {1, 2, 3, 4, -1, 0.5f, 2, -2};
    try (NDManager manager = Torch.newManager()) {
      WeightSource weights = new WeightSource(tensors, manager);
      PositionBiasGate gate = PositionBiasGate.load(weights, new Architecture.BiasGate(
          new Architecture.Weight("g.gru_rel_pos_const", 1, 2, 1, 1),
          new Architecture.LinearWeights("g.gru_rel_pos_linear", 2, 8)));
      assertTrue(weights.missing().isEmpty() && weights.misshaped().isEmpty());
      NDArray gated = gate.forward(manager.create(xFlat, new Shape(1, 2, 4)),
          manager.create(biasFlat, new Shape(2, 2, 2)));
      assertArrayEquals(new long[] {1, 2, 2, 2}, gated.getShape().getShape());
      float[] actual = gated.toFloatArray();
      // Worked through for head 0, frame 0 (x = 0.2, -0.4, c = 1, bias 1):
      // a = sigmoid(0.3) = 0.574443, b = sigmoid(0.35) = 0.586618,
      // gate = 0.574443 * (0.586618 - 1) + 2 = 1.762536.
      assertEquals(1.762536, actual[0], 1e-6);
      for (int h = 0; h < 2; h++) {
        for (int t = 0; t < 2; t++) {
          double x0 = x[t][2 * h];
          double x1 = x[t][2 * h + 1];
          double a = sigmoid(x0 + x1 + 0.5);
          double b = sigmoid(x0 - x1 - 0.25);
          double g = a * (b * constant[h] - 1) + 2;
          for (int j = 0; j < 2; j++) {
            assertEquals(g * bias[h][t][j], actual[(h * 2 + t) * 2 + j], 1e-6,
                "head " + h + " frame " + t + " key " + j);
          }
        }
      }
    }
  }
}
