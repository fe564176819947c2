package dev.icld.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.icld.data.Corpus;
import dev.icld.data.LoadOptions;
import dev.icld.data.TargetKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** k-means targets: lengths, alignment to the encoder's frames, determinism and the cache. */
class ClusterTargetsTest {
  @TempDir Path temp;

  /** The Base conv stack's frames for {@code samples} (kernels 10,3,3,3,3,2,2; strides 5,2,...). */
  private static int baseFrames(int samples) {
    int[] kernels = {10, 3, 3, 3, 3, 2, 2};
    int[] strides = {5, 2, 2, 2, 2, 2, 2};
    int length = samples;
    for (int i = 0; i < kernels.length; i++) {
      length = (length - kernels[i]) / strides[i] + 1;
    }
    return length;
  }

  @Test
  void mfccTargetsLineUpWithTheBaseEncoderAsFairseqCropsThem() {
    TargetAlignment alignment = new TargetAlignment(100, 50);
    assertEquals(49, alignment.usableFrames(49, 98));
    assertEquals(48, alignment.usableFrames(49, 97)); // 2 * 49 > 97: crop to 97 / 2
    assertEquals(6, alignment.labelIndex(3));
    assertArrayEquals(new int[] {10, 12, 14}, alignment.frameLabels(
        new int[] {10, 11, 12, 13, 14, 15, 16}, 3));
    assertArrayEquals(new int[] {10, 12, 14}, alignment.frameLabels(
        new int[] {10, 11, 12, 13, 14, 15}, 4));
    MfccFrameFeatures mfcc = new MfccFrameFeatures();
    for (int samples = 400; samples <= 48_000; samples += 797) {
      int labels = 1 + (samples - 400) / 160; // Kaldi's snip_edges framing at 25 ms / 10 ms
      int frames = baseFrames(samples);
      int usable = alignment.usableFrames(frames, labels);
      assertTrue(usable >= frames - 1 && usable <= frames, samples + " samples: " + usable
          + " of " + frames);
      assertTrue(alignment.labelIndex(usable - 1) < labels);
    }
    assertEquals(1 + (16_000 - 400) / 160, mfcc.compute(new float[16_000]).length);
    assertEquals(39, mfcc.compute(new float[16_000])[0].length);
    assertEquals(0, mfcc.compute(new float[399]).length);
  }

  @Test
  void targetsAreDeterministicCachedAndCoverEveryFrame() throws Exception {
    Path corpusDir = temp.resolve("corpus");
    SpeechFixtures.corpus(corpusDir, new String[] {"a", "b"}, new String[] {"c"}, new String[0],
        3, 8000);
    Corpus corpus = Corpus.load(corpusDir.resolve("train.jsonl"), LoadOptions.of(TargetKind.NONE));
    Corpus dev = Corpus.load(corpusDir.resolve("dev.jsonl"), LoadOptions.of(TargetKind.NONE));
    ClusterTargets.Options options = new ClusterTargets.Options(6, 1000, 30, 5);
    MfccFrameFeatures features = new MfccFrameFeatures();

    ClusterTargets first = ClusterTargets.build(corpus, dev, features, options, temp.resolve("c1"));
    assertFalse(first.fromCache());
    assertEquals(6, first.clusters());
    assertEquals(100, first.frameRate());
    for (Corpus c : List.of(corpus, dev)) {
      for (int i = 0; i < c.size(); i++) {
        assertEquals(1 + (8000 - 400) / 160, first.labels(c.get(i).file()).length);
      }
    }
    assertThrows(IllegalArgumentException.class, () -> first.labels(temp.resolve("other.wav")));
    double[] shares = first.clusterShares();
    assertEquals(1.0, java.util.Arrays.stream(shares).sum(), 1e-9);
    assertTrue(java.util.Arrays.stream(shares).filter(s -> s > 0).count() >= 4,
        java.util.Arrays.toString(shares));

    ClusterTargets cached = ClusterTargets.build(corpus, dev, features, options, temp.resolve("c1"));
    assertTrue(cached.fromCache());
    ClusterTargets fresh = ClusterTargets.build(corpus, dev, features, options, temp.resolve("c2"));
    assertFalse(fresh.fromCache());
    for (int i = 0; i < corpus.size(); i++) {
      Path file = corpus.get(i).file();
      assertArrayEquals(first.labels(file), cached.labels(file));
      assertArrayEquals(first.labels(file), fresh.labels(file));
    }
    assertArrayEquals(Files.readAllBytes(temp.resolve("c1").resolve(ClusterTargets.LABELS_FILE)),
        Files.readAllBytes(temp.resolve("c2").resolve(ClusterTargets.LABELS_FILE)));

    ClusterTargets other = ClusterTargets.build(corpus, dev, features,
        new ClusterTargets.Options(5, 1000, 30, 5), temp.resolve("c1"));
    assertFalse(other.fromCache(), "other options must not reuse the cache");
    assertEquals(5, other.clusters());
    assertTrue(List.of(0, 1, 2, 3, 4).containsAll(
        java.util.Arrays.stream(other.labels(dev.get(0).file())).boxed().toList()));
  }
}
