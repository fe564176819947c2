package dev.icld.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The short fuzzing run of every test run: a fixed number of mutated inputs per format, the same
 * inputs every time (the campaign seed is fixed), each judged by the contract. The counts are
 * sized for about a minute in all on two busy cores; the system property {@value #INPUTS_PROPERTY}
 * scales them (e.g. {@code -Dicld.fuzz.inputsScale=10} for a longer look). A failing input is
 * saved under {@code target/fuzz-failures/FORMAT/}: commit it into the format's regressions
 * folder with the fix. scripts/fuzz.sh runs the long campaign.
 */
class ShortFuzzRunTest {
  static final Duration INPUT_TIME_LIMIT = Duration.ofSeconds(10);
  static final String INPUTS_PROPERTY = "icld.fuzz.inputsScale";
  private static final long CAMPAIGN_SEED = 13;
  /** Inputs per format: each format's readers take a different time per input. */
  private static final Map<String, Integer> INPUTS = Map.of(
      "wav", 16_000, "flac", 16_000, "safetensors", 15_000, "torch", 14_000, "pickle", 14_000,
      "config", 6_000, "manifest", 9_000);

  @ParameterizedTest
  @ValueSource(strings = {"wav", "flac", "safetensors", "torch", "pickle", "config", "manifest"})
  void mutatedInputsAreAcceptedOrRefusedWithAMessage(String format) throws Exception {
    FuzzCorpus corpus = FuzzCorpus.onTestClassPath();
    FuzzTarget target = FuzzTargets.named(format, corpus.root());
    long inputs = Math.round(INPUTS.get(format) * Double.parseDouble(
        System.getProperty(INPUTS_PROPERTY, "1")));
    Path failures = Path.of("target", "fuzz-failures", format);
    deleteFilesIn(failures); // what is left there must be this run's
    try (Campaign campaign = new Campaign(target, corpus.seeds(target),
        Path.of("target", "fuzz-work", format), INPUT_TIME_LIMIT)) {
      Campaign.Result result = campaign.run(CAMPAIGN_SEED, 0, inputs, Long.MAX_VALUE,
          (index, verdict, input) -> FuzzCorpus.saveFailure(failures, target, verdict, input));
      System.out.printf("fuzz %s: %d inputs, %d accepted, %d refused, %d failures%n",
          format, result.inputs, result.accepted, result.refused, result.failures.size());
      assertTrue(result.failures.isEmpty(), () -> result.failures.size() + " inputs broke the "
          + "contract (saved in " + failures.toAbsolutePath() + "):\n" + result.failures.stream()
          .limit(20).map(Campaign.Failure::toString).collect(Collectors.joining("\n")));
      assertEquals(inputs, result.inputs);
    }
  }

  private static void deleteFilesIn(Path folder) throws IOException {
    if (Files.isDirectory(folder)) {
      try (Stream<Path> files = Files.list(folder)) {
        for (Path file : files.toList()) {
          Files.delete(file);
        }
      }
    }
  }
}
