package dev.icld.data.importer;

import dev.icld.audio.Audio;
import dev.icld.audio.WavWriter;
import dev.icld.data.ManifestEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Tiny corpora in the real layouts, built in a temporary folder. */
final class ImporterFixtures {
  private ImporterFixtures() {}

  /** A 16 kHz PCM16 WAV of {@code samples} samples of a quiet tone. */
  static Path wav(Path file, int samples) throws IOException {
    return wav(file, samples, 16000);
  }

  static Path wav(Path file, int samples, int rate) throws IOException {
    float[] x = new float[samples];
    for (int i = 0; i < samples; i++) {
      x[i] = (float) (0.2 * Math.sin(i * 0.05));
    }
    Files.createDirectories(file.getParent());
    WavWriter.writePcm16(file, new Audio(x, rate));
    return file;
  }

  /** Copies one of the committed FLAC files (tone-a 0.25 s, tone-b 0.40 s, tone-c 0.15 s). */
  static Path flac(Path file, String resource) throws IOException {
    Files.createDirectories(file.getParent());
    try (InputStream in = ImporterFixtures.class.getResourceAsStream("/data/" + resource + ".flac")) {
      Files.copy(in, file);
    }
    return file;
  }

  static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }

  /** The entries of a written manifest, by audio path. */
  static Map<String, ManifestEntry> byAudio(Path manifest) throws IOException {
    return dev.icld.data.Manifest.read(manifest).stream()
        .collect(Collectors.toMap(ManifestEntry::audio, Function.identity()));
  }

  static List<String> lines(Path manifest) throws IOException {
    return Files.readAllLines(manifest);
  }
}
