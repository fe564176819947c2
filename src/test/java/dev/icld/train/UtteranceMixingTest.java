package dev.icld.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** WavLM-style overlaps: where they go, how loud they are, and what they leave alone. */
class UtteranceMixingTest {
  private static float[][] batch(int[] lengths, Random random) {
    int longest = java.util.Arrays.stream(lengths).max().orElseThrow();
    float[][] audio = new float[lengths.length][longest];
    for (int b = 0; b < lengths.length; b++) {
      for (int i = 0; i < lengths[b]; i++) {
        audio[b][i] = (float) (random.nextGaussian() * 0.1 * (b + 1));
      }
    }
    return audio;
  }

  @Test
  void addsOneStretchOfAnotherUtteranceAtMostHalfAsLongWithinFiveDecibels() {
    int[] lengths = {16000, 12000, 9000, 20000};
    Random data = new Random(1);
    float[][] audio = batch(lengths, data);
    float[][] copy = new float[audio.length][];
    for (int b = 0; b < audio.length; b++) {
      copy[b] = audio[b].clone();
    }
    UtteranceMixing mixing = new UtteranceMixing(1.0);
    Random random = new Random(7);
    for (int round = 0; round < 20; round++) {
      float[][] mixed = mixing.mix(audio, lengths, random);
      for (int b = 0; b < audio.length; b++) {
        assertArrayEquals(copy[b], audio[b], "the input stays as it was");
        int first = -1;
        int last = -1;
        double addedEnergy = 0;
        for (int i = 0; i < audio[b].length; i++) {
          float added = mixed[b][i] - audio[b][i];
          if (added != 0) {
            first = first < 0 ? i : first;
            last = i;
          }
          addedEnergy += (double) added * added;
        }
        assertTrue(first >= 0, "probability 1: every utterance gets an overlap");
        int span = last - first + 1;
        assertTrue(span <= lengths[b] / 2, "at most half the utterance: " + span);
        assertTrue(last < lengths[b], "never into the padding");
        double mainEnergy = 0;
        for (int i = 0; i < lengths[b]; i++) {
          mainEnergy += (double) audio[b][i] * audio[b][i];
        }
        double ratioDb = 10 * Math.log10((mainEnergy / lengths[b]) / (addedEnergy / span));
        assertTrue(Math.abs(ratioDb) <= UtteranceMixing.MAX_RATIO_DB + 0.2,
            "energy ratio " + ratioDb + " dB");
      }
    }
  }

  @Test
  void leavesTheBatchAloneWhenOffOrAlone() {
    Random data = new Random(2);
    int[] lengths = {8000, 8000};
    float[][] audio = batch(lengths, data);
    float[][] off = new UtteranceMixing(0).mix(audio, lengths, new Random(3));
    assertSame(audio[0], off[0]);
    assertSame(audio[1], off[1]);
    float[][] single = {audio[0]};
    assertSame(audio[0], new UtteranceMixing(1).mix(single, new int[] {8000}, new Random(3))[0]);
  }

  @Test
  void theSameDrawsGiveTheSameMix() {
    int[] lengths = {8000, 6000, 7000};
    float[][] audio = batch(lengths, new Random(4));
    UtteranceMixing mixing = new UtteranceMixing(0.5);
    float[][] a = mixing.mix(audio, lengths, new Random(9));
    float[][] b = mixing.mix(audio, lengths, new Random(9));
    for (int i = 0; i < a.length; i++) {
      assertArrayEquals(a[i], b[i]);
    }
    assertEquals(0.5, mixing.probability());
  }

  @Test
  void refusesAProbabilityOutsideZeroToOne() {
    assertThrows(IllegalArgumentException.class, () -> new UtteranceMixing(-0.1));
    assertThrows(IllegalArgumentException.class, () -> new UtteranceMixing(Double.NaN));
  }
}
