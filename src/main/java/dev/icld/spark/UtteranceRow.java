package dev.icld.spark;

import dev.icld.eval.UtteranceRunner;
import dev.icld.metrics.ErrorRates;
import dev.icld.metrics.Outcome;
import java.io.Serializable;

/**
 * One utterance under one method, budget and draw: a row of the evaluation's Parquet table
 * ({@code utterances.parquet} beside the report). A Java bean, as Spark's bean encoder wants;
 * edit counts are null for classification.
 */
public class UtteranceRow implements Serializable {
  private static final long serialVersionUID = 1L;

  private int utterance;
  private String audio;
  private String method;
  private int budget;
  private int draw;
  private String mask;
  private int executedLayers;
  private int exitLayer;
  private String prediction;
  private boolean correct;
  private Long wordSubstitutions;
  private Long wordDeletions;
  private Long wordInsertions;
  private Long referenceWords;
  private Long characterSubstitutions;
  private Long characterDeletions;
  private Long characterInsertions;
  private Long referenceCharacters;
  private long latencyNanos;

  /** The row of one answer. */
  static UtteranceRow of(String method, int budget, int draw, String audio,
      UtteranceRunner.Answer answer) {
    Outcome o = answer.outcome();
    UtteranceRow row = new UtteranceRow();
    row.utterance = o.utterance();
    row.audio = audio;
    row.method = method;
    row.budget = budget;
    row.draw = draw;
    StringBuilder mask = new StringBuilder();
    for (boolean ran : o.mask()) {
      mask.append(ran ? '1' : '0');
    }
    row.mask = mask.toString();
    row.executedLayers = o.executedLayers();
    row.exitLayer = o.exit();
    row.prediction = answer.prediction();
    row.correct = o.correct();
    if (o.words() != null) {
      row.wordSubstitutions = o.words().substitutions();
      row.wordDeletions = o.words().deletions();
      row.wordInsertions = o.words().insertions();
      row.referenceWords = o.words().referenceLength();
    }
    if (o.characters() != null) {
      row.characterSubstitutions = o.characters().substitutions();
      row.characterDeletions = o.characters().deletions();
      row.characterInsertions = o.characters().insertions();
      row.referenceCharacters = o.characters().referenceLength();
    }
    row.latencyNanos = o.nanos();
    return row;
  }

  /** The outcome this row records, as the local comparison would have it. */
  Outcome outcome() {
    boolean[] ran = new boolean[mask.length()];
    for (int l = 0; l < ran.length; l++) {
      ran[l] = mask.charAt(l) == '1';
    }
    ErrorRates.Counts words = wordSubstitutions == null ? null : new ErrorRates.Counts(
        wordSubstitutions, wordDeletions, wordInsertions, referenceWords);
    ErrorRates.Counts characters = characterSubstitutions == null ? null
        : new ErrorRates.Counts(characterSubstitutions, characterDeletions, characterInsertions,
            referenceCharacters);
    return new Outcome(utterance, ran, exitLayer, correct, words, characters, latencyNanos);
  }

  /** The test set index (the manifest's order, bad lines left out). */
  public int getUtterance() {
    return utterance;
  }

  public void setUtterance(int utterance) {
    this.utterance = utterance;
  }

  /** The audio path as the manifest gives it. */
  public String getAudio() {
    return audio;
  }

  public void setAudio(String audio) {
    this.audio = audio;
  }

  public String getMethod() {
    return method;
  }

  public void setMethod(String method) {
    this.method = method;
  }

  public int getBudget() {
    return budget;
  }

  public void setBudget(int budget) {
    this.budget = budget;
  }

  public int getDraw() {
    return draw;
  }

  public void setDraw(int draw) {
    this.draw = draw;
  }

  /** Which layers ran, first layer first: '1' ran, '0' skipped. */
  public String getMask() {
    return mask;
  }

  public void setMask(String mask) {
    this.mask = mask;
  }

  public int getExecutedLayers() {
    return executedLayers;
  }

  public void setExecutedLayers(int executedLayers) {
    this.executedLayers = executedLayers;
  }

  /** The layer after which the output was read. */
  public int getExitLayer() {
    return exitLayer;
  }

  public void setExitLayer(int exitLayer) {
    this.exitLayer = exitLayer;
  }

  /** The predicted label, or the transcript. */
  public String getPrediction() {
    return prediction;
  }

  public void setPrediction(String prediction) {
    this.prediction = prediction;
  }

  public boolean isCorrect() {
    return correct;
  }

  public void setCorrect(boolean correct) {
    this.correct = correct;
  }

  public Long getWordSubstitutions() {
    return wordSubstitutions;
  }

  public void setWordSubstitutions(Long wordSubstitutions) {
    this.wordSubstitutions = wordSubstitutions;
  }

  public Long getWordDeletions() {
    return wordDeletions;
  }

  public void setWordDeletions(Long wordDeletions) {
    this.wordDeletions = wordDeletions;
  }

  public Long getWordInsertions() {
    return wordInsertions;
  }

  public void setWordInsertions(Long wordInsertions) {
    this.wordInsertions = wordInsertions;
  }

  public Long getReferenceWords() {
    return referenceWords;
  }

  public void setReferenceWords(Long referenceWords) {
    this.referenceWords = referenceWords;
  }

  public Long getCharacterSubstitutions() {
    return characterSubstitutions;
  }

  public void setCharacterSubstitutions(Long characterSubstitutions) {
    this.characterSubstitutions = characterSubstitutions;
  }

  public Long getCharacterDeletions() {
    return characterDeletions;
  }

  public void setCharacterDeletions(Long characterDeletions) {
    this.characterDeletions = characterDeletions;
  }

  public Long getCharacterInsertions() {
    return characterInsertions;
  }

  public void setCharacterInsertions(Long characterInsertions) {
    this.characterInsertions = characterInsertions;
  }

  public Long getReferenceCharacters() {
    return referenceCharacters;
  }

  public void setReferenceCharacters(Long referenceCharacters) {
    this.referenceCharacters = referenceCharacters;
  }

  /** Wall-clock time of the pass on its executor. */
  public long getLatencyNanos() {
    return latencyNanos;
  }

  public void setLatencyNanos(long latencyNanos) {
    this.latencyNanos = latencyNanos;
  }
}
