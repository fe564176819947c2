package dev.icld.spark;

import com.google.gson.JsonObject;
import dev.icld.audio.AudioFiles;
import dev.icld.runtime.DynamicSpeechModel;
import dev.icld.runtime.InferenceBudget;
import dev.icld.runtime.InferenceEngine;
import dev.icld.runtime.InferenceResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/**
 * {@code icld infer --spark}: audio files spread over Spark partitions, each executor JVM loading
 * the model once ({@link DynamicSpeechModel}, on the chosen engine) and answering its files under
 * the budget, every answer (or a file's error) a row of {@code predictions.parquet}. Only paths
 * go through the driver.
 */
public final class SparkInference {
  /** The Parquet table of answers, in the output directory. */
  public static final String TABLE = "predictions.parquet";

  /**
   * What every task needs.
   *
   * @param engine the engine's id
   * @param budget the budget as {@link InferenceBudget#parse} reads it
   * @param policy the policy's name, or null for the model's default
   */
  record Job(String id, String model, String engine, String budget, String policy)
      implements java.io.Serializable {}

  private SparkInference() {}

  /**
   * Answers every file and writes the table and the run's summary into {@code out}.
   *
   * @return how many files failed
   */
  public static long run(String master, int partitions, Path model, InferenceEngine engine,
      String budget, String policy, List<Path> files, Path out, PrintWriter printed)
      throws IOException {
    SparkSession spark = SparkSessions.start(master, "icld infer " + model);
    try {
      Job job = new Job(java.util.UUID.randomUUID().toString(),
          model.toAbsolutePath().normalize().toString(), engine.id(), budget, policy);
      List<String> paths = files.stream().map(f -> f.toAbsolutePath().normalize().toString())
          .toList();
      int tasks = SparkSessions.partitions(spark, partitions, paths.size());
      LongAccumulator done = spark.sparkContext().longAccumulator("icld files");
      LongAccumulator loadNanos = spark.sparkContext().longAccumulator("icld model loading ns");
      Path table = out.resolve(TABLE);
      printed.printf("spark        master %s, %d partitions of %d files; rows to %s%n",
          spark.sparkContext().master(), tasks, paths.size(), table);
      printed.flush();
      Dataset<InferenceRow> rows = spark.createDataset(paths, Encoders.STRING())
          .repartition(tasks)
          .mapPartitions(new Answers(job, done, loadNanos), Encoders.bean(InferenceRow.class));
      double seconds = SparkSessions.write(rows, table, "infer (spark)", done, paths.size());
      Dataset<InferenceRow> written =
          spark.read().parquet(table.toString()).as(Encoders.bean(InferenceRow.class));
      List<InferenceRow> failures = written.filter("error is not null").limit(20).collectAsList();
      long failed = failures.isEmpty() ? 0 : written.filter("error is not null").count();
      for (InferenceRow f : failures) {
        printed.println("icld infer: " + f.getError());
      }
      JsonObject fields = new JsonObject();
      fields.addProperty("partitions", tasks);
      fields.addProperty("files", paths.size());
      fields.addProperty("failed", failed);
      JsonObject summary =
          SparkSessions.writeSummary(spark, out, fields, paths.size(), seconds, loadNanos);
      printed.println(SparkSessions.describe(summary, paths.size(), "files")
          + (failed == 0 ? "" : "; " + failed + " failed (the error column says why)"));
      printed.flush();
      return failed;
    } finally {
      spark.stop();
    }
  }

  /** A task: its files answered by this JVM's model. */
  private static final class Answers implements MapPartitionsFunction<String, InferenceRow> {
    private static final long serialVersionUID = 1L;

    private final Job job;
    private final LongAccumulator done;
    private final LongAccumulator loadNanos;

    Answers(Job job, LongAccumulator done, LongAccumulator loadNanos) {
      this.job = job;
      this.done = done;
      this.loadNanos = loadNanos;
    }

    @Override
    public Iterator<InferenceRow> call(Iterator<String> files) {
      DynamicSpeechModel model = PerExecutor.get(job.id(), () -> load(job), loadNanos::add);
      InferenceBudget budget = InferenceBudget.parse(job.budget());
      List<InferenceRow> rows = new ArrayList<>();
      files.forEachRemaining(file -> {
        rows.add(answer(model, budget, file));
        done.add(1);
      });
      return rows.iterator();
    }

    private InferenceRow answer(DynamicSpeechModel model, InferenceBudget budget, String file) {
      InferenceRow row = new InferenceRow();
      row.setFile(file);
      row.setBudget(job.budget());
      try {
        InferenceResult r = model.infer(AudioFiles.read(Path.of(file)), budget, job.policy());
        row.setPolicy(r.policy());
        row.setExecutedLayers(IntStream.of(r.executedLayers()).mapToObj(Integer::toString)
            .collect(Collectors.joining(",")));
        row.setLayerCount(r.layerCount());
        row.setPrediction(r.output().text());
        row.setConfidence(r.output().isClassification() ? r.output().confidence() : null);
        row.setGigaFlops(r.gigaFlops());
        row.setLatencyMs(r.latency().totalMs());
      } catch (IOException | RuntimeException e) {
        String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        row.setError(message.startsWith(file) ? message : file + ": " + message);
      }
      return row;
    }

    /** The model, checked against the budget and policy, its deadline model calibrated. */
    private static DynamicSpeechModel load(Job job) throws IOException {
      DynamicSpeechModel model = DynamicSpeechModel.load(Path.of(job.model()),
          InferenceEngine.fromId(job.engine()));
      try {
        InferenceBudget budget = InferenceBudget.parse(job.budget());
        model.check(budget, job.policy());
        if (budget.isDeadline()) {
          model.deadlineController();
        }
        return model;
      } catch (RuntimeException e) {
        model.close();
        throw e;
      }
    }
  }
}
