package dev.icld.metrics;

/**
 * One utterance's result under one method and budget.
 *
 * @param utterance its index in the corpus
 * @param mask which layers ran (0-based)
 * @param exit the layer after which the output was read
 * @param correct classification: whether the prediction was the label (false for ASR)
 * @param words ASR: word edit counts against the reference (null for classification)
 * @param characters ASR: character edit counts (null for classification)
 * @param nanos wall-clock time of the whole pass (front end, selection, layers, head, decoding)
 */
public record Outcome(int utterance, boolean[] mask, int exit, boolean correct,
    ErrorRates.Counts words, ErrorRates.Counts characters, long nanos) {
  public Outcome {
    mask = mask.clone();
  }

  @Override
  public boolean[] mask() {
    return mask.clone();
  }

  public int executedLayers() {
    int n = 0;
    for (boolean run : mask) {
      n += run ? 1 : 0;
    }
    return n;
  }
}
