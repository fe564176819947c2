package dev.icld.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parity with torch.nn.functional.ctc_loss (scripts/fixtures/make_ctc_fixtures.py). */
class CtcLossTest {
  private static final double RELATIVE_TOLERANCE = 1e-4;

  @Test
  void lossesAndGradientsMatchTorch() throws Exception {
    for (JsonObject c : cases()) {
      String name = c.get("name").getAsString();
      JsonArray shape = c.getAsJsonArray("shape");
      int batch = shape.get(0).getAsInt();
      int frames = shape.get(1).getAsInt();
      int classes = shape.get(2).getAsInt();
      float[] logProbs = logSoftmax(floats(c.getAsJsonArray("logits")), classes);
      int[] lengths = ints(c.getAsJsonArray("input_lengths"));
      JsonArray t = c.getAsJsonArray("targets");
      int[][] targets = new int[t.size()][];
      for (int b = 0; b < t.size(); b++) {
        targets[b] = ints(t.get(b).getAsJsonArray());
      }
      boolean zeroInfinity = c.get("zero_infinity").getAsBoolean();

      CtcLoss.Result none =
          new CtcLoss(0, zeroInfinity, CtcLoss.Reduction.NONE)
              .compute(logProbs, batch, frames, classes, lengths, targets);
      float[] expectedNone = floats(c.getAsJsonArray("loss_none"));
      for (int b = 0; b < batch; b++) {
        assertClose(expectedNone[b], none.perUtterance()[b], name + " utterance " + b);
      }
      assertClose(
          c.get("loss_sum").getAsDouble(),
          new CtcLoss(0, zeroInfinity, CtcLoss.Reduction.SUM)
              .compute(logProbs, batch, frames, classes, lengths, targets)
              .loss(),
          name + " sum");

      CtcLoss.Result mean =
          new CtcLoss(0, zeroInfinity, CtcLoss.Reduction.MEAN)
              .compute(logProbs, batch, frames, classes, lengths, targets);
      assertClose(c.get("loss_mean").getAsDouble(), mean.loss(), name + " mean");
      float[] expectedGrad = floats(c.getAsJsonArray("grad_mean"));
      double maxGrad = 0;
      for (float g : expectedGrad) {
        maxGrad = Math.max(maxGrad, Math.abs(g));
      }
      for (int i = 0; i < expectedGrad.length; i++) {
        // Relative to the largest gradient entry: entries near zero have no meaningful ratio.
        double diff = Math.abs(expectedGrad[i] - mean.logitGradient()[i]);
        assertTrue(
            diff <= RELATIVE_TOLERANCE * maxGrad,
            name + " gradient " + i + ": expected " + expectedGrad[i] + ", got "
                + mean.logitGradient()[i]);
      }
    }
  }

  @Test
  void impossibleAlignmentIsInfiniteWithoutZeroInfinity() {
    float[] logProbs = logSoftmax(new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f}, 3);
    CtcLoss.Result r =
        new CtcLoss(0, false, CtcLoss.Reduction.SUM)
            .compute(logProbs, 1, 2, 3, new int[] {2}, new int[][] {{1, 1}});
    assertEquals(Double.POSITIVE_INFINITY, r.perUtterance()[0]);
    for (float g : r.logitGradient()) {
      assertEquals(0f, g);
    }
  }

  @Test
  void rejectsBlankInTargetAndBadLengths() {
    CtcLoss ctc = new CtcLoss(0, true, CtcLoss.Reduction.MEAN);
    float[] logProbs = new float[2 * 3];
    IllegalArgumentException blank =
        assertThrows(IllegalArgumentException.class,
            () -> ctc.compute(logProbs, 1, 2, 3, new int[] {2}, new int[][] {{0}}));
    assertTrue(blank.getMessage().contains("blank"));
    assertThrows(IllegalArgumentException.class,
        () -> ctc.compute(logProbs, 1, 2, 3, new int[] {3}, new int[][] {{1}}));
    assertThrows(IllegalArgumentException.class,
        () -> ctc.compute(logProbs, 1, 2, 4, new int[] {2}, new int[][] {{1}}));
  }

  private static void assertClose(double expected, double actual, String what) {
    assertTrue(
        Math.abs(expected - actual) <= RELATIVE_TOLERANCE * Math.max(1, Math.abs(expected)),
        what + ": expected " + expected + ", got " + actual);
  }

  private static float[] logSoftmax(float[] logits, int classes) {
    float[] out = new float[logits.length];
    for (int row = 0; row < logits.length; row += classes) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        max = Math.max(max, logits[row + c]);
      }
      double sum = 0;
      for (int c = 0; c < classes; c++) {
        sum += Math.exp(logits[row + c] - max);
      }
      double logSum = max + Math.log(sum);
      for (int c = 0; c < classes; c++) {
        out[row + c] = (float) (logits[row + c] - logSum);
      }
    }
    return out;
  }

  private static List<JsonObject> cases() throws Exception {
    try (Reader r =
        new InputStreamReader(
            CtcLossTest.class.getResourceAsStream("/ctc/ctc_cases.json"), StandardCharsets.UTF_8)) {
      List<JsonObject> out = new ArrayList<>();
      for (JsonElement e : JsonParser.parseReader(r).getAsJsonObject().getAsJsonArray("cases")) {
        out.add(e.getAsJsonObject());
      }
      return out;
    }
  }

  private static float[] floats(JsonArray a) {
    float[] out = new float[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).getAsFloat();
    }
    return out;
  }

  private static int[] ints(JsonArray a) {
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).getAsInt();
    }
    return out;
  }
}
