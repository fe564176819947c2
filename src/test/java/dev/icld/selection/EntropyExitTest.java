package dev.icld.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EntropyExitTest {
  @Test
  void entropyInNats() {
    assertEquals(Math.log(4), EntropyExit.entropy(new float[] {0.25f, 0.25f, 0.25f, 0.25f}), 1e-6);
    assertEquals(0, EntropyExit.entropy(new float[] {1, 0, 0}), 1e-12);
    float[][] frames = {{0.5f, 0.5f}, {1, 0}, {0.3f, 0.7f}};
    assertEquals(Math.log(2) / 2, EntropyExit.meanFrameEntropy(frames, 2), 1e-6);
  }

  /** Three utterances over four exits, fed one exit at a time as evaluation would. */
  @Test
  void stopsAtTheFirstConfidentExitAndOnlyAsksForTheRunningUtterances() {
    ExitDecision decision = new EntropyExit(0.5, 4).start(3);
    assertArrayEquals(new int[] {0, 1, 2}, decision.running());
    assertArrayEquals(new int[] {1}, decision.observe(new int[] {0, 1, 2}, new double[] {0.9, 0.2, 0.7}));
    assertArrayEquals(new int[] {0, 2}, decision.running());
    assertArrayEquals(new int[] {2},
        decision.observePosteriors(new int[] {0, 2}, new float[][] {{0.5f, 0.5f}, {0.99f, 0.01f}}));
    assertEquals(3, decision.nextExit());
    assertArrayEquals(new int[] {}, decision.observe(new int[] {0}, new double[] {0.6}));
    // The last exit stops everyone, confident or not.
    assertArrayEquals(new int[] {0}, decision.observe(new int[] {0}, new double[] {3.0}));
    assertTrue(decision.finished());
    Selection s = decision.selection();
    assertEquals(4, s.exit(0));
    assertEquals(1, s.exit(1));
    assertEquals(2, s.exit(2));
    assertArrayEquals(new boolean[] {true, true, false, false}, s.mask(2));
    assertEquals((4 + 1 + 2) / 3.0, s.meanKeptLayers(), 1e-12);
  }

  @Test
  void feedingTheWrongUtterancesIsRefused() {
    ExitDecision decision = new EntropyExit(0.5, 3).start(2);
    decision.observe(new int[] {0, 1}, new double[] {0.1, 0.9});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> decision.observe(new int[] {0, 1}, new double[] {0.1, 0.9}));
    assertTrue(e.getMessage().contains("running utterances [1]"), e.getMessage());
    assertThrows(IllegalStateException.class, decision::selection);
  }

  @Test
  void zeroThresholdNeverExitsEarly() {
    EntropyExit never = new EntropyExit(0, 3);
    assertEquals(3, never.exitFor(new double[] {0, 0, 0}));
  }

  @Test
  void calibrationFindsTheSmallestThresholdWithinTheMeanBudget() {
    double[][] entropies = {
      {0.1, 0.1, 0.1, 0.1},
      {0.8, 0.3, 0.2, 0.1},
      {0.9, 0.9, 0.6, 0.1},
      {0.9, 0.9, 0.9, 0.9},
    };
    // Mean exit 2.5 at most: threshold just above 0.3 exits at 1, 2, 4, 4 (mean 2.75, too many);
    // just above 0.6 exits at 1, 2, 3, 4 (mean 2.5).
    EntropyExit rule = EntropyExit.calibrate(entropies, 2.5);
    assertEquals(Math.nextUp(0.6), rule.threshold(), 0);
    EntropyExit all = EntropyExit.calibrate(entropies, 4);
    assertEquals(0, all.threshold(), 0);
    assertThrows(IllegalArgumentException.class, () -> EntropyExit.calibrate(entropies, 0.5));
  }
}
