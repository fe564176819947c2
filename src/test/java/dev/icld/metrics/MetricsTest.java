package dev.icld.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {
  @Test
  void wordErrorsCountSubstitutionsDeletionsInsertions() {
    assertEquals(new ErrorRates.Counts(1, 0, 0, 3), ErrorRates.wordCounts(List.of("a b c"), List.of("a x c")));
    assertEquals(new ErrorRates.Counts(0, 1, 0, 3), ErrorRates.wordCounts(List.of("a b c"), List.of("a c")));
    assertEquals(new ErrorRates.Counts(0, 0, 1, 2), ErrorRates.wordCounts(List.of("a c"), List.of("a b c")));
    // Three edits whichever way they are aligned, over 6 reference words.
    assertEquals(
        0.5, ErrorRates.wer(List.of("the cat sat on the mat"), List.of("the bat sat on mat please")),
        1e-12);
  }

  @Test
  void errorRateIsCorpusLevelNotMeanOfUtterances() {
    // 1 error in a 1-word utterance and 0 in a 9-word one: corpus WER 1/10, not mean(1, 0) = 0.5.
    List<String> refs = List.of("hello", "one two three four five six seven eight nine");
    List<String> hyps = List.of("yellow", "one two three four five six seven eight nine");
    assertEquals(0.1, ErrorRates.wer(refs, hyps), 1e-12);
  }

  @Test
  void characterErrorsIncludeSpaces() {
    // "ab cd" -> "abcd": the space is deleted, 1 edit over 5 characters.
    assertEquals(0.2, ErrorRates.cer(List.of("ab cd"), List.of("abcd")), 1e-12);
    assertEquals(0.0, ErrorRates.cer(List.of("  ab   cd "), List.of("ab cd")), 1e-12);
  }

  @Test
  void emptyHypothesisDeletesEverythingAndEmptyReferenceIsHandled() {
    assertEquals(1.0, ErrorRates.wer(List.of("a b c"), List.of("")), 1e-12);
    assertEquals(0.0, ErrorRates.wer(List.of(""), List.of("")), 1e-12);
    assertEquals(Double.POSITIVE_INFINITY, ErrorRates.wer(List.of(""), List.of("extra")));
    assertThrows(IllegalArgumentException.class, () -> ErrorRates.wer(List.of("a"), List.of()));
  }

  @Test
  void accuracyAndMacroF1() {
    int[] labels = {0, 0, 1, 1, 2, 2};
    int[] predictions = {0, 1, 1, 1, 2, 0};
    assertEquals(4 / 6.0, ClassificationMetrics.accuracy(labels, predictions), 1e-12);
    // class 0: tp 1, actual 2, predicted 2 -> F1 0.5; class 1: tp 2, actual 2, predicted 3 -> 0.8;
    // class 2: tp 1, actual 2, predicted 1 -> 2/3. Macro mean = (0.5 + 0.8 + 2/3) / 3.
    assertEquals(
        (0.5 + 0.8 + 2 / 3.0) / 3, ClassificationMetrics.macroF1(labels, predictions, 4), 1e-12);
    assertThrows(IllegalArgumentException.class,
        () -> ClassificationMetrics.macroF1(new int[] {5}, new int[] {0}, 3));
  }
}
