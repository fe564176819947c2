package dev.icld.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays every committed seed and every input that ever failed the fuzzing contract (the
 * regression corpus) through its format's readers: each must be accepted or refused with a
 * message naming the file, within the per-input time limit.
 */
class FuzzRegressionTest {
  @TempDir Path work;

  @TestFactory
  Stream<DynamicContainer> everyCommittedInputKeepsTheContract() {
    FuzzCorpus corpus = FuzzCorpus.onTestClassPath();
    return FuzzTargets.all(corpus.root()).stream().map(target -> {
      List<FuzzCorpus.Input> inputs = new ArrayList<>(corpus.seeds(target));
      inputs.addAll(corpus.regressions(target));
      return DynamicContainer.dynamicContainer(target.name(), inputs.stream().map(input ->
          DynamicTest.dynamicTest(input.name(), () -> {
            try (Campaign campaign = new Campaign(target, corpus.seeds(target),
                work.resolve(target.name()).resolve(input.name()), ShortFuzzRunTest.INPUT_TIME_LIMIT)) {
              Verdict verdict = campaign.judge(input.bytes());
              assertFalse(verdict.failed(), () -> input.name() + ": " + verdict);
            }
          })));
    });
  }
}
