package dev.icld.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.icld.audio.Audio;
import dev.icld.data.Corpus;
import dev.icld.data.LoadOptions;
import dev.icld.data.TargetKind;
import dev.icld.eval.MethodComparison;
import dev.icld.eval.MethodResult;
import dev.icld.methods.Method;
import dev.icld.methods.Methods;
import dev.icld.metrics.Outcome;
import dev.icld.model.FoundationModel;
import dev.icld.model.LayerDrop;
import dev.icld.model.Task;
import dev.icld.model.TaskModel;
import dev.icld.train.TinySetup;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code icld eval} records of each test utterance (the layers that ran, and whether the
 * label was right or the transcript's edit counts) is what {@link DynamicSpeechModel#infer} gives
 * on the same model, budget and utterance: the reports describe the API.
 */
class EvalAgreesWithRuntimeTest {
  @TempDir Path temp;

  @Test
  void classifierWithSelectorAndStaticSubsets() throws IOException {
    Path dir = TinyModels.classifierWithSelector(temp.resolve("model"));
    assertAgree(dir, split(TargetKind.LABEL), List.of(Methods.FULL, Methods.STATIC,
        Methods.SELECTOR, Methods.ADAPTIVE, Methods.FIRST_K));
  }

  @Test
  void earlyExitModel() throws IOException {
    Path dir = TinyModels.save(TinyModels.taskModel(Task.KWS, LayerDrop.Mode.EARLY_EXIT, 7),
        temp.resolve("early-exit"));
    assertAgree(dir, split(TargetKind.LABEL), List.of(Methods.EARLY_EXIT, Methods.FIRST_K));
  }

  @Test
  void transcriptionModel() throws IOException {
    Path dir = TinySetup.untrainedAsrModel(temp.resolve("asr"));
    assertAgree(dir, split(TargetKind.TRANSCRIPT), List.of(Methods.FULL, Methods.FIRST_K));
  }

  private Corpus split(TargetKind target) throws IOException {
    Path data = TinySetup.corpus(temp.resolve("data-" + target), 1, 3, 5);
    return Corpus.load(data.resolve("test.jsonl"), LoadOptions.of(target).cachingAudio());
  }

  /** Every method at budgets 1 and 2 through the comparison, then each utterance through the API. */
  private static void assertAgree(Path dir, Corpus test, List<Method> methods) throws IOException {
    MethodComparison.Comparison comparison;
    try (TaskModel model = TaskModel.load(dir)) {
      comparison = new MethodComparison(model, dir, dir, test, null,
          new MethodComparison.Options(methods, false, List.of(2, 1), 3, 5, 10, 0)).run();
    }
    for (Method method : methods) {
      assertTrue(comparison.results().stream().anyMatch(r -> r.method().equals(method.name())),
          method + " ran");
    }
    try (DynamicSpeechModel runtime = DynamicSpeechModel.load(dir)) {
      for (MethodResult result : comparison.results()) {
        Method method = comparison.method(result.method());
        // The runtime serves adaptive mode as the selector under an adaptive budget.
        boolean adaptive = method == Methods.ADAPTIVE;
        InferenceBudget budget = adaptive
            ? InferenceBudget.adaptive(result.budget() / (double) runtime.layers())
            : InferenceBudget.layers(result.budget());
        String policy = adaptive ? Methods.SELECTOR.name() : method.name();
        for (Outcome recorded : result.outcomes()) {
          int u = recorded.utterance();
          String what = method.name() + " k=" + result.budget() + " utterance " + u;
          InferenceResult served = runtime.infer(
              new Audio(test.samples(u), FoundationModel.SAMPLE_RATE), budget, policy);
          boolean[] mask = new boolean[served.layerCount()];
          for (int layer : served.executedLayers()) {
            mask[layer] = true;
          }
          String reference = served.output().isClassification() ? test.get(u).entry().label()
              : test.get(u).entry().transcript();
          Outcome answered = served.output().outcome(u, mask, recorded.exit(), reference, 0);
          assertArrayEquals(recorded.mask(), answered.mask(), what + ": layers");
          assertEquals(recorded.correct(), answered.correct(), what + ": label");
          assertEquals(recorded.words(), answered.words(), what + ": word edits");
          assertEquals(recorded.characters(), answered.characters(), what + ": character edits");
        }
      }
    }
  }
}
