package dev.icld.train;

import dev.icld.audio.Audio;
import dev.icld.audio.WavWriter;
import dev.icld.data.Manifest;
import dev.icld.data.ManifestEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Tiny corpora of speech-like signals for the pretraining tests: each utterance is a sequence of
 * 60 ms "phones" (two formant-like tones over a speaker's pitch, plus a little noise) drawn from
 * a small inventory, so that k-means finds structure and masked prediction has something to learn.
 */
public final class SpeechFixtures {
  static final int RATE = 16_000;
  private static final double[][] PHONES = {
    {300, 900}, {500, 1500}, {700, 1100}, {250, 2200}, {400, 700}, {600, 1800},
  };

  private SpeechFixtures() {}

  static float[] utterance(long seed, int samples, double pitch) {
    Random random = new Random(seed);
    float[] x = new float[samples];
    int phoneLength = RATE * 60 / 1000;
    for (int start = 0; start < samples; start += phoneLength) {
      double[] formants = PHONES[random.nextInt(PHONES.length)];
      for (int i = start; i < Math.min(samples, start + phoneLength); i++) {
        double t = i / (double) RATE;
        double value = 0.2 * Math.sin(2 * Math.PI * pitch * t)
            + 0.15 * Math.sin(2 * Math.PI * formants[0] * t)
            + 0.1 * Math.sin(2 * Math.PI * formants[1] * t)
            + 0.01 * random.nextGaussian();
        x[i] = (float) value;
      }
    }
    return x;
  }

  /**
   * Writes {@code dir}/{split}.jsonl and WAVs: for each split, {@code perSpeaker} utterances of
   * each named speaker (a null speaker writes entries without one).
   */
  public static void corpus(Path dir, String[] train, String[] dev, String[] test, int perSpeaker,
      int samples) throws IOException {
    String[][] splits = {train, dev, test};
    String[] names = {"train", "dev", "test"};
    for (int s = 0; s < splits.length; s++) {
      List<ManifestEntry> entries = new ArrayList<>();
      for (int k = 0; k < splits[s].length; k++) {
        String speaker = splits[s][k];
        for (int u = 0; u < perSpeaker; u++) {
          String audio = "audio/" + names[s] + "-" + k + "-" + u + ".wav";
          // Seeded by the file name alone: the same corpus in every directory and every run
          // (a seed from the temporary directory made each run train on different audio).
          long seed = audio.hashCode();
          double pitch = 100 + 15 * k;
          WavWriter.writePcm16(dir.resolve(audio), new Audio(utterance(seed, samples, pitch), RATE));
          entries.add(new ManifestEntry(audio, samples / (double) RATE, null, null, speaker,
              "fixture"));
        }
      }
      Manifest.write(dir.resolve(names[s] + ".jsonl"), entries);
    }
  }
}
