package dev.icld.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.icld.data.BatchLoader;
import dev.icld.data.BatchSampler;
import dev.icld.data.Corpus;
import dev.icld.data.LabelVocabulary;
import dev.icld.data.TargetKind;
import dev.icld.eval.TaskEvaluator;
import dev.icld.model.Checkpoints;
import dev.icld.model.LayerDrop;
import dev.icld.model.Task;
import dev.icld.model.TaskModel;
import dev.icld.model.Torch;
import dev.icld.selection.Budget;
import dev.icld.selection.InputConditionedPolicy;
import dev.icld.selection.LayerSelector;
import dev.icld.selection.SelectorConfig;
import dev.icld.selection.SelectorInputKind;
import dev.icld.selection.SelectorPooling;
import dev.icld.selection.TemperatureSchedule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Stage 2 and 3 of selector training on a tiny fine-tuned classifier. */
class SelectorTrainingTest {
  private static final int LAYERS = 4;

  @TempDir static Path data;
  @TempDir Path temp;

  private static Corpus train;
  private static LabelVocabulary labels;

  @BeforeAll
  static void writeCorpus() throws IOException {
    TinySetup.corpus(data, 4, 1, 5);
    train = TinySetup.load(data, "train", TargetKind.LABEL);
    labels = LabelVocabulary.fromTraining(train.utterances());
  }

  /** A classifier fine-tuned at full depth, so that which layers run changes its loss. */
  private TaskModel fineTuned() throws IOException {
    TaskModel model = TaskModel.create(Checkpoints.randomlyInitialised(TinySetup.config(LAYERS), 3),
        Task.KWS, labels, LayerDrop.none(), 4);
    try (BatchLoader loader = TinySetup.trainLoader(train, labels, 1)) {
      new Trainer().fit(new FineTuning(model, false, d -> TaskEvaluator.evaluate(model, d)), loader,
          null, temp.resolve("finetune"), TrainerOptions.defaults().withProgress(false)
              .withLearningRate(5e-3).withMaxSteps(12).withEpochs(10).withSeed(2));
    }
    return model;
  }

  /** Every training utterance in one batch, so that the loss only moves with the selection. */
  private static BatchLoader wholeBatch() {
    return new BatchLoader(train, labels, BatchSampler.Options.training(0, 1000, 1), 0);
  }

  private static List<JsonObject> steps(Path runDir) throws IOException {
    List<JsonObject> steps = new ArrayList<>();
    for (String line : Files.readAllLines(runDir.resolve(Trainer.METRICS), StandardCharsets.UTF_8)) {
      JsonObject o = JsonParser.parseString(line).getAsJsonObject();
      if (o.get("event").getAsString().equals("step")) {
        steps.add(o);
      }
    }
    return steps;
  }

  private static Map<String, float[]> values(Map<String, NDArray> parameters) {
    Map<String, float[]> out = new TreeMap<>();
    parameters.forEach((name, p) -> out.put(name, p.toFloatArray()));
    return out;
  }

  @ParameterizedTest
  @EnumSource(SelectorPooling.class)
  void theSelectorAloneLearnsAndItsLossDecreases(SelectorPooling pooling) throws IOException {
    try (TaskModel model = fineTuned();
        LayerSelector selector = LayerSelector.initialise(
            SelectorConfig.of(SelectorInputKind.FEATURES, 16, LAYERS, pooling), 11);
        BatchLoader loader = wholeBatch()) {
      Map<String, float[]> backboneBefore = values(model.backbone().parameters());
      Map<String, float[]> headsBefore = values(model.headParameters());
      SelectorTraining objective = new SelectorTraining(model, selector,
          new SelectorTraining.Options(List.of(1), new TemperatureSchedule(2, 0.2, 40), 0, false,
              MaskTargets.NONE, 0),
          0, d -> { throw new AssertionError("no dev set"); });
      assertEquals(selector.parameters().size(), objective.parameters().size());
      Path run = temp.resolve("selector");
      // The maximum beside the mean makes the pooled vector larger, so a step moves the logits
      // further: at the mean's toy rate, 5e-2, this tiny problem's gates saturate within a few
      // steps and the gradient vanishes (the real default is 1e-3).
      new Trainer().fit(objective, loader, null, run, TrainerOptions.defaults().withProgress(false)
          .withLearningRate(pooling == SelectorPooling.MEAN ? 5e-2 : 1e-2)
          .withWarmupFraction(0).withMaxSteps(40).withEpochs(40)
          .withSeed(3));
      List<JsonObject> steps = steps(run);
      assertEquals(40, steps.size());
      double first = 0;
      double last = 0;
      List<Double> losses = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        first += steps.get(i).get("loss").getAsDouble();
        last += steps.get(steps.size() - 1 - i).get("loss").getAsDouble();
      }
      steps.forEach(s -> losses.add(s.get("loss").getAsDouble()));
      assertTrue(last < first, "mean loss of the last 10 steps " + last / 10
          + " not below the first 10 " + first / 10 + ": " + losses);
      assertEquals(2.0, steps.get(0).get("temperature").getAsDouble(), 1e-9);
      assertEquals(0.2, steps.get(39).get("temperature").getAsDouble(), 0.02);
      // Stage 2 leaves the fine-tuned model exactly as it was.
      Map<String, float[]> backboneAfter = values(model.backbone().parameters());
      backboneBefore.forEach((name, v) -> assertArrayEquals(v, backboneAfter.get(name), name));
      Map<String, float[]> headsAfter = values(model.headParameters());
      headsBefore.forEach((name, v) -> assertArrayEquals(v, headsAfter.get(name), name));
    }
  }

  @Test
  void maskTargetsPullTheSelectorsTopKTowardsEachClassMask() throws IOException {
    Path oracle = temp.resolve("oracle.json");
    Files.writeString(oracle, """
        {"task": "kws", "budgets": [{"budget": 2,
          "class_masks": {"high": [0, 1], "low": [2, 3], "mid": [1, 2]}}]}""");
    MaskTargets targets = MaskTargets.read(oracle, "kws", labels, LAYERS);
    try (TaskModel model = fineTuned();
        LayerSelector selector = LayerSelector.initialise(
            SelectorConfig.of(SelectorInputKind.FEATURES, 16, LAYERS), 11);
        BatchLoader loader = wholeBatch()) {
      Path run = temp.resolve("targets");
      new Trainer().fit(new SelectorTraining(model, selector,
          new SelectorTraining.Options(List.of(2), new TemperatureSchedule(2, 0.2, 40), 0, false,
              targets, 20), 0, d -> { throw new AssertionError("no dev set"); }),
          loader, null, run, TrainerOptions.defaults().withProgress(false)
              .withLearningRate(5e-2).withWarmupFraction(0).withMaxSteps(40).withEpochs(40)
              .withSeed(3));
      List<JsonObject> steps = steps(run);
      assertTrue(steps.get(39).get("mask_target").getAsDouble()
          < steps.get(0).get("mask_target").getAsDouble(), "the mask-target loss did not fall");
      InputConditionedPolicy policy = new InputConditionedPolicy(selector);
      int matches = 0;
      try (NDManager manager = Torch.newManager()) {
        for (int u = 0; u < train.size(); u++) {
          boolean[] mask = TinySetup.selectedMask(model, policy, train, u, Budget.of(2, LAYERS),
              manager);
          float[] target = targets.target(2, labels.indexOf(train.get(u).entry().label()));
          boolean same = true;
          for (int layer = 0; layer < LAYERS; layer++) {
            same &= mask[layer] == (target[layer] == 1f);
          }
          matches += same ? 1 : 0;
        }
      }
      assertTrue(matches >= train.size() * 3 / 4, "the selector's top-2 was its class's target "
          + "mask for " + matches + " of " + train.size() + " training utterances");
    }
  }

  @Test
  void jointFineTuningTrainsTheModelTooAndDistillationIsLogged() throws IOException {
    try (TaskModel model = fineTuned();
        LayerSelector selector = LayerSelector.initialise(
            SelectorConfig.of(SelectorInputKind.LOG_MEL, 80, LAYERS), 11);
        BatchLoader loader = wholeBatch()) {
      Map<String, float[]> headsBefore = values(model.headParameters());
      SelectorTraining objective = new SelectorTraining(model, selector,
          new SelectorTraining.Options(List.of(1, 2, 3), new TemperatureSchedule(1, 1, 1), 1.0,
              true, MaskTargets.NONE, 0), 0, d -> { throw new AssertionError("no dev set"); });
      assertTrue(objective.parameters().containsKey("selector.conv.weight"));
      assertTrue(objective.parameters().containsKey("heads.0.weight"));
      assertTrue(objective.parameters().keySet().stream().noneMatch(n -> n.startsWith("feature_extractor.")));
      Path run = temp.resolve("joint");
      new Trainer().fit(objective, loader, null, run, TrainerOptions.defaults().withProgress(false)
          .withLearningRate(1e-3).withMaxSteps(3).withEpochs(3).withSeed(3));
      List<JsonObject> steps = steps(run);
      assertEquals(3, steps.size());
      assertTrue(steps.get(0).has("distillation"));
      assertTrue(steps.get(0).get("distillation").getAsDouble() >= 0);
      float[] before = headsBefore.get("heads.0.weight");
      float[] after = model.headParameters().get("heads.0.weight").toFloatArray();
      assertTrue(!java.util.Arrays.equals(before, after), "joint fine-tuning left the head as it was");
      assertEquals(3, SelectorTraining.resumedStep(run));
    }
  }

  @Test
  void klDivergenceIsZeroForEqualPredictionsAndMatchesByHand() {
    try (NDManager manager = Torch.newManager()) {
      NDArray teacher = manager.create(new float[] {0f, 0f, 2f, 1f}, new Shape(2, 2));
      NDArray student = manager.create(new float[] {0f, 0f, 2f, 1f}, new Shape(2, 2));
      assertEquals(0f, SelectorTraining.klDivergence(teacher, student, new int[] {1, 1}, manager)
          .getFloat(), 1e-6f);
      NDArray other = manager.create(new float[] {1f, 0f, 0f, 0f}, new Shape(2, 2));
      double p1 = 1 / (1 + Math.exp(-1)); // the second row's teacher, softmax(2, 1)
      double q0 = 1 / (1 + Math.exp(-1)); // the first row's student, softmax(1, 0)
      double expected = (0.5 * Math.log(0.5 / q0) + 0.5 * Math.log(0.5 / (1 - q0))
          + p1 * Math.log(p1 / 0.5) + (1 - p1) * Math.log((1 - p1) / 0.5)) / 2;
      assertEquals(expected, SelectorTraining.klDivergence(teacher, other, new int[] {1, 1},
          manager).getFloat(), 1e-5);
      // CTC form: only valid frames count.
      NDArray frames = manager.create(new float[] {0f, 0f, 5f, -5f}, new Shape(1, 2, 2));
      NDArray framesStudent = manager.create(new float[] {0f, 0f, -5f, 5f}, new Shape(1, 2, 2));
      assertEquals(0f, SelectorTraining.klDivergence(frames, framesStudent, new int[] {1}, manager)
          .getFloat(), 1e-6f);
    }
  }
}
