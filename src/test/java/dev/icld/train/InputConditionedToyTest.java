package dev.icld.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.icld.data.Batch;
import dev.icld.data.BatchLoader;
import dev.icld.data.Corpus;
import dev.icld.data.LabelVocabulary;
import dev.icld.data.TargetKind;
import dev.icld.model.Checkpoints;
import dev.icld.model.LayerDrop;
import dev.icld.model.LayerMask;
import dev.icld.model.ModelOutput;
import dev.icld.model.Task;
import dev.icld.model.TaskModel;
import dev.icld.model.Torch;
import dev.icld.selection.Budget;
import dev.icld.selection.InputConditionedPolicy;
import dev.icld.selection.LayerSelector;
import dev.icld.selection.SelectorConfig;
import dev.icld.selection.SelectorInputKind;
import dev.icld.selection.TemperatureSchedule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A toy task where the right layer depends on the input: a 3-layer classifier is fine-tuned so
 * that utterances of class c run only layer c. A selector trained at budget 1 must then learn to
 * pick layer c for class c, which no fixed subset can do.
 */
class InputConditionedToyTest {
  @TempDir Path temp;

  /** Fine-tuning where each utterance runs only the layer of its class. */
  private static final class ClassRoutedFineTuning implements TrainingObjective {
    private final TaskModel model;
    private final FineTuning fineTuning;

    ClassRoutedFineTuning(TaskModel model) {
      this.model = model;
      this.fineTuning = new FineTuning(model, false, d -> {
        throw new AssertionError("no dev set");
      });
    }

    @Override
    public Map<String, NDArray> parameters() {
      return fineTuning.parameters();
    }

    @Override
    public StepOutput step(Batch batch, NDManager manager, Random random) {
      int layers = model.backbone().layerCount();
      float[] gates = new float[batch.size() * layers];
      for (int b = 0; b < batch.size(); b++) {
        gates[b * layers + batch.labels()[b]] = 1f;
      }
      ModelOutput output = model.backbone().forward(manager.create(batch.audio()),
          batch.lengths(), LayerMask.gated(manager.create(gates, new Shape(batch.size(), layers))));
      NDArray loss = fineTuning.loss(model.logits(output, model.finalHead()),
          output.frameLengths(), batch, manager);
      return new StepOutput(loss, fineTuning.parameters().keySet(), Map.of());
    }

    @Override
    public Evaluation evaluate(BatchLoader dev) {
      throw new AssertionError("no dev set");
    }
  }

  @Test
  void theSelectorPicksTheLayerThatTheInputNeeds() throws IOException {
    Path data = TinySetup.corpus(temp.resolve("data"), 8, 4, 7);
    Corpus train = TinySetup.load(data, "train", TargetKind.LABEL);
    LabelVocabulary labels = LabelVocabulary.fromTraining(train.utterances());
    Corpus dev = TinySetup.load(data, "dev", TargetKind.LABEL);
    try (TaskModel model = TaskModel.create(
            Checkpoints.randomlyInitialised(TinySetup.config(3), 5), Task.KWS, labels,
            LayerDrop.none(), 6);
        LayerSelector selector = LayerSelector.initialise(
            SelectorConfig.of(SelectorInputKind.FEATURES, 16, 3), 8);
        BatchLoader loader = TinySetup.trainLoader(train, labels, 2)) {
      TrainerOptions quiet = TrainerOptions.defaults().withProgress(false).withSeed(4);
      new Trainer().fit(new ClassRoutedFineTuning(model), loader, null, temp.resolve("routed"),
          quiet.withLearningRate(5e-3).withMaxSteps(40).withEpochs(40));
      new Trainer().fit(new SelectorTraining(model, selector, new SelectorTraining.Options(
              List.of(1), new TemperatureSchedule(2, 0.3, 40), 0, false, MaskTargets.NONE, 0), 0,
          d -> {
            throw new AssertionError("no dev set");
          }), loader, null, temp.resolve("selector"),
          quiet.withLearningRate(3e-2).withMaxSteps(40).withEpochs(40).withWarmupFraction(0));

      InputConditionedPolicy policy = new InputConditionedPolicy(selector);
      int matches = 0;
      Set<Integer> chosen = new HashSet<>();
      try (NDManager manager = Torch.newManager()) {
        for (int u = 0; u < dev.size(); u++) {
          boolean[] mask = TinySetup.selectedMask(model, policy, dev, u, Budget.of(1, 3), manager);
          int layer = mask[0] ? 0 : mask[1] ? 1 : 2;
          chosen.add(layer);
          matches += layer == labels.indexOf(dev.get(u).entry().label()) ? 1 : 0;
        }
      }
      assertTrue(chosen.size() > 1, "the selector ran layer " + chosen + " for every input");
      assertTrue(matches >= dev.size() * 2 / 3, "the selector picked the class's own layer for "
          + matches + " of " + dev.size() + " utterances");
    }
  }
}
