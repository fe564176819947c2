package dev.icld.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.icld.eval.PaperTable;
import dev.icld.model.Checkpoints;
import dev.icld.model.FoundationModel;
import dev.icld.train.TinySetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * icld paper-table over a real icld eval report (a tiny 8-layer model, every method, budgets
 * 8, 6 and 3), beside runs that were never made; and its target checks on reports whose paired
 * differences sit at the targets' edges.
 */
class PaperTableCommandTest {
  private static final int LAYERS = 8;

  @TempDir static Path temp;
  private static Path root;
  private static Path report;

  @BeforeAll
  static void oneRealRun() throws IOException {
    System.setProperty("java.awt.headless", "true");
    Path data = TinySetup.corpus(temp.resolve("data"), 6, 3, 5);
    Path backbone = temp.resolve("backbone");
    try (FoundationModel model = Checkpoints.randomlyInitialised(TinySetup.config(LAYERS), 2)) {
      Checkpoints.save(model, backbone);
    }
    root = temp.resolve("paper");
    Path run = root.resolve("tiny").resolve("kws-small");
    for (String mode : List.of("random", "early-exit")) {
      CliRun.Result r = CliRun.run("finetune", "--model", backbone.toString(), "--task", "kws",
          "--data", data.toString(), "--out", run.resolve(mode).toString(), "--layer-drop", mode,
          "--max-steps", "20", "--batch-seconds", "1.5", "--lr", "5e-3");
      assertEquals(0, r.code(), r.err());
    }
    CliRun.Result selector = CliRun.run("train-selector", "--model",
        run.resolve("random").toString(), "--data", data.toString(), "--budgets", "6,3",
        "--max-steps", "10", "--batch-seconds", "1.5", "--lr", "5e-2");
    assertEquals(0, selector.code(), selector.err());
    CliRun.Result eval = CliRun.run("eval", "--model", run.resolve("random").toString(),
        "--early-exit-model", run.resolve("early-exit").toString(), "--data", data.toString(),
        "--methods", "all", "--budgets", "8,6,3", "--resamples", "200",
        "--out", run.resolve("report").toString());
    assertEquals(0, eval.code(), eval.err());
    report = run.resolve("report").resolve("report.json");
    Files.writeString(run.resolve("wall-seconds.txt"), "123\n");
  }

  private static JsonObject read(Path file) throws IOException {
    return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
  }

  @Test
  void everyCellIsTheReportsOwnNumber() throws IOException {
    Path out = temp.resolve("table");
    CliRun.Result r = CliRun.run("paper-table", "--root", root.toString(), "--tasks", "kws,asr",
        "--backbones", "tiny,absent", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("runs         1 of 4 made"), r.out());

    JsonObject source = read(report);
    Map<String, Double> reported = new HashMap<>();
    for (JsonElement e : source.getAsJsonArray("results")) {
      JsonObject o = e.getAsJsonObject();
      reported.put(o.get("method").getAsString() + "@" + o.get("budget").getAsInt(),
          o.get("accuracy").getAsDouble());
    }
    JsonObject table = read(out.resolve("paper-table.json"));
    assertEquals(List.of(8, 6, 3), table.getAsJsonArray("budgets").asList().stream()
        .map(JsonElement::getAsInt).toList());
    JsonArray rows = table.getAsJsonArray("rows");
    assertEquals(4, rows.size());
    JsonObject made = rows.get(0).getAsJsonObject();
    assertEquals("kws", made.get("task").getAsString());
    assertEquals(123.0, made.get("wall_seconds").getAsDouble());
    JsonArray cells = made.getAsJsonArray("results");
    // every result of the report's methods, full depth once, no more
    assertEquals(reported.keySet().stream().filter(k -> k.equals("full@8")
        || PaperTable.METHODS.contains(k.substring(0, k.indexOf('@')))).sorted().toList(),
        cells.asList().stream().map(JsonElement::getAsJsonObject)
            .map(c -> c.get("method").getAsString() + "@" + c.get("budget").getAsInt())
            .sorted().toList());
    for (JsonElement e : cells) {
      JsonObject cell = e.getAsJsonObject();
      String key = cell.get("method").getAsString() + "@" + cell.get("budget").getAsInt();
      assertEquals(reported.get(key), cell.get("accuracy").getAsDouble(), key);
    }
    JsonObject selectorAt3 = cells.asList().stream().map(JsonElement::getAsJsonObject)
        .filter(c -> c.get("method").getAsString().equals("selector")
            && c.get("budget").getAsInt() == 3).findFirst().orElseThrow();
    JsonObject vsRandom = selectorAt3.getAsJsonObject("paired").getAsJsonObject("random");
    JsonObject sourceDifference = source.getAsJsonArray("paired_differences").asList().stream()
        .map(JsonElement::getAsJsonObject)
        .filter(d -> d.get("method").getAsString().equals("selector")
            && d.get("baseline").getAsString().equals("random") && d.get("budget").getAsInt() == 3)
        .findFirst().orElseThrow();
    assertEquals(sourceDifference.get("difference").getAsDouble(),
        vsRandom.get("difference").getAsDouble());
    assertEquals(sourceDifference.get("verdict").getAsString(),
        vsRandom.get("verdict").getAsString());
    for (int i = 1; i < 4; i++) {
      assertFalse(rows.get(i).getAsJsonObject().get("made").getAsBoolean());
    }
    // kws on tiny, at budgets 6 and 3, against random, early exit and static
    assertEquals(6, table.getAsJsonArray("targets").size());

    String md = Files.readString(out.resolve("paper-table.md"));
    assertTrue(md.contains("| kws | tiny | accuracy<br>full "), md);
    assertTrue(md.contains("run 2 min"), md);
    assertTrue(md.contains("| asr | absent | not run"), md);
    assertTrue(md.contains("## The targets"), md);
  }

  /** A report of the given task whose selector at k = 3 differs from random by d (ci lo..hi). */
  private static Path craftedRun(String name, String task, String metric, double randomValue,
      double difference, double low, double high, String verdict) throws IOException {
    return craftedRun(name, task, metric, "random", randomValue, difference, low, high, verdict);
  }

  /** The same, against {@code baseline}. */
  private static Path craftedRun(String name, String task, String metric, String baseline,
      double randomValue, double difference, double low, double high, String verdict)
      throws IOException {
    Path run = temp.resolve(name).resolve("bb").resolve(task + "-small").resolve("report");
    Files.createDirectories(run);
    String results = "";
    for (String method : List.of("full", "random", "static", "early-exit", "selector")) {
      double value = method.equals("selector") ? randomValue + difference : randomValue;
      results += String.format("{\"method\":\"%s\",\"budget\":%d,\"%s\":%s,\"%s_ci95\":[0,1],"
          + "\"mean_executed_layers\":3},", method, method.equals("full") ? 12 : 3, metric,
          value, metric);
    }
    String paired = String.format("{\"method\":\"selector\",\"baseline\":\"%s\",\"budget\":3,"
        + "\"metric\":\"%s\",\"difference\":%s,\"ci95\":[%s,%s],\"verdict\":\"%s\"}", baseline,
        metric, difference, low, high, verdict);
    Files.writeString(run.resolve("report.json"), String.format("{\"task\":\"%s\",\"metric\":"
        + "\"%s\",\"layers\":12,\"model_type\":\"hubert\",\"command\":\"icld eval\",\"results\":[%s],"
        + "\"references\":[],\"paired_differences\":[%s]}", task, metric,
        results.substring(0, results.length() - 1), paired));
    return temp.resolve(name);
  }

  private static boolean randomTargetMet(Path root, String task) throws IOException {
    return targetMet(root, task, "random");
  }

  private static boolean targetMet(Path root, String task, String against) throws IOException {
    Path out = root.resolve("out");
    CliRun.Result r = CliRun.run("paper-table", "--root", root.toString(), "--tasks", task,
        "--backbones", "bb", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    return read(out.resolve("paper-table.json")).getAsJsonArray("targets").asList().stream()
        .map(JsonElement::getAsJsonObject)
        .filter(t -> t.get("budget").getAsInt() == 3
            && t.get("selector_against").getAsString().equals(against))
        .findFirst().orElseThrow().get("met").getAsBoolean();
  }

  @Test
  void targetsAskForTheMarginAndAnIntervalThatExcludesZero() throws IOException {
    assertTrue(randomTargetMet(craftedRun("kws-enough", "kws", "accuracy", 0.5, 0.06, 0.01, 0.11,
        "better"), "kws"));
    assertFalse(randomTargetMet(craftedRun("kws-small-margin", "kws", "accuracy", 0.5, 0.04,
        0.01, 0.07, "better"), "kws"));
    assertFalse(randomTargetMet(craftedRun("kws-tie", "kws", "accuracy", 0.5, 0.08, -0.01, 0.17,
        "tie"), "kws"));
    // asr: 10% of random's WER, lower is better
    assertTrue(randomTargetMet(craftedRun("asr-enough", "asr", "wer", 0.5, -0.06, -0.09, -0.03,
        "better"), "asr"));
    assertFalse(randomTargetMet(craftedRun("asr-small-margin", "asr", "wer", 0.5, -0.04, -0.07,
        -0.01, "better"), "asr"));
  }

  @Test
  void earlyExitAllowsOneHundredthInTheWorseDirectionForWerToo() throws IOException {
    assertTrue(targetMet(craftedRun("asr-ee-near", "asr", "wer", "early-exit", 0.5, 0.005,
        -0.02, 0.03, "tie"), "asr", "early-exit"));
    assertFalse(targetMet(craftedRun("asr-ee-far", "asr", "wer", "early-exit", 0.5, 0.02, -0.01,
        0.05, "tie"), "asr", "early-exit"));
    assertTrue(targetMet(craftedRun("kws-ee-near", "kws", "accuracy", "early-exit", 0.5, -0.005,
        -0.05, 0.04, "tie"), "kws", "early-exit"));
    assertFalse(targetMet(craftedRun("kws-ee-far", "kws", "accuracy", "early-exit", 0.5, -0.02,
        -0.06, 0.02, "tie"), "kws", "early-exit"));
  }

  @Test
  void aReportOfAnotherTaskOrNotAReportIsNamed() throws IOException {
    Path wrongTask = craftedRun("wrong-task", "asr", "wer", 0.5, -0.06, -0.09, -0.03, "better");
    Files.move(wrongTask.resolve("bb").resolve("asr-small"),
        wrongTask.resolve("bb").resolve("kws-small"));
    CliRun.Result r = CliRun.run("paper-table", "--root", wrongTask.toString(), "--tasks", "kws",
        "--backbones", "bb");
    assertNotEquals(0, r.code());
    assertTrue(r.err().contains("kws-small/report/report.json: a report of task asr in the "
        + "folder of task kws"), r.err());

    Path corrupt = temp.resolve("corrupt").resolve("bb").resolve("kws-small").resolve("report");
    Files.createDirectories(corrupt);
    Files.writeString(corrupt.resolve("report.json"), "{\"task\": \"kws\", \"results\": [");
    r = CliRun.run("paper-table", "--root", temp.resolve("corrupt").toString(), "--tasks", "kws",
        "--backbones", "bb");
    assertNotEquals(0, r.code());
    assertTrue(r.err().contains("report.json: not an icld eval report.json"), r.err());

    Files.writeString(corrupt.resolve("report.json"), "{\"task\": \"kws\", \"metric\": "
        + "\"accuracy\", \"results\": [], \"paired_differences\": []}");
    r = CliRun.run("paper-table", "--root", temp.resolve("corrupt").toString(), "--tasks", "kws",
        "--backbones", "bb");
    assertNotEquals(0, r.code());
    assertTrue(r.err().contains("report.json: not an icld eval report.json (no \"layers\")"),
        r.err());
  }
}
