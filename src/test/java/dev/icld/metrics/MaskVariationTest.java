package dev.icld.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MaskVariationTest {
  private static final boolean[] FIRST_TWO = {true, true, false};
  private static final boolean[] OUTER = {true, false, true};
  private static final boolean[] LAST_TWO = {false, true, true};

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  @Test
  void oneMaskForEveryInputVariesNotAtAllAndSaysNothingOfTheClass() {
    MaskVariation v = MaskVariation.of(List.of(OUTER, OUTER, OUTER, OUTER), new int[] {0, 1, 2, 1});
    assertEquals(new MaskVariation(1, 1, 0, 0, 0), v);
  }

  @Test
  void aMaskPerClassCarriesTheWholeClass() {
    // Classes 0, 0, 0, 1 on masks A, A, A, B: I = H(class) = H(3/4, 1/4), all of H(mask).
    MaskVariation v = MaskVariation.of(List.of(FIRST_TWO, FIRST_TWO, FIRST_TWO, OUTER),
        new int[] {0, 0, 0, 1});
    double classEntropy = 2 - 0.75 * log2(3);
    assertEquals(2, v.distinctMasks());
    assertEquals(0.75, v.mostCommonMaskShare(), 1e-12);
    // Layer 2 runs in 3 of 4 utterances, layer 3 in 1: 3 + 3 differing pairs of 6.
    assertEquals(1.0, v.meanPairwiseHamming(), 1e-12);
    assertEquals(classEntropy, v.mutualInformationBits(), 1e-12);
    assertEquals(1.0, v.normalisedMutualInformation(), 1e-12);
  }

  @Test
  void everyMaskDistinct() {
    boolean[][] oneHot = {{true, false, false}, {false, true, false}, {false, false, true}};
    MaskVariation v = MaskVariation.of(List.of(oneHot), new int[] {0, 1, 2});
    assertEquals(3, v.distinctMasks());
    assertEquals(1 / 3.0, v.mostCommonMaskShare(), 1e-12);
    assertEquals(2.0, v.meanPairwiseHamming(), 1e-12);
    assertEquals(log2(3), v.mutualInformationBits(), 1e-12);
    assertEquals(1.0, v.normalisedMutualInformation(), 1e-12);
  }

  @Test
  void aSmallCaseByHand() {
    // Masks 110, 110, 101, 011: pairs differ in 0, 2, 2, 2, 2, 2 layers, 10 over 6 pairs; the
    // per-layer counts 3, 3, 2 give 3*1 + 3*1 + 2*2 = 10 as well.
    List<boolean[]> masks = List.of(FIRST_TWO, FIRST_TWO, OUTER, LAST_TWO);
    MaskVariation noClasses = MaskVariation.of(masks, null);
    assertEquals(3, noClasses.distinctMasks());
    assertEquals(0.5, noClasses.mostCommonMaskShare(), 1e-12);
    assertEquals(10 / 6.0, noClasses.meanPairwiseHamming(), 1e-12);
    assertTrue(Double.isNaN(noClasses.mutualInformationBits()));
    assertTrue(Double.isNaN(noClasses.normalisedMutualInformation()));
    // Classes 0, 1, 0, 0: H(mask) = 1.5, H(class) = 2 - 3/4 log2 3, H(mask, class) = 2
    // (counts 1, 1, 1, 1), so I = 1.5 - 3/4 log2 3 ~ 0.311, a share 0.208 of H(mask).
    MaskVariation v = MaskVariation.of(masks, new int[] {0, 1, 0, 0});
    double information = 1.5 + (2 - 0.75 * log2(3)) - 2;
    assertEquals(information, v.mutualInformationBits(), 1e-12);
    assertEquals(information / 1.5, v.normalisedMutualInformation(), 1e-12);
  }

  @Test
  void drawsAreMeasuredEachOnItsOwnAndAveraged() {
    boolean[] left = {true, false};
    boolean[] right = {false, true};
    // Draw 0: both utterances on one mask; draw 1: one mask each. Listed out of order: the k-th
    // outcome of an utterance is its draw k.
    List<Outcome> outcomes = List.of(outcome(1, left), outcome(0, left), outcome(0, left),
        outcome(1, right));
    MaskVariation v = MaskVariation.overDraws(outcomes, new int[] {0, 1});
    assertEquals(1.5, v.distinctMasks(), 1e-12);
    assertEquals(0.75, v.mostCommonMaskShare(), 1e-12);
    assertEquals(1.0, v.meanPairwiseHamming(), 1e-12);
    assertEquals(0.5, v.mutualInformationBits(), 1e-12);
    assertEquals(0.5, v.normalisedMutualInformation(), 1e-12);
  }

  private static Outcome outcome(int utterance, boolean[] mask) {
    return new Outcome(utterance, mask, mask.length - 1, false, null, null, 0);
  }

  @Test
  void refusesWhatCannotBeMeasured() {
    assertThrows(IllegalArgumentException.class, () -> MaskVariation.of(List.of(), null));
    assertThrows(IllegalArgumentException.class,
        () -> MaskVariation.of(List.of(OUTER, new boolean[] {true, false}), null));
    assertThrows(IllegalArgumentException.class,
        () -> MaskVariation.of(List.of(OUTER, OUTER), new int[] {0}));
    assertThrows(IllegalArgumentException.class, () -> MaskVariation.overDraws(List.of(), null));
  }
}
