package dev.icld.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.icld.data.LabelVocabulary;
import dev.icld.eval.EvaluationReport;
import dev.icld.eval.MethodComparison;
import dev.icld.eval.ScratchCnnBaseline;
import dev.icld.model.Checkpoints;
import dev.icld.model.LayerDrop;
import dev.icld.model.LogMelCnn;
import dev.icld.model.Task;
import dev.icld.model.TaskModel;
import dev.icld.train.TinySetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * icld eval's scratch-cnn reference on a tiny tone corpus: trained from scratch on the train
 * split, deterministic for its seed, trained once and reused, reported beside the methods, and
 * plainly left out for ASR.
 */
class ScratchCnnEvalTest {
  @TempDir static Path temp;
  private static Path data;
  private static Path kwsModel;

  @BeforeAll
  static void corpusAndModel() throws IOException {
    System.setProperty("java.awt.headless", "true");
    data = TinySetup.corpus(temp.resolve("data"), 8, 3, 5);
    kwsModel = temp.resolve("kws-model");
    try (TaskModel model = TaskModel.create(
        Checkpoints.randomlyInitialised(TinySetup.config(2), 2), Task.KWS,
        LabelVocabulary.of(List.of("high", "low", "mid")), LayerDrop.none(), 1)) {
      model.save(kwsModel);
    }
  }

  private static CliRun.Result eval(Path model, String methods, Path out, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("eval", "--model", model.toString(),
        "--data", data.toString(), "--methods", methods, "--budgets", "1", "--out",
        out.toString(), "--resamples", "50", "--warmup", "1"));
    args.addAll(List.of(more));
    CliRun.Result r = CliRun.run(args.toArray(String[]::new));
    return r;
  }

  private static JsonObject report(Path out) throws IOException {
    return JsonParser.parseString(Files.readString(out.resolve(EvaluationReport.JSON)))
        .getAsJsonObject();
  }

  private static JsonObject reference(Path out) throws IOException {
    JsonArray references = report(out).getAsJsonArray("references");
    assertEquals(1, references.size(), references.toString());
    return references.get(0).getAsJsonObject();
  }

  @Test
  void allIncludesIt() {
    assertTrue(MethodComparison.Options.named("all", List.of(1), 0, 5, 1, 0).scratchCnn());
  }

  @Test
  void trainsOnceIsReusedAndIsReportedBesideTheMethods() throws IOException {
    Path out = temp.resolve("report-reuse");
    CliRun.Result first = eval(kwsModel, "full,scratch-cnn", out);
    assertEquals(0, first.code(), first.err());
    assertTrue(first.out().contains("scratch-cnn  trained"), first.out());
    Path weights = out.resolve("scratch-cnn").resolve(LogMelCnn.WEIGHTS);
    byte[] trained = Files.readAllBytes(weights);
    JsonObject once = reference(out);

    assertEquals("scratch-cnn", once.get("method").getAsString());
    assertFalse(once.get("reused").getAsBoolean());
    double accuracy = once.get("accuracy").getAsDouble();
    JsonArray interval = once.getAsJsonArray("accuracy_ci95");
    assertTrue(interval.get(0).getAsDouble() <= accuracy
        && accuracy <= interval.get(1).getAsDouble(), once.toString());
    assertTrue(once.get("parameters").getAsLong() > 70_000, once.toString());
    assertTrue(once.get("gflops_per_audio_second").getAsDouble() > 0);
    assertTrue(once.get("latency_ms_p50").getAsDouble() > 0);
    JsonObject training = once.getAsJsonObject("training");
    assertEquals(24, training.get("train_utterances").getAsInt());
    assertEquals(12, training.get("epochs").getAsInt());
    double dev = training.get("dev_accuracy").getAsDouble();
    assertTrue(dev >= 0 && dev <= 1, training.toString());
    // The reference is no result at a budget: the methods' results, best marks and paired
    // differences are the layer-dropping methods' alone.
    for (JsonElement r : report(out).getAsJsonArray("results")) {
      assertEquals("full", r.getAsJsonObject().get("method").getAsString());
    }
    String markdown = Files.readString(out.resolve(EvaluationReport.MARKDOWN));
    assertTrue(markdown.contains("| – | scratch-cnn † |"), markdown);
    assertTrue(markdown.contains("from-scratch reference, not a layer-dropping method"), markdown);

    CliRun.Result second = eval(kwsModel, "full,scratch-cnn", out);
    assertEquals(0, second.code(), second.err());
    assertTrue(second.out().contains("scratch-cnn  reusing"), second.out());
    assertFalse(second.out().contains("scratch-cnn  training"), second.out());
    assertArrayEquals(trained, Files.readAllBytes(weights));
    JsonObject again = reference(out);
    assertTrue(again.get("reused").getAsBoolean());
    assertEquals(accuracy, again.get("accuracy").getAsDouble());
    assertEquals(training, again.getAsJsonObject("training"));
  }

  @Test
  void theSameSeedTrainsTheSameNetworkTwice() throws IOException {
    Path one = temp.resolve("report-seed-1");
    Path two = temp.resolve("report-seed-2");
    for (Path out : List.of(one, two)) {
      CliRun.Result r = eval(kwsModel, "scratch-cnn", out);
      assertEquals(0, r.code(), r.err());
    }
    assertArrayEquals(Files.readAllBytes(one.resolve("scratch-cnn").resolve(LogMelCnn.WEIGHTS)),
        Files.readAllBytes(two.resolve("scratch-cnn").resolve(LogMelCnn.WEIGHTS)));
    assertEquals(reference(one).get("accuracy").getAsDouble(),
        reference(two).get("accuracy").getAsDouble());
    assertEquals(reference(one).getAsJsonObject("training").get("dev_accuracy"),
        reference(two).getAsJsonObject("training").get("dev_accuracy"));
  }

  @Test
  void aNetworkTrainedOnAnotherCorpusIsRefused() throws IOException {
    Path cached = temp.resolve("cached-scratch-cnn");
    CliRun.Result trained = eval(kwsModel, "scratch-cnn", temp.resolve("report-cached"),
        "--scratch-cnn", cached.toString());
    assertEquals(0, trained.code(), trained.err());
    Path other = TinySetup.corpus(temp.resolve("other-data"), 8, 3, 6);
    CliRun.Result r = CliRun.run("eval", "--model", kwsModel.toString(), "--data", other.toString(),
        "--methods", "scratch-cnn", "--out", temp.resolve("report-other").toString(),
        "--scratch-cnn", cached.toString());
    assertNotEquals(0, r.code());
    assertTrue(r.err().contains("holds a scratch-cnn with other options"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }

  @Test
  void anAsrReportSaysPlainlyThatItCoversClassificationOnly() throws IOException {
    Path asrModel = TinySetup.untrainedAsrModel(temp.resolve("asr-model"));
    Path out = temp.resolve("report-asr");
    CliRun.Result r = eval(asrModel, "full,scratch-cnn", out);
    assertEquals(0, r.code(), r.err());
    JsonObject report = report(out);
    assertEquals(0, report.getAsJsonArray("references").size());
    JsonObject skipped = report.getAsJsonArray("skipped").get(0).getAsJsonObject();
    assertEquals("scratch-cnn", skipped.get("method").getAsString());
    assertTrue(skipped.get("reason").getAsString().contains("classification only"),
        skipped.toString());
    assertTrue(Files.readString(out.resolve(EvaluationReport.MARKDOWN))
        .contains("- scratch-cnn: a from-scratch reference for classification only"));
    assertFalse(Files.exists(out.resolve("scratch-cnn")));
  }
}
