package dev.icld.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SignalsTest {
  private static float[] tone(int samples, double amplitude) {
    float[] x = new float[samples];
    for (int i = 0; i < samples; i++) {
      x[i] = (float) (amplitude * Math.sin(2 * Math.PI * 440 * i / 16000.0));
    }
    return x;
  }

  private static float[] concat(float[]... parts) {
    int n = 0;
    for (float[] p : parts) {
      n += p.length;
    }
    float[] out = new float[n];
    int at = 0;
    for (float[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  @Test
  void trimmingKeepsTheSoundWithTwentyMillisecondsOfMarginEachSide() {
    float[] x = concat(new float[8000], tone(4000, 0.5), new float[8000]);
    float[] trimmed = Signals.trimSilence(x, 40);
    assertEquals(4000 + 2 * 320, trimmed.length);
  }

  @Test
  void splittingAtPausesFindsEachUtteranceButNotShortGaps() {
    float[] x = concat(new float[3000], tone(4000, 0.5), new float[800], tone(2000, 0.3),
        new float[9000], tone(5000, 0.4), new float[9000], tone(3000, 0.2), new float[100]);
    List<float[]> pieces = Signals.splitAtPauses(x, 6400);
    assertEquals(3, pieces.size());
    assertTrue(pieces.get(0).length >= 6800, "the 50 ms gap stays inside the first piece");
  }

  @Test
  void noiseIsAddedAtTheRequestedSnr() {
    float[] clip = concat(new float[4000], tone(8000, 0.3), new float[4000]);
    float[] speech = clip.clone();
    float[] noise = new float[clip.length];
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (float) (r.nextDouble() - 0.5);
    }
    Signals.addAtSnr(clip, 4000, 12000, noise, 12.5);
    float[] added = new float[clip.length];
    for (int i = 0; i < clip.length; i++) {
      added[i] = clip[i] - speech[i];
    }
    double snr = 10 * Math.log10(Signals.meanSquare(speech, 4000, 12000)
        / Signals.meanSquare(added, 0, added.length));
    assertEquals(12.5, snr, 1e-3);
  }

  @Test
  void speedChangeShortensTheSignalByTheFactor() {
    assertEquals(9091, Signals.changeSpeed(new float[10000], 1.1).length, 1);
    float[] ramp = new float[100];
    for (int i = 0; i < ramp.length; i++) {
      ramp[i] = i;
    }
    float[] slow = Signals.changeSpeed(ramp, 0.5);
    assertEquals(2.5f, slow[5], 1e-6f);
  }

  @Test
  void loopedSegmentsWrapAroundShortSources() {
    float[] s = Signals.loopedSegment(new float[] {1, 2, 3}, 2, 5);
    assertEquals(List.of(3f, 1f, 2f, 3f, 1f), List.of(s[0], s[1], s[2], s[3], s[4]));
  }
}
