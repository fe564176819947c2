package dev.icld.methods;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.icld.Readme;
import dev.icld.data.Corpus;
import dev.icld.data.LabelVocabulary;
import dev.icld.data.LoadOptions;
import dev.icld.data.TargetKind;
import dev.icld.eval.EvaluationReport;
import dev.icld.eval.HeldOutVoices;
import dev.icld.eval.MethodComparison;
import dev.icld.eval.MethodResult;
import dev.icld.eval.UtteranceGroups;
import dev.icld.metrics.Outcome;
import dev.icld.model.Checkpoints;
import dev.icld.model.LayerDrop;
import dev.icld.model.Task;
import dev.icld.model.TaskModel;
import dev.icld.train.TinySetup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Add a policy" example: the method class it quotes is {@link LastLayersMethod}
 * word for word, and that one class is all a comparison and its report need to run it and
 * draw it, beside the registered methods.
 */
class AddAPolicyTest {
  private static final Path EXAMPLE = Path.of("src/test/java/dev/icld/methods/LastLayersMethod.java");

  @TempDir Path temp;

  @Test
  void theReadmeQuotesTheExampleThatCompiles() throws IOException {
    assertEquals(Files.readString(EXAMPLE, StandardCharsets.UTF_8),
        Readme.javaBlock("Add a policy"));
  }

  @Test
  void aComparisonAndItsReportRunTheNewMethod() throws IOException {
    System.setProperty("java.awt.headless", "true");
    Path data = TinySetup.corpus(temp.resolve("data"), 1, 2, 9);
    Corpus test = Corpus.load(data.resolve("test.jsonl"),
        LoadOptions.of(TargetKind.LABEL).cachingAudio());
    Method lastK = new LastLayersMethod();
    try (TaskModel model = TaskModel.create(Checkpoints.randomlyInitialised(TinySetup.config(4), 1),
        Task.KWS, LabelVocabulary.of(List.of("low", "mid", "high")), LayerDrop.none(), 2)) {
      MethodComparison.Comparison comparison = new MethodComparison(model, temp, temp, test,
          null, new MethodComparison.Options(List.of(Methods.FULL, lastK), false, List.of(3, 1),
              0, 5, 20, 0)).run();

      List<MethodResult> lastKResults = comparison.results().stream()
          .filter(r -> r.method().equals("last-k")).toList();
      assertEquals(2, lastKResults.size());
      for (Outcome o : lastKResults.get(1).outcomes()) {
        assertArrayEquals(new boolean[] {false, false, false, true}, o.mask(), "k = 1");
      }

      HeldOutVoices voices = new HeldOutVoices(null, HeldOutVoices.of("test", test, null,
          "accuracy", HeldOutVoices.scoredOf(comparison, 4), 20, 0), null);
      EvaluationReport report = new EvaluationReport(new EvaluationReport.Context("kws",
          "wav2vec2", "model", data.toString(), "model", 4, test.size(), test.totalSeconds(), 0,
          20, 5, "djl", "icld eval --methods full,last-k"), comparison,
          UtteranceGroups.of(model, test), true, voices);
      Path out = temp.resolve("report");
      Files.createDirectories(out);
      report.write(out);
      String markdown = Files.readString(out.resolve(EvaluationReport.MARKDOWN));
      assertTrue(markdown.contains("| 1 | last-k |") || markdown.contains("| 1 | **last-k** |"),
          markdown);
      assertTrue(Files.size(out.resolve(EvaluationReport.METRIC_VS_BUDGET)) > 0);
    }
  }
}
