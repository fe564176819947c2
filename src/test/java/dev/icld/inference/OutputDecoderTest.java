package dev.icld.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.icld.data.CharacterVocabulary;
import dev.icld.data.LabelVocabulary;
import dev.icld.model.Torch;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputDecoderTest {
  @Test
  void aClassifierAnswersTheLargestLogitWithEveryProbability() {
    try (NDManager manager = Torch.newManager()) {
      OutputDecoder decoder = new OutputDecoder(LabelVocabulary.of(List.of("yes", "no", "up")));
      List<TaskOutput> outputs = decoder.decode(
          manager.create(new float[] {0, 2, 1, 3, 3, 0}, new Shape(2, 3)), new int[] {1, 1});
      assertEquals("no", outputs.get(0).label());
      double sum = Math.exp(0) + Math.exp(2) + Math.exp(1);
      assertEquals(Math.exp(2) / sum, outputs.get(0).confidence(), 1e-12);
      assertEquals(1, outputs.get(0).probabilities().values().stream()
          .mapToDouble(Double::doubleValue).sum(), 1e-12);
      assertEquals("yes", outputs.get(1).label(), "the first of equal logits");
    }
  }

  @Test
  void aTranscriptionModelDecodesEachRowsValidFrames() {
    int classes = CharacterVocabulary.SIZE;
    int a = CharacterVocabulary.indexOf('a');
    int b = CharacterVocabulary.indexOf('b');
    // Row 0: a a blank b | padding says a; row 1: b, then padding.
    int[][] best = {{a, a, CharacterVocabulary.BLANK, b, a}, {b, a, a, a, a}};
    float[] logits = new float[2 * 5 * classes];
    for (int r = 0; r < 2; r++) {
      for (int t = 0; t < 5; t++) {
        logits[(r * 5 + t) * classes + best[r][t]] = 5f;
      }
    }
    try (NDManager manager = Torch.newManager()) {
      List<TaskOutput> outputs = new OutputDecoder(null)
          .decode(manager.create(logits, new Shape(2, 5, classes)), new int[] {4, 1});
      assertEquals("ab", outputs.get(0).transcript());
      assertEquals("b", outputs.get(1).transcript());
    }
  }

  @Test
  void greedyCtcMergesRepeatsAndDropsBlanks() {
    // argmax per frame: 1 1 0 1 2 2 0 | padding frame says 3 but is beyond the length.
    int[] best = {1, 1, 0, 1, 2, 2, 0, 3};
    float[] scores = new float[best.length * 4];
    for (int t = 0; t < best.length; t++) {
      scores[t * 4 + best[t]] = 5f;
    }
    assertArrayEquals(new int[] {1, 1, 2}, new CtcGreedyDecoder(0).decode(scores, 4, 7));
  }
}
