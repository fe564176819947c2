package dev.icld.inference;

import dev.icld.data.CharacterVocabulary;
import dev.icld.metrics.ErrorRates;
import dev.icld.metrics.Outcome;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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

  /**
   * This output scored against its reference, as every report scores it: whether the label is
   * the reference label, or the transcript's word and character edits against the reference
   * transcript spelled in the character vocabulary.
   *
   * @param utterance the utterance's index in its split
   * @param mask which layers ran
   * @param exit the layer after which the output was read
   * @param nanos how long the pass took
   */
  public Outcome outcome(int utterance, boolean[] mask, int exit, String reference, long nanos) {
    if (isClassification()) {
      return new Outcome(utterance, mask, exit, label.equals(reference), null, null, nanos);
    }
    String spelled = CharacterVocabulary.decode(CharacterVocabulary.encode(reference));
    return new Outcome(utterance, mask, exit, false,
        ErrorRates.wordCounts(List.of(spelled), List.of(transcript)),
        ErrorRates.characterCounts(List.of(spelled), List.of(transcript)), nanos);
  }
}
