package dev.icld.metrics;

import java.util.List;

/**
 * The task metric over a set of outcomes: accuracy for classification, corpus WER and CER for
 * ASR (edits of all utterances over the reference length of all utterances).
 */
public final class MetricTally {
  private long utterances;
  private long correct;
  private long wordEdits;
  private long words;
  private long characterEdits;
  private long characters;

  public static MetricTally of(List<Outcome> outcomes) {
    MetricTally tally = new MetricTally();
    outcomes.forEach(tally::add);
    return tally;
  }

  public void add(Outcome outcome) {
    utterances++;
    correct += outcome.correct() ? 1 : 0;
    if (outcome.words() != null) {
      wordEdits += outcome.words().edits();
      words += outcome.words().referenceLength();
      characterEdits += outcome.characters().edits();
      characters += outcome.characters().referenceLength();
    }
  }

  public long utterances() {
    return utterances;
  }

  public double accuracy() {
    return utterances == 0 ? 0 : correct / (double) utterances;
  }

  public double wer() {
    return ratio(wordEdits, words);
  }

  public double cer() {
    return ratio(characterEdits, characters);
  }

  private static double ratio(long edits, long length) {
    if (length == 0) {
      return edits == 0 ? 0 : Double.POSITIVE_INFINITY;
    }
    return edits / (double) length;
  }

  /** Higher is better: accuracy, or minus the WER. */
  public double score(boolean classification) {
    return classification ? accuracy() : -wer();
  }
}
