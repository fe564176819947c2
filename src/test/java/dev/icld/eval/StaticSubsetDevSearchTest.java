package dev.icld.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import dev.icld.audio.Audio;
import dev.icld.audio.AudioFiles;
import dev.icld.audio.WavWriter;
import dev.icld.data.Corpus;
import dev.icld.data.LabelVocabulary;
import dev.icld.data.LoadOptions;
import dev.icld.data.Manifest;
import dev.icld.data.ManifestEntry;
import dev.icld.data.TargetKind;
import dev.icld.metrics.MetricTally;
import dev.icld.model.Checkpoints;
import dev.icld.model.FrontEndOutput;
import dev.icld.model.LayerDrop;
import dev.icld.model.Task;
import dev.icld.model.TaskModel;
import dev.icld.model.Torch;
import dev.icld.selection.Budget;
import dev.icld.selection.InputConditionedPolicy;
import dev.icld.selection.LayerSelector;
import dev.icld.selection.SelectionInput;
import dev.icld.selection.SelectorConfig;
import dev.icld.selection.SelectorInputKind;
import dev.icld.selection.StaticSubsets;
import dev.icld.train.Evaluation;
import dev.icld.train.TinySetup;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batched static subset search scores each subset, and the batched selector dev score each
 * budget, as one utterance at a time would, with clips of different lengths and with clips of one
 * length (which run as batches).
 */
class StaticSubsetDevSearchTest {
  @TempDir Path temp;

  @Test
  void everyStoredScoreIsTheSubsetsDevMetricOneUtteranceAtATime() throws IOException {
    Path data = TinySetup.corpus(temp, 1, 7, 2);
    assertSameScores(Corpus.load(data.resolve("dev.jsonl"),
        LoadOptions.of(TargetKind.LABEL).cachingAudio()));
    // The same clips cut to one length: one batch per pass.
    List<ManifestEntry> cut = new ArrayList<>();
    for (ManifestEntry e : Manifest.read(data.resolve("dev.jsonl"))) {
      float[] samples = AudioFiles.read(data.resolve(e.audio()), 16000).samples();
      Path file = temp.resolve("cut-" + Path.of(e.audio()).getFileName());
      WavWriter.writePcm16(file, new Audio(Arrays.copyOf(samples, 2400), 16000));
      cut.add(new ManifestEntry(file.getFileName().toString(), 0.15, e.label(), e.transcript(),
          e.speaker(), e.source()));
    }
    Manifest.write(temp.resolve("cut.jsonl"), cut);
    assertSameScores(Corpus.load(temp.resolve("cut.jsonl"),
        LoadOptions.of(TargetKind.LABEL).cachingAudio()));
  }

  private static void assertSameScores(Corpus dev) throws IOException {
    LabelVocabulary labels = LabelVocabulary.of(List.of("high", "low", "mid"));
    try (TaskModel model = TaskModel.create(
            Checkpoints.randomlyInitialised(TinySetup.config(3), 4), Task.KWS, labels,
            LayerDrop.none(), 5);
        NDManager manager = Torch.newManager()) {
      UtteranceRunner runner = new UtteranceRunner(model, dev);
      StaticSubsets subsets = DevScoring.searchStaticSubsets(runner);
      for (int k = 1; k <= 3; k++) {
        MetricTally single = new MetricTally();
        for (int u = 0; u < dev.size(); u++) {
          FrontEndOutput frontEnd = runner.frontEnd(dev.samples(u), manager);
          single.add(runner.score(u, frontEnd, subsets.mask(k), manager));
        }
        assertEquals(single.accuracy(), subsets.entry(k).score(), 1e-12, "budget " + k);
      }

      int channels = model.backbone().config().convDim().get(
          model.backbone().config().convDim().size() - 1);
      try (LayerSelector selector = LayerSelector.initialise(
          SelectorConfig.of(SelectorInputKind.FEATURES, channels, 3), 9)) {
        List<Integer> budgets = List.of(1, 2, 3);
        Evaluation batched = DevScoring.selectorScore(runner, selector, budgets);
        InputConditionedPolicy policy = new InputConditionedPolicy(selector);
        for (int k : budgets) {
          MetricTally single = new MetricTally();
          for (int u = 0; u < dev.size(); u++) {
            FrontEndOutput frontEnd = runner.frontEnd(dev.samples(u), manager);
            boolean[] mask = policy.select(SelectionInput.ofFeatures(frontEnd.features(),
                frontEnd.frameLengths()), Budget.of(k, 3)).mask(0);
            single.add(runner.score(u, frontEnd, mask, manager));
          }
          assertEquals(single.accuracy(), batched.metrics().get("accuracy_k" + k), 1e-12,
              "selector at budget " + k);
        }
      }
    }
  }
}
