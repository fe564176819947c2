package dev.icld.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the task head made of one input: a class label with every class's probability, or a
 * transcript (greedy CTC).
 *
 * @param label the most probable class, or null for a transcription model
 * @param probabilities each class's probability in the model's label order (empty for CTC)
 * @param transcript the greedy CTC transcript, or null for a classification model
 */
public record TaskOutput(String label, Map<String, Double> probabilities, String transcript) {
  public TaskOutput {
    probabilities = Collections.unmodifiableMap(new LinkedHashMap<>(probabilities));
  }

  public static TaskOutput classification(String label, Map<String, Double> probabilities) {
    return new TaskOutput(label, probabilities, null);
  }

  public static TaskOutput transcript(String transcript) {
    return new TaskOutput(null, Map.of(), transcript);
  }

  public boolean isClassification() {
    return label != null;
  }

  /** The label or the transcript. */
  public String text() {
    return isClassification() ? label : transcript;
  }

  /** The probability of the chosen label (classification only). */
  public double confidence() {
    if (!isClassification()) {
      throw new IllegalStateException("a transcript has no class probability");
    }
    return probabilities.get(label);
  }
}
