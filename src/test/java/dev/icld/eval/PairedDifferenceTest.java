package dev.icld.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.icld.methods.Methods;
import dev.icld.metrics.ErrorRates;
import dev.icld.metrics.Outcome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

class PairedDifferenceTest {
  private static final int LAYERS = 4;
  private static final int UTTERANCES = 100;

  private static Outcome classified(int utterance, boolean correct) {
    return new Outcome(utterance, new boolean[LAYERS], LAYERS - 1, correct, null, null, 0);
  }

  /** A classification result whose outcomes are correct where {@code correct} says so. */
  private static MethodResult result(String method, int budget, IntPredicate... correctPerDraw) {
    List<Outcome> outcomes = new ArrayList<>();
    for (IntPredicate correct : correctPerDraw) {
      for (int u = 0; u < UTTERANCES; u++) {
        outcomes.add(classified(u, correct.test(u)));
      }
    }
    return new MethodResult(method, budget, Map.of("accuracy", 0.0), Map.of(), Map.of(),
        List.of(), budget, 0, 0, outcomes, Path.of("model"));
  }

  private static double[] ones(int n, IntPredicate one) {
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = one.test(i) ? 1 : 0;
    }
    return values;
  }

  @Test
  void anUnpairedDifferenceCarriesTheSpreadOfBothSets() {
    double[] a = ones(100, u -> u < 70);
    double[] b = ones(50, u -> u < 30);
    double[] d = Bootstrap.unpairedDifferenceInterval(a, ones(100, u -> true), b,
        ones(50, u -> true), 1000, 0.95, 3);
    assertTrue(d[0] < 0.1 && 0.1 < d[1], d[0] + ", " + d[1]);
    double[] aAlone = Bootstrap.interval(a, ones(100, u -> true), 1000, 0.95, 3);
    double[] bAlone = Bootstrap.interval(b, ones(50, u -> true), 1000, 0.95, 3);
    assertTrue(d[1] - d[0] > Math.max(aAlone[1] - aAlone[0], bAlone[1] - bAlone[0]));
    // Sets that never vary have a difference that never varies, whatever their sizes.
    assertArrayEquals(new double[] {1, 1}, Bootstrap.unpairedDifferenceInterval(ones(7, u -> true),
        ones(7, u -> true), ones(3, u -> false), ones(3, u -> true), 100, 0.95, 3));
    assertThrows(IllegalArgumentException.class, () -> Bootstrap.unpairedDifferenceInterval(
        a, ones(100, u -> true), new double[0], new double[0], 100, 0.95, 3));
  }

  @Test
  void pairingFindsADifferenceTheSeparateIntervalsHide() {
    // The selector gets 10 more utterances right than random, and every one random gets right.
    MethodResult selector = result("selector", 2, u -> u < 70);
    MethodResult random = result("random", 2, u -> u < 60);
    PairedDifference d = PairedDifference.between(selector, random, UTTERANCES, "accuracy", 1000,
        7);
    assertEquals(0.10, d.difference(), 1e-12);
    assertTrue(d.interval()[0] > 0 && d.interval()[1] < 0.2, d.toString());
    assertEquals("better", d.verdict());

    double[] denominators = ones(UTTERANCES, u -> true);
    double[] selectorAlone = Bootstrap.interval(ones(UTTERANCES, u -> u < 70), denominators,
        1000, 0.95, 7);
    double[] randomAlone = Bootstrap.interval(ones(UTTERANCES, u -> u < 60), denominators,
        1000, 0.95, 7);
    assertTrue(selectorAlone[0] < randomAlone[1], "the methods' own intervals overlap");

    PairedDifference reverse = PairedDifference.between(random, selector, UTTERANCES, "accuracy",
        1000, 7);
    assertEquals(-0.10, reverse.difference(), 1e-12);
    assertEquals("worse", reverse.verdict());
  }

  @Test
  void swappedWinsAreATie() {
    // Each method gets 20 utterances right that the other gets wrong: same accuracy.
    MethodResult selector = result("selector", 2, u -> u < 50);
    MethodResult staticSubset = result("static", 2, u -> u < 30 || (u >= 50 && u < 70));
    PairedDifference d = PairedDifference.between(selector, staticSubset, UTTERANCES, "accuracy",
        1000, 3);
    assertEquals(0, d.difference(), 1e-12);
    assertTrue(d.interval()[0] < 0 && d.interval()[1] > 0, d.toString());
    assertEquals("tie", d.verdict());
  }

  @Test
  void randomCountsAsItsMeanOverDraws() {
    MethodResult selector = result("selector", 2, u -> true);
    MethodResult random = result("random", 2, u -> true, u -> false);
    PairedDifference d = PairedDifference.between(selector, random, UTTERANCES, "accuracy", 200,
        1);
    assertEquals(0.5, d.difference(), 1e-12);
    assertArrayEquals(new double[] {0.5, 0.5}, d.interval(), 1e-12);
  }

  @Test
  void aLowerErrorRateIsBetter() {
    List<Outcome> fewer = new ArrayList<>();
    List<Outcome> more = new ArrayList<>();
    for (int u = 0; u < UTTERANCES; u++) {
      ErrorRates.Counts ref = new ErrorRates.Counts(1, 0, 0, 10);
      ErrorRates.Counts worse = new ErrorRates.Counts(3, 1, 0, 10);
      fewer.add(new Outcome(u, new boolean[LAYERS], 3, false, ref, ref, 0));
      more.add(new Outcome(u, new boolean[LAYERS], 3, false, worse, worse, 0));
    }
    MethodResult selector = new MethodResult("selector", 2, Map.of("wer", 0.1, "cer", 0.1),
        Map.of(), Map.of(), List.of(), 2, 0, 0, fewer, Path.of("model"));
    MethodResult early = new MethodResult("early-exit", 2, Map.of("wer", 0.4, "cer", 0.4),
        Map.of(), Map.of(), List.of(), 2, 0, 0, more, Path.of("model"));
    List<PairedDifference> all = PairedDifference.of(List.of(selector, early), Methods.ALL, UTTERANCES,
        List.of("wer", "cer"), LAYERS, 200, 1);
    assertEquals(2, all.size());
    for (PairedDifference d : all) {
      assertEquals("early-exit", d.baseline());
      assertEquals(-0.3, d.difference(), 1e-12);
      assertEquals("better", d.verdict());
    }
  }

  @Test
  void everyCandidateMeetsEveryBaselineBelowTheFullBudget() {
    List<MethodResult> results = List.of(
        result("full", LAYERS, u -> u < 50),
        result("random", LAYERS, u -> u < 50),
        result("selector", LAYERS, u -> u < 50),
        result("random", 2, u -> u < 40, u -> u < 44),
        result("static", 2, u -> u < 45),
        result("selector", 2, u -> u < 47),
        result("adaptive", 2, u -> u < 48),
        result("dynamic-exit", 2, u -> u < 30));
    List<PairedDifference> all = PairedDifference.of(results, Methods.ALL, UTTERANCES, List.of("accuracy"),
        LAYERS, 300, 11);
    List<String> pairs = all.stream().map(d -> d.method() + "-" + d.baseline() + "@" + d.budget())
        .toList();
    assertEquals(List.of("selector-random@2", "selector-static@2", "adaptive-random@2",
        "adaptive-static@2"), pairs);
    assertEquals(0.05, all.get(0).difference(), 1e-12);
    List<PairedDifference> again = PairedDifference.of(results, Methods.ALL, UTTERANCES, List.of("accuracy"),
        LAYERS, 300, 11);
    for (int i = 0; i < all.size(); i++) {
      assertArrayEquals(all.get(i).interval(), again.get(i).interval(), "same seed, same interval");
    }
  }

  @Test
  void aMissingUtteranceIsAnError() {
    MethodResult selector = result("selector", 2, u -> true);
    List<Outcome> partial = new ArrayList<>(selector.outcomes().subList(0, UTTERANCES - 1));
    MethodResult gappy = new MethodResult("random", 2, Map.of("accuracy", 1.0), Map.of(),
        Map.of(), List.of(), 2, 0, 0, partial, Path.of("model"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PairedDifference.between(selector, gappy, UTTERANCES, "accuracy", 10, 1));
    assertTrue(e.getMessage().contains("no outcome for test utterance 99"), e.getMessage());
  }
}
