package dev.icld.spark;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.icld.data.ProgressBar;
import dev.icld.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/** What icld's Spark jobs share: how a session starts, how errors read, the run's summary. */
final class SparkSessions {
  /** {@code --spark submit}: the master that spark-submit was given. */
  static final String SUBMITTED = "submit";
  /** Rates and loading times of the last run, beside its output. */
  static final String SUMMARY = "spark.json";

  private SparkSessions() {}

  /**
   * Starts (or joins) a session on {@code master}: local[N], spark://HOST:PORT, yarn, k8s://...,
   * or {@link #SUBMITTED}.
   *
   * @throws IllegalArgumentException naming the master and Spark's reason when it does not start
   */
  static SparkSession start(String master, String appName) {
    SparkSession.Builder builder = SparkSession.builder().appName(appName)
        // Executors start libtorch themselves: offline, without telemetry, threads that sleep
        // when idle (STACK.md), whatever the cluster's defaults. One thread per task: Spark runs
        // a task per executor core, and more threads per task would fight over those cores.
        .config("spark.executorEnv.OPT_OUT_TRACKING", "true")
        .config("spark.executorEnv.OMP_WAIT_POLICY", "PASSIVE")
        .config("spark.executorEnv.OMP_NUM_THREADS", "1")
        .config("spark.executor.extraJavaOptions", "-Dai.djl.offline=true"
            + " -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1");
    if (!master.equals(SUBMITTED)) {
      builder.master(master);
    }
    try {
      return builder.getOrCreate();
    } catch (Exception e) {
      // Spark throws its checked SparkException undeclared, so it is caught as Exception.
      throw new IllegalArgumentException("--spark " + master + ": Spark did not start: "
          + rootMessage(e), e);
    }
  }

  /** Items per task by default: a task's counts reach the progress bar when it ends. */
  static final int ITEMS_PER_TASK = 500;

  /**
   * Tasks for {@code items}: {@code asked}, or by default twice the default parallelism and at
   * most {@link #ITEMS_PER_TASK} items each, at most one task per item.
   */
  static int partitions(SparkSession spark, int asked, long items) {
    long tasks = asked > 0 ? asked : Math.max(2L * spark.sparkContext().defaultParallelism(),
        (items + ITEMS_PER_TASK - 1) / ITEMS_PER_TASK);
    return (int) Math.max(1, Math.min(tasks, items));
  }

  /**
   * Runs the job that {@code rows} stands for, writing them as Parquet to {@code table} (replacing
   * an earlier run's), with a progress bar fed by the tasks' counter.
   *
   * @return the job's wall-clock seconds
   * @throws IOException with the failed task's own error
   */
  static double write(Dataset<?> rows, Path table, String task, LongAccumulator done, long total)
      throws IOException {
    long start = System.nanoTime();
    try (ProgressBar bar = new ProgressBar(task, total)) {
      Thread progress = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          bar.stepTo(done.value());
          try {
            Thread.sleep(500);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "icld-spark-progress");
      progress.setDaemon(true);
      progress.start();
      try {
        rows.write().mode(SaveMode.Overwrite).parquet(table.toString());
      } catch (Exception e) {
        // A failed task's own error (a model or audio file an executor cannot read, say) is
        // what a user needs, not Spark's stage trace around it.
        throw new IOException("the Spark job failed: " + rootMessage(e), e);
      } finally {
        progress.interrupt();
      }
      bar.stepTo(total);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /**
   * The innermost cause's message, where the first thing that went wrong is named (a task's own
   * error rather than Spark's stage trace around it).
   */
  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getName() : root.getMessage();
    int trace = message.indexOf("\n\tat ");
    return trace < 0 ? message : message.substring(0, trace);
  }

  /**
   * The run's summary as {@link #SUMMARY} in {@code dir}, with the executors, the rate and the
   * executors' model loading; returns it for printing.
   *
   * @param fields what the job adds (its counts)
   */
  static JsonObject writeSummary(SparkSession spark, Path dir, JsonObject fields, long items,
      double seconds, LongAccumulator loadNanos) throws IOException {
    SparkContext context = spark.sparkContext();
    // The driver's own block manager is listed too, except in local mode where it is the only one.
    int executors = Math.max(1, context.getExecutorMemoryStatus().size()
        - (context.isLocal() ? 0 : 1));
    long loads = loadNanos.count();
    JsonObject summary = new JsonObject();
    summary.addProperty("master", context.master());
    summary.addProperty("executors", executors);
    fields.entrySet().forEach(e -> summary.add(e.getKey(), e.getValue()));
    summary.addProperty("seconds", seconds);
    summary.addProperty("per_second", items / seconds);
    summary.addProperty("model_loads", loads);
    summary.addProperty("model_load_seconds_mean", loads == 0 ? 0 : loadNanos.sum() / 1e9 / loads);
    AtomicFiles.writeString(dir.resolve(SUMMARY),
        new GsonBuilder().setPrettyPrinting().create().toJson(summary) + "\n");
    return summary;
  }

  /** One line of a run's rate, from its summary. */
  static String describe(JsonObject summary, long items, String what) {
    return String.format(java.util.Locale.ROOT, "spark        %d %s in %s on %d executor(s): %.1f"
        + " %s/s; model loaded %d time(s), %.1f s each", items, what,
        ProgressBar.formatDuration(summary.get("seconds").getAsDouble()),
        summary.get("executors").getAsInt(), summary.get("per_second").getAsDouble(), what,
        summary.get("model_loads").getAsLong(),
        summary.get("model_load_seconds_mean").getAsDouble());
  }
}
