package dev.icld.data;

import dev.icld.audio.Audio;
import dev.icld.audio.WavWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Small generated audio and manifests for the data tests. */
final class CorpusFixtures {
  private CorpusFixtures() {}

  /** A 16 kHz PCM16 WAV of a quiet tone, {@code samples} long, whose pitch encodes {@code seed}. */
  static Path tone(Path file, int samples, int seed) throws IOException {
    return tone(file, samples, seed, Corpus.SAMPLE_RATE);
  }

  static Path tone(Path file, int samples, int seed, int sampleRate) throws IOException {
    float[] x = new float[samples];
    double hz = 200 + 37 * seed;
    for (int i = 0; i < samples; i++) {
      x[i] = (float) (0.3 * Math.sin(2 * Math.PI * hz * i / sampleRate));
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    WavWriter.writePcm16(file, new Audio(x, sampleRate));
    return file;
  }

  static ManifestEntry labelled(String audio, double seconds, String label) {
    return new ManifestEntry(audio, seconds, label, null, "spk", "test");
  }

  static ManifestEntry transcribed(String audio, double seconds, String transcript) {
    return new ManifestEntry(audio, seconds, null, transcript, "spk", "test");
  }

  static Path manifest(Path file, List<ManifestEntry> entries) throws IOException {
    Manifest.write(file, entries);
    return file;
  }
}
