package dev.icld.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchSamplerTest {
  /** 400 durations spread like a speech corpus: 0.5 s to 15 s. */
  private static final double[] DURATIONS = new Random(1).doubles(400, 0.5, 15).toArray();

  @Test
  void everyUtteranceAppearsExactlyOncePerEpoch() {
    BatchSampler sampler = new BatchSampler(DURATIONS, BatchSampler.Options.training(16, 120, 7));
    for (int epoch = 0; epoch < 4; epoch++) {
      int[] all = sampler.epoch(epoch).stream().flatMapToInt(Arrays::stream).sorted().toArray();
      assertArrayEquals(java.util.stream.IntStream.range(0, DURATIONS.length).toArray(), all);
    }
  }

  @Test
  void batchesRespectBothLimits() {
    for (int[] batch : new BatchSampler(DURATIONS, BatchSampler.Options.training(16, 60, 3)).epoch(0)) {
      double longest = Arrays.stream(batch).mapToDouble(i -> DURATIONS[i]).max().orElseThrow();
      assertTrue(batch.length <= 16);
      assertTrue(batch.length * longest <= 60 + 1e-9, "batch of " + batch.length + " x " + longest);
    }
  }

  @Test
  void anUtteranceLongerThanTheSecondsLimitGetsABatchOfItsOwn() {
    double[] durations = {1, 1, 30, 1};
    List<int[]> batches =
        new BatchSampler(durations, BatchSampler.Options.evaluation(0, 10)).epoch(0);
    assertEquals(List.of("[0, 1, 3]", "[2]"), batches.stream().map(Arrays::toString).toList());
  }

  @Test
  void sameSeedSameBatchesAndEpochsDifferDeterministically() {
    BatchSampler.Options options = BatchSampler.Options.training(8, 0, 42);
    List<int[]> first = new BatchSampler(DURATIONS, options).epoch(3);
    List<int[]> again = new BatchSampler(DURATIONS, options).epoch(3);
    List<int[]> nextEpoch = new BatchSampler(DURATIONS, options).epoch(4);
    List<int[]> otherSeed =
        new BatchSampler(DURATIONS, BatchSampler.Options.training(8, 0, 43)).epoch(3);

    assertEquals(text(first), text(again));
    assertFalse(text(first).equals(text(nextEpoch)));
    assertFalse(text(first).equals(text(otherSeed)));
    // Not only the batch order changes between epochs: the batches themselves do.
    assertFalse(sortedBatches(first).equals(sortedBatches(nextEpoch)));
  }

  @Test
  void bucketingByDurationCutsPaddingFarBelowRandomBatching() {
    double bucketed = paddingFraction(new BatchSampler.Options(16, 0, true, true, 5));
    double random = paddingFraction(new BatchSampler.Options(16, 0, false, true, 5));

    assertTrue(random > 0.3, "random batches pad " + random);
    assertTrue(bucketed < random / 3, "bucketed " + bucketed + " vs random " + random);
  }

  @Test
  void evaluationOrderIsShortestFirstAndIgnoresTheEpoch() {
    BatchSampler sampler = new BatchSampler(DURATIONS, BatchSampler.Options.evaluation(32, 0));
    List<int[]> batches = sampler.epoch(0);
    double previous = 0;
    for (int[] batch : batches) {
      for (int i : batch) {
        assertTrue(DURATIONS[i] >= previous);
        previous = DURATIONS[i];
      }
    }
    assertEquals(text(batches), text(sampler.epoch(9)));
  }

  @Test
  void aBatchNeedsSomeLimit() {
    assertThrows(IllegalArgumentException.class,
        () -> BatchSampler.Options.training(0, 0, 1));
    assertThrows(IllegalArgumentException.class,
        () -> BatchSampler.Options.training(-1, 10, 1));
  }

  private static double paddingFraction(BatchSampler.Options options) {
    double padded = 0;
    double real = 0;
    for (int[] batch : new BatchSampler(DURATIONS, options).epoch(0)) {
      double longest = Arrays.stream(batch).mapToDouble(i -> DURATIONS[i]).max().orElseThrow();
      padded += batch.length * longest;
      real += Arrays.stream(batch).mapToDouble(i -> DURATIONS[i]).sum();
    }
    return 1 - real / padded;
  }

  private static List<String> text(List<int[]> batches) {
    return batches.stream().map(Arrays::toString).toList();
  }

  private static List<String> sortedBatches(List<int[]> batches) {
    return batches.stream().map(b -> Arrays.toString(Arrays.stream(b).sorted().toArray()))
        .sorted().toList();
  }
}
