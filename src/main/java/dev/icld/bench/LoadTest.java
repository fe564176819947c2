package dev.icld.bench;

import dev.icld.audio.Audio;
import dev.icld.runtime.DynamicSpeechModel;
import dev.icld.runtime.InferenceBudget;
import dev.icld.runtime.InferenceResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A long serving run on one model: many {@link DynamicSpeechModel#infer} calls from several
 * threads at once, each under the next budget of a rotation, with the process's resident set
 * sampled every so many calls. It answers whether memory stays flat over a long run (a native
 * tensor kept per call would show as a steady slope) and whether concurrent calls with changing
 * budgets ever fail.
 */
public final class LoadTest {
  /**
   * @param calls infer calls in all
   * @param threads threads calling at once
   * @param sampleEvery the resident set is read after every this many completed calls
   * @param budgets call i runs under {@code budgets.get(i % budgets.size())}
   */
  public record Options(int calls, int threads, int sampleEvery, List<InferenceBudget> budgets) {
    public Options {
      if (calls < 1 || threads < 1 || sampleEvery < 1 || budgets.isEmpty()) {
        throw new IllegalArgumentException("calls, threads and the sampling interval must be "
            + "positive, and at least one budget given");
      }
      budgets = List.copyOf(budgets);
    }
  }

  /**
   * Memory after {@code calls} completed calls.
   *
   * @param residentBytes VmRSS, -1 where /proc/self/status does not exist
   * @param heapBytes JVM heap in use (garbage not yet collected included)
   */
  public record Sample(int calls, double seconds, long residentBytes, long heapBytes) {}

  /** A call that threw. */
  public record Failure(int call, String budget, String error) {}

  /**
   * @param liveArraysBefore {@link DynamicSpeechModel#liveArrayCount()} before the first call
   * @param liveArraysAfter the same once every call has returned
   * @param firstFailures up to {@value #FAILURES_KEPT} of them, in the order they happened
   */
  public record Result(Options options, List<Sample> samples, Map<String, Integer> callsPerBudget,
      Map<String, Long> keptLayersPerBudget, int failures, List<Failure> firstFailures,
      double seconds, int liveArraysBefore, int liveArraysAfter) {
    /** Least-squares slope of the resident set over completed calls, in MiB per 1,000 calls. */
    public double residentSlopeMibPerThousandCalls() {
      return slope(samples);
    }

    /**
     * The same over the samples of the second half of the calls only, after the allocator's and
     * the JIT's warm-up growth.
     */
    public double secondHalfSlopeMibPerThousandCalls() {
      return slope(samples.stream().filter(s -> 2 * s.calls() >= options.calls()).toList());
    }
  }

  static final int FAILURES_KEPT = 10;

  private LoadTest() {}

  /**
   * Runs the calls: clip {@code i % clips.size()} under budget {@code i % budgets.size()}. One
   * resident-set sample before the first call, then one every {@code sampleEvery} calls.
   */
  public static Result run(DynamicSpeechModel model, List<Audio> clips, Options options)
      throws InterruptedException {
    if (clips.isEmpty()) {
      throw new IllegalArgumentException("a load test needs at least one clip");
    }
    int liveBefore = model.liveArrayCount();
    long start = System.nanoTime();
    List<Sample> samples = new ArrayList<>();
    samples.add(sample(0, start));
    AtomicInteger next = new AtomicInteger();
    AtomicInteger completed = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    List<Failure> firstFailures = new ArrayList<>();
    int budgetCount = options.budgets().size();
    long[] callsPerBudget = new long[budgetCount];
    long[] keptPerBudget = new long[budgetCount];
    ExecutorService pool = Executors.newFixedThreadPool(options.threads());
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < options.threads(); t++) {
        workers.add(pool.submit(() -> {
          for (int call = next.getAndIncrement(); call < options.calls();
              call = next.getAndIncrement()) {
            int b = call % budgetCount;
            InferenceBudget budget = options.budgets().get(b);
            try {
              InferenceResult result = model.infer(clips.get(call % clips.size()), budget);
              synchronized (callsPerBudget) {
                callsPerBudget[b]++;
                keptPerBudget[b] += result.keptLayers();
              }
            } catch (RuntimeException | Error e) {
              failures.incrementAndGet();
              synchronized (firstFailures) {
                if (firstFailures.size() < FAILURES_KEPT) {
                  firstFailures.add(new Failure(call, budget.toString(), e.toString()));
                }
              }
            }
            int done = completed.incrementAndGet();
            if (done % options.sampleEvery() == 0) {
              Sample sample = sample(done, start);
              synchronized (samples) {
                samples.add(sample);
              }
            }
          }
        }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("a load-test thread died outside a call", e.getCause());
    } finally {
      pool.shutdownNow();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    samples.sort(Comparator.comparingInt(Sample::calls));
    Map<String, Integer> calls = new LinkedHashMap<>();
    Map<String, Long> kept = new LinkedHashMap<>();
    for (int b = 0; b < budgetCount; b++) {
      String name = options.budgets().get(b).toString();
      calls.merge(name, (int) callsPerBudget[b], Integer::sum);
      kept.merge(name, keptPerBudget[b], Long::sum);
    }
    return new Result(options, List.copyOf(samples), calls, kept, failures.get(),
        List.copyOf(firstFailures), seconds, liveBefore, model.liveArrayCount());
  }

  private static Sample sample(int calls, long start) {
    Runtime runtime = Runtime.getRuntime();
    return new Sample(calls, (System.nanoTime() - start) / 1e9,
        PeakMemory.currentResidentBytes(), runtime.totalMemory() - runtime.freeMemory());
  }

  /** Least-squares slope of resident MiB over calls, times 1,000; NaN under two samples. */
  static double slope(List<Sample> samples) {
    int n = samples.size();
    if (n < 2) {
      return Double.NaN;
    }
    double meanX = 0;
    double meanY = 0;
    for (Sample s : samples) {
      meanX += s.calls();
      meanY += s.residentBytes() / MIB;
    }
    meanX /= n;
    meanY /= n;
    double covariance = 0;
    double variance = 0;
    for (Sample s : samples) {
      double dx = s.calls() - meanX;
      covariance += dx * (s.residentBytes() / MIB - meanY);
      variance += dx * dx;
    }
    return variance == 0 ? Double.NaN : 1000 * covariance / variance;
  }

  static final double MIB = 1024.0 * 1024.0;
}
