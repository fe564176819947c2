package dev.icld.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.icld.audio.Audio;
import dev.icld.runtime.DynamicSpeechModel;
import dev.icld.runtime.InferenceBudget;
import dev.icld.runtime.TinyModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadTestTest {
  @TempDir Path temp;

  private static List<Audio> clips() {
    List<Audio> clips = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      clips.add(TinyModels.tone(3200 + 800 * i, 16_000, 200 + 90 * i, i));
    }
    return clips;
  }

  @Test
  void everyCallRunsUnderItsBudgetAndMemoryIsSampledOnSchedule() throws Exception {
    List<InferenceBudget> budgets = List.of(InferenceBudget.layers(4), InferenceBudget.layers(1),
        InferenceBudget.fraction(0.5), InferenceBudget.adaptive(0.5));
    try (DynamicSpeechModel model =
        DynamicSpeechModel.load(TinyModels.classifierWithSelector(temp))) {
      LoadTest.Result result =
          LoadTest.run(model, clips(), new LoadTest.Options(80, 4, 20, budgets));
      assertEquals(0, result.failures(), result.firstFailures().toString());
      assertEquals(List.of(0, 20, 40, 60, 80),
          result.samples().stream().map(LoadTest.Sample::calls).toList());
      assertEquals(Map.of("4", 20, "1", 20, "0.5", 20, "adaptive:0.5", 20),
          result.callsPerBudget());
      assertEquals(80, result.keptLayersPerBudget().get("4"));
      assertEquals(20, result.keptLayersPerBudget().get("1"));
      assertEquals(40, result.keptLayersPerBudget().get("0.5"));
      assertEquals(result.liveArraysBefore(), result.liveArraysAfter(),
          "no call's arrays outlive it");
    }
  }

  @Test
  void failingCallsAreCountedAndTheOthersGoOn() throws Exception {
    // The tiny model has 4 layers: every call under a budget of 7 is refused.
    List<InferenceBudget> budgets = List.of(InferenceBudget.layers(2), InferenceBudget.layers(7));
    try (DynamicSpeechModel model =
        DynamicSpeechModel.load(TinyModels.classifierWithSelector(temp))) {
      LoadTest.Result result =
          LoadTest.run(model, clips(), new LoadTest.Options(30, 3, 10, budgets));
      assertEquals(15, result.failures());
      assertEquals(LoadTest.FAILURES_KEPT, result.firstFailures().size());
      LoadTest.Failure first = result.firstFailures().get(0);
      assertEquals("7", first.budget());
      assertEquals(1, first.call() % 2);
      assertTrue(first.error().startsWith("java.lang.IllegalArgumentException: "), first.error());
      assertEquals(0, result.callsPerBudget().get("7"));
      assertEquals(15, result.callsPerBudget().get("2"));
    }
  }

  @Test
  void theSlopeIsTheLeastSquaresFitInMibPerThousandCalls() {
    long mib = 1024 * 1024;
    // 2 MiB more per 1,000 calls, off the line by +0.5, -1 and +0.5 MiB in the middle: noise
    // that leaves the fitted slope as it is.
    List<LoadTest.Sample> samples = List.of(
        new LoadTest.Sample(0, 0, 300 * mib, 0),
        new LoadTest.Sample(500, 1, 301 * mib + mib / 2, 0),
        new LoadTest.Sample(1000, 2, 301 * mib, 0),
        new LoadTest.Sample(1500, 3, 303 * mib + mib / 2, 0),
        new LoadTest.Sample(2000, 4, 304 * mib, 0));
    assertEquals(2.0, LoadTest.slope(samples), 1e-9);
    LoadTest.Result result = new LoadTest.Result(
        new LoadTest.Options(2000, 1, 500, List.of(InferenceBudget.layers(1))), samples,
        Map.of(), Map.of(), 0, List.of(), 4, 0, 0);
    // Calls 1000, 1500 and 2000 only: 301, 303.5, 304 MiB.
    assertEquals(3.0, result.secondHalfSlopeMibPerThousandCalls(), 1e-9);
    assertTrue(Double.isNaN(LoadTest.slope(samples.subList(0, 1))));
  }
}
