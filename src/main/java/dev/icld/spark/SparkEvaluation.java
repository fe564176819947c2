package dev.icld.spark;

import com.google.gson.JsonObject;
import dev.icld.eval.MethodComparison;
import dev.icld.methods.Method;
import dev.icld.metrics.Outcome;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/**
 * The test passes of {@code icld eval --spark}: the test set's indices spread over Spark
 * partitions, each task running every planned method, budget and draw on its utterances
 * ({@link PartitionEvaluator}), every row written to {@code utterances.parquet}, then read back on
 * the driver into the same outcomes the in-process passes give, for the same report. Audio never
 * reaches the driver: executors decode it from the paths. Closing it stops the Spark session.
 */
public final class SparkEvaluation implements MethodComparison.TestPasses {
  /** The Parquet table of per-utterance rows, in the report directory. */
  public static final String TABLE = "utterances.parquet";
  /** Rates and loading times of the last run, beside the report. */
  public static final String SUMMARY = SparkSessions.SUMMARY;

  /**
   * Where the models and the corpus are: paths every executor reads as they are.
   *
   * @param exitModel the early-exit model's directory, or null
   * @param engine the backbone engine's id
   */
  public record Paths(Path model, Path exitModel, Path selectorDir, Path data, String engine) {}

  private final SparkSession spark;
  private final Paths paths;
  private final Path out;
  private final int partitions;
  private final PrintWriter printed;

  private SparkEvaluation(SparkSession spark, Paths paths, Path out, int partitions,
      PrintWriter printed) {
    this.spark = spark;
    this.paths = paths;
    this.out = out;
    this.partitions = partitions;
    this.printed = printed;
  }

  /**
   * Starts (or joins) the Spark session.
   *
   * @param master local[N], spark://HOST:PORT, yarn, k8s://..., or {@code submit}
   * @param partitions how many tasks share the test set; 0 for twice Spark's default parallelism
   * @param out the report directory, where the Parquet table and the run's summary go
   */
  public static SparkEvaluation open(String master, int partitions, Paths paths, Path out,
      PrintWriter printed) {
    return new SparkEvaluation(SparkSessions.start(master, "icld eval " + paths.data()), paths,
        out, partitions, printed);
  }

  @Override
  public Map<String, Map<Integer, List<List<Outcome>>>> run(MethodComparison comparison,
      MethodComparison.Plan plan) throws IOException {
    MethodComparison.Options options = comparison.options();
    int size = comparison.test().size();
    EvaluationJob job = new EvaluationJob(UUID.randomUUID().toString(), text(paths.model()),
        paths.exitModel() == null ? null : text(paths.exitModel()), text(paths.selectorDir()),
        text(paths.data()), paths.engine(), options.methods().stream().map(Method::name).toList(),
        options.budgets(), options.seed(), options.randomDraws(), options.resamples(),
        options.warmup(), plan.budgetsByName(), plan.exitThresholds(), size);
    int tasks = SparkSessions.partitions(spark, partitions, size);
    LongAccumulator passes = spark.sparkContext().longAccumulator("icld passes");
    LongAccumulator loadNanos = spark.sparkContext().longAccumulator("icld model loading ns");
    long total = plan.passes(options.randomDraws(), size);
    Path table = out.resolve(TABLE);
    printed.printf("spark        master %s, %d partitions of %d utterances; rows to %s%n",
        spark.sparkContext().master(), tasks, size, table);
    printed.flush();
    Dataset<UtteranceRow> rows = spark.range(0, size, 1, tasks).mapPartitions(
        new PartitionEvaluator(job, passes, loadNanos), Encoders.bean(UtteranceRow.class));
    double seconds = SparkSessions.write(rows, table, "eval (spark)", passes, total);
    Map<String, Map<Integer, List<List<Outcome>>>> outcomes = read(table, plan, options, size);
    summarise(job, tasks, total, seconds, loadNanos);
    return outcomes;
  }

  /** The table's rows as outcomes per method, budget and draw, in utterance order. */
  private Map<String, Map<Integer, List<List<Outcome>>>> read(Path table,
      MethodComparison.Plan plan, MethodComparison.Options options, int size) throws IOException {
    Map<String, Map<Integer, Outcome[][]>> slots = new LinkedHashMap<>();
    plan.budgets().forEach((method, ks) -> {
      Map<Integer, Outcome[][]> byBudget = new LinkedHashMap<>();
      for (int k : ks) {
        byBudget.put(k, new Outcome[method.draws(options.randomDraws())][size]);
      }
      slots.put(method.name(), byBudget);
    });
    List<UtteranceRow> collected = spark.read().parquet(table.toString())
        .as(Encoders.bean(UtteranceRow.class)).collectAsList();
    for (UtteranceRow row : collected) {
      Outcome[][] draws = slots.getOrDefault(row.getMethod(), Map.of()).get(row.getBudget());
      if (draws == null || row.getDraw() >= draws.length || row.getUtterance() >= size
          || draws[row.getDraw()][row.getUtterance()] != null) {
        throw new IOException(table + ": unexpected or repeated row: " + row.getMethod()
            + " k=" + row.getBudget() + " draw " + row.getDraw() + " utterance "
            + row.getUtterance());
      }
      draws[row.getDraw()][row.getUtterance()] = row.outcome();
    }
    Map<String, Map<Integer, List<List<Outcome>>>> outcomes = new LinkedHashMap<>();
    slots.forEach((method, byBudget) -> byBudget.forEach((k, draws) -> {
      List<List<Outcome>> lists = new ArrayList<>();
      for (Outcome[] draw : draws) {
        lists.add(java.util.Arrays.asList(draw));
      }
      outcomes.computeIfAbsent(method, m -> new LinkedHashMap<>()).put(k, lists);
    }));
    return outcomes;
  }

  /** Prints the run's rate and writes it beside the report. */
  private void summarise(EvaluationJob job, int tasks, long total, double seconds,
      LongAccumulator loadNanos) throws IOException {
    JsonObject fields = new JsonObject();
    fields.addProperty("partitions", tasks);
    fields.addProperty("utterances", job.utterances());
    fields.addProperty("passes", total);
    JsonObject summary =
        SparkSessions.writeSummary(spark, out, fields, total, seconds, loadNanos);
    printed.println(SparkSessions.describe(summary, total, "passes"));
    printed.flush();
  }

  private static String text(Path path) {
    return path.toAbsolutePath().normalize().toString();
  }

  @Override
  public void close() {
    spark.stop();
  }
}
