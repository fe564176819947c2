package dev.icld.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpeedPerturbationTest {
  @TempDir Path dir;

  @Test
  void factorsAreUniformInRangeAndAFunctionOfSeedEpochAndUtterance() {
    SpeedPerturbation speeds = new SpeedPerturbation(0.9, 1.1, 7);
    double sum = 0;
    for (int u = 0; u < 2000; u++) {
      double f = speeds.factor(3, u);
      assertTrue(f >= 0.9 && f < 1.1, "factor " + f);
      assertEquals(f, new SpeedPerturbation(0.9, 1.1, 7).factor(3, u));
      sum += f;
    }
    assertEquals(1.0, sum / 2000, 0.01);
    assertNotEquals(speeds.factor(3, 5), speeds.factor(4, 5));
    assertNotEquals(speeds.factor(3, 5), new SpeedPerturbation(0.9, 1.1, 8).factor(3, 5));
    assertEquals(1.05, new SpeedPerturbation(1.05, 1.05, 1).factor(0, 0));
  }

  @Test
  void playingFasterRaisesTheFrequencyAndShortensTheAudio() {
    int n = 16000;
    float[] tone = new float[n];
    for (int i = 0; i < n; i++) {
      tone[i] = (float) Math.sin(2 * Math.PI * 200 * i / 16000.0);
    }
    float[] faster = SpeedPerturbation.apply(tone, 1.25);
    assertEquals(12800, faster.length);
    // 200 Hz played 1.25 times as fast is 250 Hz: 500 zero crossings a second.
    assertEquals(250 * 2 * faster.length / 16000.0, crossings(faster), 3);
    float[] slower = SpeedPerturbation.apply(tone, 0.8);
    assertEquals(20000, slower.length);
    assertEquals(160 * 2 * slower.length / 16000.0, crossings(slower), 3);
    assertSame(tone, SpeedPerturbation.apply(tone, 1.0));
  }

  private static int crossings(float[] x) {
    int count = 0;
    for (int i = 1; i < x.length; i++) {
      if ((x[i - 1] < 0) != (x[i] < 0)) {
        count++;
      }
    }
    return count;
  }

  @Test
  void refusesBadRangesWithTheOptionsWords() {
    assertEquals(0.9, SpeedPerturbation.parse("0.9, 1.1", 1).min());
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> SpeedPerturbation.parse("1.1", 1)).getMessage().contains("MIN,MAX"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> SpeedPerturbation.parse("a,b", 1)).getMessage().contains("two numbers"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> SpeedPerturbation.parse("1.2,0.9", 1)).getMessage().contains("min <= max"));
    assertThrows(IllegalArgumentException.class, () -> SpeedPerturbation.parse("0.1,1", 1));
    assertThrows(IllegalArgumentException.class, () -> SpeedPerturbation.parse("NaN,1", 1));
  }

  @Test
  void aLoaderPerturbsItsEpochsButLoadsAsRecordedOtherwise() throws IOException {
    List<ManifestEntry> entries = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      CorpusFixtures.tone(dir.resolve("u" + i + ".wav"), 3200, i);
      entries.add(new ManifestEntry("u" + i + ".wav", 0.2, "yes", null, "s" + i, "test"));
    }
    Corpus corpus = Corpus.load(CorpusFixtures.manifest(dir.resolve("train.jsonl"), entries),
        LoadOptions.of(TargetKind.NONE).cachingAudio());
    SpeedPerturbation speeds = new SpeedPerturbation(0.8, 1.2, 3);
    try (BatchLoader loader = new BatchLoader(corpus, null,
        BatchSampler.Options.training(1, 0, 3), 0, speeds)) {
      assertTrue(loader.perturbs());
      int[] plan = loader.plan(2).get(0);
      Batch perturbed = loader.epoch(2).next();
      float[] expected = SpeedPerturbation.apply(corpus.samples(plan[0]),
          speeds.factor(2, plan[0]));
      assertEquals(expected.length, perturbed.lengths()[0]);
      assertArrayEquals(expected, Arrays.copyOf(perturbed.audio()[0], expected.length));
      assertArrayEquals(perturbed.audio()[0], loader.load(plan, 2).audio()[0]);
      assertArrayEquals(corpus.samples(plan[0]), loader.load(plan).audio()[0]);
    }
  }
}
