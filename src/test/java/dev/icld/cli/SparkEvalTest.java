package dev.icld.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.icld.spark.SparkEvaluation;
import dev.icld.spark.SparkInference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code icld eval --spark local[2]} against the same evaluation in one process, on a tiny 4-layer
 * model with a selector and an early-exit model: the same report to the last digit (latencies
 * aside), and one Parquet row per pass.
 */
class SparkEvalTest {
  private static final String METHODS =
      "full,random,static,early-exit,dynamic-exit,selector,adaptive";

  @TempDir static Path temp;
  private static Path data;
  private static Path layerDropModel;
  private static Path earlyExitModel;

  @BeforeAll
  static void fineTunedModelsWithASelector() throws IOException {
    System.setProperty("java.awt.headless", "true");
    // No web UI to bind, and the driver on the loopback interface, as a test machine wants.
    System.setProperty("spark.ui.enabled", "false");
    System.setProperty("spark.driver.host", "127.0.0.1");
    System.setProperty("spark.driver.bindAddress", "127.0.0.1");
    TinyModelPair models = TinyModelPair.make(temp, 4, 3, 1);
    data = models.data();
    layerDropModel = models.layerDrop();
    earlyExitModel = models.earlyExit();
    CliRun.Result r = CliRun.run("train-selector", "--model", layerDropModel.toString(),
        "--data", data.toString(), "--max-steps", "10", "--batch-seconds", "1.5");
    assertEquals(0, r.code(), r.err());
  }

  private static CliRun.Result eval(Path out, String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("eval", "--model",
        layerDropModel.toString(), "--early-exit-model", earlyExitModel.toString(), "--data",
        data.toString(), "--methods", METHODS, "--budgets", "4,2,1", "--resamples", "200",
        "--out", out.toString()));
    args.addAll(List.of(extra));
    return CliRun.run(args.toArray(String[]::new));
  }

  @Test
  void sparkGivesTheInProcessReportAndARowPerPass() throws IOException {
    Path local = temp.resolve("local");
    CliRun.Result inProcess = eval(local);
    assertEquals(0, inProcess.code(), inProcess.err());
    // The driver searches the static subsets again, as the in-process run did; executors read them.
    Files.delete(layerDropModel.resolve("static_subsets.json"));
    Path spark = temp.resolve("spark");
    CliRun.Result distributed = eval(spark, "--spark", "local[2]", "--partitions", "3");
    assertEquals(0, distributed.code(), distributed.err());
    assertTrue(distributed.out().contains("3 partitions"), distributed.out());

    JsonObject expected = withoutRunDetails(local.resolve("report.json"));
    JsonObject actual = withoutRunDetails(spark.resolve("report.json"));
    assertEquals(expected, actual);
    assertTrue(expected.toString().contains("\"dynamic-exit\""), "every method ran");

    JsonObject summary = JsonParser.parseString(
        Files.readString(spark.resolve(SparkEvaluation.SUMMARY))).getAsJsonObject();
    long passes = summary.get("passes").getAsLong();
    assertEquals(1, summary.get("model_loads").getAsLong(), "one executor JVM loads once");
    SparkSession session = SparkSession.builder().master("local[1]").getOrCreate();
    try {
      Dataset<Row> rows = session.read().parquet(spark.resolve(SparkEvaluation.TABLE).toString());
      assertEquals(passes, rows.count());
      assertEquals(passes, rows.select("method", "budget", "draw", "utterance").distinct().count(),
          "no pass twice");
      assertEquals(0, rows.filter("prediction is null or mask is null").count());
      assertEquals(5 * 3 * expected.get("test_utterances").getAsLong(),
          rows.filter("method = 'random'").count(), "five draws at three budgets");
    } finally {
      session.stop();
    }
  }

  @Test
  void sparkInferAnswersAsOneProcessDoesAndRecordsABadFile() throws IOException {
    Path bad = temp.resolve("not-audio.wav");
    Files.writeString(bad, "this is text");
    Path manifest = data.resolve("test.jsonl");
    CliRun.Result local = CliRun.run("infer", "--model", layerDropModel.toString(), "--budget",
        "2", "--json", manifest.toString());
    assertEquals(0, local.code(), local.err());
    Map<String, String> expected = new java.util.TreeMap<>();
    for (String line : local.out().split("\n")) {
      JsonObject o = JsonParser.parseString(line).getAsJsonObject();
      expected.put(o.get("file").getAsString(), o.get("label").getAsString()
          + " " + o.get("executed_layers"));
    }
    Path out = temp.resolve("infer-spark");
    CliRun.Result distributed = CliRun.run("infer", "--model", layerDropModel.toString(),
        "--budget", "2", "--spark", "local[2]", "--partitions", "2", "--out", out.toString(),
        manifest.toString(), bad.toString());
    assertEquals(1, distributed.code(), "one file failed: " + distributed.err());
    assertTrue(distributed.out().contains("not-audio.wav"), distributed.out());
    SparkSession session = SparkSession.builder().master("local[1]").getOrCreate();
    try {
      Map<String, String> actual = new java.util.TreeMap<>();
      for (Row r : session.read().parquet(out.resolve(SparkInference.TABLE).toString())
          .filter("error is null").collectAsList()) {
        actual.put(Path.of(r.<String>getAs("file")).toString(), r.<String>getAs("prediction")
            + " [" + r.<String>getAs("executedLayers") + "]");
      }
      Map<String, String> expectedAbsolute = new java.util.TreeMap<>();
      expected.forEach((file, answer) ->
          expectedAbsolute.put(Path.of(file).toAbsolutePath().normalize().toString(), answer));
      assertEquals(expectedAbsolute, actual);
      assertEquals(1, session.read().parquet(out.resolve(SparkInference.TABLE).toString())
          .filter("error is not null").count());
    } finally {
      session.stop();
    }
  }

  @Test
  void aMasterSparkCannotUseIsNamed() {
    CliRun.Result r = eval(temp.resolve("bad-master"), "--spark", "nonsense://here");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("nonsense://here"), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
  }

  /** The report without what differs between runs of the same evaluation. */
  private static JsonObject withoutRunDetails(Path report) throws IOException {
    JsonObject o = JsonParser.parseString(Files.readString(report)).getAsJsonObject();
    o.remove("command");
    strip(o);
    return o;
  }

  private static void strip(JsonElement e) {
    if (e.isJsonObject()) {
      JsonObject o = e.getAsJsonObject();
      for (Map.Entry<String, JsonElement> entry : List.copyOf(o.entrySet())) {
        if (entry.getKey().startsWith("latency")) {
          o.remove(entry.getKey());
        } else {
          strip(entry.getValue());
        }
      }
    } else if (e.isJsonArray()) {
      e.getAsJsonArray().forEach(SparkEvalTest::strip);
    }
  }
}
