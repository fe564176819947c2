package dev.icld.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/**
 * What an executor JVM loads once per job (the models, on their engine) and keeps until it exits:
 * every task of the job on that JVM shares it, and it is closed at exit.
 */
final class PerExecutor {
  /** Loads a job's shared part. */
  interface Loader<T extends AutoCloseable> {
    T load() throws IOException;
  }

  private static final Map<String, AutoCloseable> BY_JOB = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> BY_JOB.values().forEach(shared -> {
      try {
        shared.close();
      } catch (Exception e) {
        // Closing at exit: nothing is left to do with a failure but go on with the rest.
      }
    }), "icld-spark-close"));
  }

  private PerExecutor() {}

  /**
   * The job's shared part on this JVM, loaded by the first task that asks.
   *
   * @param job the job's id
   * @param loadNanos told how long loading took, by the one call that loads
   */
  @SuppressWarnings("unchecked")
  static <T extends AutoCloseable> T get(String job, Loader<T> loader, LongConsumer loadNanos) {
    return (T) BY_JOB.computeIfAbsent(job, id -> {
      long start = System.nanoTime();
      try {
        T shared = loader.load();
        loadNanos.accept(System.nanoTime() - start);
        return shared;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }
}
