package dev.icld.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import dev.icld.data.Corpus;
import dev.icld.data.LabelVocabulary;
import dev.icld.data.LoadOptions;
import dev.icld.data.TargetKind;
import dev.icld.methods.Methods;
import dev.icld.model.BackboneEngine;
import dev.icld.model.Checkpoints;
import dev.icld.model.FrontEndOutput;
import dev.icld.model.HeadEngine;
import dev.icld.model.LayerDrop;
import dev.icld.model.LayerMask;
import dev.icld.model.ModelConfig;
import dev.icld.model.ModelOutput;
import dev.icld.model.Task;
import dev.icld.model.TaskModel;
import dev.icld.train.TinySetup;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each model of a comparison runs on the engines its {@link MethodComparison.Source} names: the
 * exit methods (dev calibration included) on the exit model's, everything else on the main
 * model's, and nothing on the models' own DJL backbones behind their backs.
 */
class MethodComparisonSourcesTest {
  @TempDir Path temp;

  /** The model's own backbone and heads, counting the passes that go through them. */
  private static final class Counting implements BackboneEngine, HeadEngine {
    private final TaskModel model;
    int encodes;
    int heads;

    Counting(TaskModel model) {
      this.model = model;
    }

    @Override
    public String engineName() {
      return "counting";
    }

    @Override
    public ModelConfig config() {
      return model.backbone().config();
    }

    @Override
    public int layerCount() {
      return model.backbone().layerCount();
    }

    @Override
    public int frames(int samples) {
      return model.backbone().frames(samples);
    }

    @Override
    public FrontEndOutput frontEnd(NDArray waveforms, int[] sampleLengths) {
      return model.backbone().frontEnd(waveforms, sampleLengths);
    }

    @Override
    public ModelOutput encode(FrontEndOutput frontEnd, LayerMask mask) {
      encodes++;
      return model.backbone().encode(frontEnd, mask);
    }

    @Override
    public NDArray logits(ModelOutput output, int index) {
      heads++;
      return model.logits(output, index);
    }

    MethodComparison.Source source(Path dir) {
      return new MethodComparison.Source(model, dir, this, this);
    }
  }

  @Test
  void exitMethodsRunOnTheExitSourcesEnginesAndTheRestOnTheMainOnes() throws IOException {
    Path data = TinySetup.corpus(temp.resolve("data"), 1, 2, 7);
    Corpus test = Corpus.load(data.resolve("test.jsonl"),
        LoadOptions.of(TargetKind.LABEL).cachingAudio());
    Corpus dev = Corpus.load(data.resolve("dev.jsonl"),
        LoadOptions.of(TargetKind.LABEL).cachingAudio());
    LabelVocabulary labels = LabelVocabulary.of(List.of("high", "low", "mid"));
    try (TaskModel main = TaskModel.create(Checkpoints.randomlyInitialised(TinySetup.config(3), 1),
            Task.KWS, labels, LayerDrop.none(), 2);
        TaskModel exits = TaskModel.create(Checkpoints.randomlyInitialised(TinySetup.config(3), 3),
            Task.KWS, labels, new LayerDrop(LayerDrop.Mode.EARLY_EXIT, 0.5, false), 4)) {
      Counting mainEngine = new Counting(main);
      Counting exitEngine = new Counting(exits);
      MethodComparison.Options options = new MethodComparison.Options(
          List.of(Methods.FULL, Methods.EARLY_EXIT, Methods.DYNAMIC_EXIT), false, List.of(2), 0, 5,
          20, 0);
      MethodComparison.Comparison comparison = new MethodComparison(
          mainEngine.source(temp.resolve("main")), exitEngine.source(temp.resolve("exits")),
          temp.resolve("no-selector"), test, dev, options, null).run();

      assertEquals(3, comparison.results().size(), comparison.toString());
      assertEquals(temp.resolve("exits"), comparison.exitModel());
      // full: one pass and one head per test utterance, warm-up off.
      assertEquals(test.size(), mainEngine.encodes);
      assertEquals(test.size(), mainEngine.heads);
      // early-exit on the test set, and dynamic-exit's calibration on dev and run on test.
      assertTrue(exitEngine.encodes >= 2 * test.size() + dev.size(), "" + exitEngine.encodes);
      assertTrue(exitEngine.heads >= 2 * test.size() + dev.size(), "" + exitEngine.heads);
    }
  }
}
