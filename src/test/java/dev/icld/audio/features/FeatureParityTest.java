package dev.icld.audio.features;

import dev.icld.audio.Audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every committed torchaudio 0.13.1 reference output (scripts/fixtures/make_feature_fixtures.py)
 * reproduced by the Java extractors.
 *
 * <p>Metric: per element {@code |java - torchaudio| / max(|torchaudio|, floor)}; its maximum over
 * each output must be at most {@value #MAX_RELATIVE_DIFFERENCE}. A pure relative difference is
 * meaningless where the reference crosses zero (log energies near 1, cepstra, deltas,
 * mean-subtracted features): there both sides only carry the absolute rounding error of float32
 * sums of terms of size 1 to 100, about 1e-6 to 1e-5, which no implementation can beat.
 *
 * <ul>
 *   <li>Log-domain outputs (log fbank, MFCC, deltas, dB), whose values are typically 1 to 100 in
 *       magnitude: floor {@value #LOG_FLOOR}, so the check is absolute (1e-4) below 1 and relative
 *       above.
 *   <li>Linear outputs (mel power or magnitude, linear fbank): floor {@value #LINEAR_FLOOR_FRACTION}
 *       times the largest magnitude of that output. Their values span many decades and the
 *       smallest ones, including mean-subtracted values near zero, are rounding noise of sums
 *       dominated by the largest.
 * </ul>
 */
class FeatureParityTest {
  static final double MAX_RELATIVE_DIFFERENCE = 1e-4;
  static final double LOG_FLOOR = 1.0;
  static final double LINEAR_FLOOR_FRACTION = 1e-3;

  @TestFactory
  Stream<DynamicTest> matchesTorchaudio() {
    List<TorchaudioFixtures.Case> cases = TorchaudioFixtures.cases();
    assertTrue(cases.size() >= 30, "fixture index lists " + cases.size() + " cases");
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
  }

  private static void check(TorchaudioFixtures.Case c) {
    Audio audio = TorchaudioFixtures.signal(c.signal());
    float[][] actual = compute(c, audio);
    assertEquals(c.expected().length, actual.length, c.name() + ": frames");
    double floor = isLinear(c) ? LINEAR_FLOOR_FRACTION * maxAbs(c.expected()) : LOG_FLOOR;
    double worst = 0;
    String where = "";
    for (int t = 0; t < actual.length; t++) {
      assertEquals(c.expected()[t].length, actual[t].length, c.name() + ": features in frame " + t);
      for (int j = 0; j < actual[t].length; j++) {
        double b = c.expected()[t][j];
        double difference = Math.abs(actual[t][j] - b) / Math.max(Math.abs(b), floor);
        if (!(difference <= worst)) {
          worst = difference;
          where = "frame " + t + ", feature " + j + ": java " + actual[t][j] + ", torchaudio " + b;
        }
      }
    }
    System.out.printf("%-36s max relative difference %.2e%n", c.name(), worst);
    assertTrue(worst <= MAX_RELATIVE_DIFFERENCE, c.name() + ": max relative difference " + worst + " at " + where);
  }

  private static boolean isLinear(TorchaudioFixtures.Case c) {
    JsonObject o = c.options();
    return c.function().equals("mel_spectrogram")
        || (c.function().equals("fbank") && o.has("use_log_fbank") && !o.get("use_log_fbank").getAsBoolean());
  }

  private static double maxAbs(float[][] matrix) {
    double max = 0;
    for (float[] row : matrix) {
      for (float v : row) {
        max = Math.max(max, Math.abs(v));
      }
    }
    return max;
  }

  private static float[][] compute(TorchaudioFixtures.Case c, Audio audio) {
    JsonObject o = c.options();
    return switch (c.function()) {
      case "fbank" -> new KaldiFbank(TorchaudioFixtures.applyOptions(KaldiFbankOptions.builder(), o).build())
          .compute(audio);
      case "mfcc" -> new KaldiMfcc(TorchaudioFixtures.applyOptions(KaldiMfccOptions.builder(), o).build())
          .compute(audio);
      case "hubert_mfcc" -> new Deltas()
          .appendDeltas(
              new KaldiMfcc(TorchaudioFixtures.applyOptions(KaldiMfccOptions.builder(), o).build()).compute(audio));
      case "compute_deltas" -> {
        float[][] fbank = new KaldiFbank(KaldiFbankOptions.defaults()).compute(audio);
        yield (o.has("win_length") ? new Deltas(o.get("win_length").getAsInt()) : new Deltas()).compute(fbank);
      }
      case "mel_spectrogram" -> new MelSpectrogram(
              TorchaudioFixtures.applyOptions(MelSpectrogramOptions.builder(), o).build())
          .compute(audio);
      case "mel_spectrogram_db" -> {
        float[][] mel =
            new MelSpectrogram(
                    TorchaudioFixtures.applyOptions(MelSpectrogramOptions.builder(), o, "amplitude_to_db").build())
                .compute(audio);
        JsonObject db = o.getAsJsonObject("amplitude_to_db");
        Double topDb = db.has("top_db") ? db.get("top_db").getAsDouble() : null;
        yield new AmplitudeToDb(AmplitudeToDb.Stype.fromName(db.get("stype").getAsString()), topDb).apply(mel);
      }
      default -> throw new IllegalStateException("unknown fixture function " + c.function());
    };
  }
}
