package dev.icld.inference;

import ai.djl.ndarray.NDArray;
import dev.icld.data.CharacterVocabulary;
import dev.icld.data.LabelVocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last stage of a pass, the one place where logits become answers: for a classifier the most
 * probable class (the first of equals) with every class's probability, for a transcription model
 * greedy CTC over each utterance's valid frames.
 */
public final class OutputDecoder {
  private final LabelVocabulary labels;
  private final CtcGreedyDecoder ctc = new CtcGreedyDecoder(CharacterVocabulary.BLANK);

  /** @param labels a classifier's class labels, or null for a transcription (CTC) model */
  public OutputDecoder(LabelVocabulary labels) {
    this.labels = labels;
  }

  /**
   * @param logits a head's output: [B, classes] for classification, [B, T, classes] for CTC
   * @param frameLengths valid frames per utterance (the rest of a CTC row is padding)
   * @return one output per row, in order
   */
  public List<TaskOutput> decode(NDArray logits, int[] frameLengths) {
    float[] values = logits.toFloatArray();
    long[] shape = logits.getShape().getShape();
    int rows = Math.toIntExact(shape[0]);
    int row = values.length / rows;
    int classes = Math.toIntExact(shape[shape.length - 1]);
    List<TaskOutput> outputs = new ArrayList<>(rows);
    for (int b = 0; b < rows; b++) {
      outputs.add(labels != null
          ? classified(values, b * row, classes)
          : TaskOutput.transcript(CharacterVocabulary.decode(ctc.decode(
              Arrays.copyOfRange(values, b * row, (b + 1) * row), classes, frameLengths[b]))));
    }
    return outputs;
  }

  private TaskOutput classified(float[] logits, int offset, int classes) {
    double[] p = softmax(logits, offset, classes);
    Map<String, Double> probabilities = new LinkedHashMap<>();
    for (int c = 0; c < classes; c++) {
      probabilities.put(labels.label(c), p[c]);
    }
    return TaskOutput.classification(labels.label(argmax(logits, offset, classes)), probabilities);
  }

  /** The index of the largest of {@code count} scores from {@code from}; the first of equals. */
  public static int argmax(float[] scores, int from, int count) {
    int best = 0;
    for (int c = 1; c < count; c++) {
      if (scores[from + c] > scores[from + best]) {
        best = c;
      }
    }
    return best;
  }

  private static double[] softmax(float[] logits, int offset, int classes) {
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < classes; c++) {
      max = Math.max(max, logits[offset + c]);
    }
    double[] p = new double[classes];
    double sum = 0;
    for (int c = 0; c < classes; c++) {
      p[c] = Math.exp(logits[offset + c] - max);
      sum += p[c];
    }
    for (int c = 0; c < classes; c++) {
      p[c] /= sum;
    }
    return p;
  }
}
