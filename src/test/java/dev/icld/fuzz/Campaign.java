package dev.icld.fuzz;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Feeds one format's readers the {@link MutatedInputs} of its seeds, in this JVM, and judges each
 * by the contract ({@link Verdict}). Each input is read on a worker thread under a time limit; an
 * input that runs past it is a hang, and when its thread will not stop either, the campaign ends
 * there (a spinning thread would skew everything after it).
 */
final class Campaign implements AutoCloseable {
  /** How long a hung reader's thread gets to stop once interrupted. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(2);
  private static final long PROGRESS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final FuzzTarget target;
  private final MutatedInputs inputs;
  private final Path workFolder;
  private final Duration inputTimeLimit;
  private final ExecutorService reader = Executors.newSingleThreadExecutor(runnable -> {
    Thread thread = new Thread(runnable, "fuzz-reader");
    thread.setDaemon(true); // a hung reader must not keep the JVM alive
    return thread;
  });

  Campaign(FuzzTarget target, List<FuzzCorpus.Input> seeds, Path workFolder,
      Duration inputTimeLimit) throws IOException {
    this.target = target;
    this.inputs = new MutatedInputs(target, seeds);
    this.workFolder = workFolder;
    this.inputTimeLimit = inputTimeLimit;
    Files.createDirectories(workFolder);
    target.support().writeInto(workFolder);
  }

  /** Keeps the failing inputs, and hears of each input and of the progress. */
  interface Observer {
    /** Keeps a failing input; returns the file that holds it. */
    Path failed(long index, Verdict verdict, byte[] input) throws IOException;

    /** Inputs known to crash the JVM are skipped when a campaign resumes after them. */
    default boolean skips(long index) {
      return false;
    }

    /** Told before each input is read, so that a JVM crash can be traced to its input. */
    default void reading(long index) throws IOException {}

    /** Told about every ten seconds and at the end. */
    default void progress(Result soFar) {}
  }

  /** An input that broke the contract, and the file that holds it. */
  record Failure(long index, String kind, String detail, String file) {
    @Override
    public String toString() {
      return "input " + index + ": " + kind + ": " + detail + " (" + file + ")";
    }
  }

  /** Counts so far; {@code nextIndex} is where a campaign that stopped early would resume. */
  static final class Result {
    final String format;
    long inputs;
    long accepted;
    long refused;
    final List<Failure> failures = new ArrayList<>();
    /** Bytes allocated on the reading thread by the hungriest input. */
    long maxAllocatedByOneInput;
    /** The sum of each heap pool's peak since the campaign began: a bound on the peak heap. */
    long peakHeapBytes;
    long nextIndex;
    /** Why the campaign ended before its count or deadline; null when it did not. */
    String stoppedEarly;

    Result(String format, long firstIndex) {
      this.format = format;
      this.nextIndex = firstIndex;
    }
  }

  /**
   * Runs inputs {@code firstIndex, firstIndex+1, ...} until {@code maxInputs} have run, the
   * deadline ({@link System#currentTimeMillis()}) has passed, or a hung reader will not stop.
   */
  Result run(long seed, long firstIndex, long maxInputs, long deadlineMillis, Observer observer)
      throws IOException {
    Result result = new Result(target.name(), firstIndex);
    List<MemoryPoolMXBean> heapPools = heapPools();
    heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
    long lastProgress = System.nanoTime();
    for (long index = firstIndex; result.inputs < maxInputs; index++) {
      if (System.currentTimeMillis() >= deadlineMillis) {
        break;
      }
      result.nextIndex = index + 1;
      if (observer.skips(index)) {
        continue;
      }
      byte[] input = inputs.get(seed, index);
      observer.reading(index);
      Reading reading = read(input);
      result.inputs++;
      result.maxAllocatedByOneInput = Math.max(result.maxAllocatedByOneInput, reading.allocated);
      switch (reading.verdict.kind()) {
        case ACCEPTED -> result.accepted++;
        case REFUSED -> result.refused++;
        default -> {
          Path kept = observer.failed(index, reading.verdict, input);
          result.failures.add(new Failure(index, reading.verdict.kind().label(),
              reading.verdict.detail(), kept.toString()));
        }
      }
      if (!reading.stopped) {
        result.stoppedEarly = "the reader's thread did not stop after the hang of input " + index;
        break;
      }
      if (System.nanoTime() - lastProgress > PROGRESS_EVERY_NANOS) {
        lastProgress = System.nanoTime();
        result.peakHeapBytes = peakHeap(heapPools);
        observer.progress(result);
      }
    }
    result.peakHeapBytes = peakHeap(heapPools);
    observer.progress(result);
    return result;
  }

  /** Judges one input as the readers take it from disk. */
  Verdict judge(byte[] input) throws IOException {
    return read(input).verdict;
  }

  private record Reading(Verdict verdict, long allocated, boolean stopped) {}

  private Reading read(byte[] bytes) throws IOException {
    Path file = target.write(workFolder, bytes);
    CountDownLatch finished = new CountDownLatch(1);
    long[] allocated = new long[1];
    Future<Throwable> reading = reader.submit(() -> {
      long before = allocatedByThisThread();
      try {
        target.reader().read(file);
        return null;
      } catch (Throwable thrown) { // an OutOfMemoryError or a hang's interrupt is a verdict too
        return thrown;
      } finally {
        allocated[0] = allocatedByThisThread() - before;
        finished.countDown();
      }
    });
    try {
      Throwable thrown = reading.get(inputTimeLimit.toMillis(), TimeUnit.MILLISECONDS);
      finished.await();
      return new Reading(Verdict.of(target, thrown), allocated[0], true);
    } catch (TimeoutException e) {
      reading.cancel(true);
      boolean stopped = await(finished, STOP_GRACE);
      return new Reading(Verdict.hang(inputTimeLimit), allocated[0], stopped);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the reading task catches everything", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading a fuzz input", e);
    }
  }

  private static boolean await(CountDownLatch latch, Duration limit) {
    try {
      return latch.await(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static long allocatedByThisThread() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }

  private static List<MemoryPoolMXBean> heapPools() {
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
  }

  private static long peakHeap(List<MemoryPoolMXBean> pools) {
    return pools.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
  }

  @Override
  public void close() {
    reader.shutdownNow();
  }
}
