package dev.icld.data.synth;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Background noise: every non-speech Debian recording plus sox's white, pink and brown noise.
 * Segments are drawn from a caller's seeded random stream, so they depend only on that stream.
 */
final class NoiseBank {
  /** A noise segment and where it came from. */
  record Segment(String source, float[] samples) {}

  static final List<String> SOX_NOISES = List.of("whitenoise", "pinknoise", "brownnoise");
  private static final double SOX_NOISE_SECONDS = 20;
  /** Segments quieter than this (-60 dBFS power) are near-silent gaps; another one is drawn. */
  private static final double AUDIBLE_POWER = 1e-6;
  private static final int ATTEMPTS = 8;

  private final List<Recording> sources;

  private NoiseBank(List<Recording> sources) {
    this.sources = sources;
  }

  static NoiseBank create(List<Recording> recordings, Sox sox, Path workDir) throws IOException {
    List<Recording> sources = new ArrayList<>();
    for (String kind : SOX_NOISES) {
      sources.add(new Recording("sox/" + kind, kind, sox.synth(kind, SOX_NOISE_SECONDS, workDir)));
    }
    for (Recording r : recordings) {
      if (!SoundClasses.isSpeech(r) && r.samples().length > 0) {
        sources.add(r);
      }
    }
    return new NoiseBank(sources);
  }

  List<Recording> sources() {
    return sources;
  }

  /** A random audible segment of {@code length} samples (short sources loop). */
  Segment draw(SplittableRandom random, int length) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Recording r = sources.get(random.nextInt(sources.size()));
      float[] segment = Signals.loopedSegment(r.samples(), random.nextInt(r.samples().length),
          length);
      if (Signals.meanSquare(segment, 0, length) > AUDIBLE_POWER) {
        return new Segment(r.id(), segment);
      }
    }
    // sox's white noise (source 0) is audible everywhere.
    Recording white = sources.get(0);
    return new Segment(white.id(), Signals.loopedSegment(white.samples(),
        random.nextInt(white.samples().length), length));
  }
}
