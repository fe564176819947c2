package dev.icld.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.icld.eval.EvaluationReport;
import dev.icld.eval.UtteranceGroups;
import dev.icld.model.Checkpoints;
import dev.icld.model.LayerDrop;
import dev.icld.model.Task;
import dev.icld.model.TaskModel;
import dev.icld.selection.LayerSelector;
import dev.icld.selection.SelectorConfig;
import dev.icld.selection.SelectorInputKind;
import dev.icld.train.TinySetup;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** icld eval on a CTC model: WER and CER with intervals, selection per length bucket. */
class AsrEvalCommandTest {
  @TempDir Path temp;

  @Test
  void anAsrReportHasWerAndCerAndLengthBuckets() throws IOException {
    System.setProperty("java.awt.headless", "true");
    Path data = TinySetup.corpus(temp.resolve("data"), 1, 3, 4);
    Path modelDir = temp.resolve("model");
    try (TaskModel model = TaskModel.create(
        Checkpoints.randomlyInitialised(TinySetup.config(3), 2), Task.ASR, null,
        new LayerDrop(LayerDrop.Mode.RANDOM, 0.5, false), 1);
        LayerSelector selector =
            LayerSelector.initialise(SelectorConfig.of(SelectorInputKind.FEATURES, 16, 3), 3)) {
      model.save(modelDir);
      selector.save(modelDir);
    }
    Path out = temp.resolve("report");
    CliRun.Result evaluated = CliRun.run("eval", "--model", modelDir.toString(), "--data", data.toString(),
        "--methods", "full,random,static,selector,early-exit,adaptive", "--budgets", "2,1",
        "--out", out.toString(), "--resamples", "50", "--warmup", "0");
    assertEquals(0, evaluated.code(), evaluated.out());
    JsonObject report = JsonParser.parseString(Files.readString(out.resolve(EvaluationReport.JSON)))
        .getAsJsonObject();
    assertEquals("asr", report.get("task").getAsString());
    assertEquals("wer", report.get("metric").getAsString());
    Set<String> seen = new HashSet<>();
    for (JsonElement e : report.getAsJsonArray("results")) {
      JsonObject r = e.getAsJsonObject();
      seen.add(r.get("method").getAsString() + "@" + r.get("budget").getAsInt());
      for (String metric : new String[] {"wer", "cer"}) {
        assertTrue(r.get(metric).getAsDouble() >= 0, r.toString());
        assertEquals(2, r.getAsJsonArray(metric + "_ci95").size(), r.toString());
      }
      if (r.get("method").getAsString().equals("selector")) {
        // Without classes the mask statistics stand alone, with no mutual information.
        JsonObject variation = r.getAsJsonObject("mask_variation");
        assertTrue(variation.get("distinct_masks").getAsDouble() >= 1, variation.toString());
        assertFalse(variation.has("mask_class_mutual_information_bits"), variation.toString());
      }
    }
    assertEquals(Set.of("full@3", "random@2", "random@1", "static@2", "static@1", "selector@2",
        "selector@1"), seen);
    Set<String> skipped = new HashSet<>();
    report.getAsJsonArray("skipped").forEach(e -> skipped.add(
        e.getAsJsonObject().get("method").getAsString()));
    assertEquals(Set.of("early-exit", "adaptive"), skipped);
    JsonObject selection = report.getAsJsonObject("layer_selection");
    assertEquals("length", selection.get("group_by").getAsString());
    assertEquals(UtteranceGroups.LENGTH_BUCKETS, selection.getAsJsonArray("groups").size());
    BufferedImage heatmap = ImageIO.read(out.resolve(EvaluationReport.SELECTION_HEATMAP).toFile());
    assertEquals(40 + Math.max(UtteranceGroups.LENGTH_BUCKETS, 4) * 30 + 100, heatmap.getHeight());
    String markdown = Files.readString(out.resolve(EvaluationReport.MARKDOWN));
    assertTrue(markdown.contains("| WER (95% CI) | CER (95% CI) |"), markdown);
  }
}
