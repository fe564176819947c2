package dev.icld.recipes;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.icld.data.BatchLoader;
import dev.icld.data.BatchSampler;
import dev.icld.data.Corpus;
import dev.icld.data.LabelVocabulary;
import dev.icld.data.LoadOptions;
import dev.icld.data.SpeedPerturbation;
import dev.icld.data.TargetKind;
import dev.icld.eval.TaskEvaluator;
import dev.icld.files.AtomicFiles;
import dev.icld.files.RunSettings;
import dev.icld.model.Checkpoints;
import dev.icld.model.FoundationModel;
import dev.icld.model.LayerDrop;
import dev.icld.model.Task;
import dev.icld.model.TaskModel;
import dev.icld.train.Evaluation;
import dev.icld.train.FineTuning;
import dev.icld.train.SpecAugment;
import dev.icld.train.Trainer;
import dev.icld.train.TrainerOptions;
import dev.icld.train.TrainingSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One fine-tuning run: a backbone and a fresh task head trained on a corpus's train split under
 * a layer-drop mode (random LayerDrop: stage 1 of METHOD design point 5; early exit: the model of
 * that baseline, design point 6), the best dev checkpoint kept, the model directory written with
 * the full-depth dev (and test) scores in evaluation.json. A rerun with the same
 * settings resumes from the last checkpoint in OUT/{@value #RUN_DIR}; other settings there are
 * refused.
 */
public final class FineTuningJob {
  public static final String RUN_DIR = "training";

  /**
   * What a run trains and where.
   *
   * @param model a Hugging Face backbone directory
   * @param data a corpus directory with train.jsonl and dev.jsonl (test.jsonl is scored too when
   *     present)
   * @param out the model directory to write
   * @param speedPerturbation null to play the utterances as recorded (and cache the frozen feature
   *     encoder's output)
   * @param trainer the schedule and optimiser; its seed also draws the head's initialisation, the
   *     batch order and the speed perturbation
   * @param batchSeconds the most padded audio per batch
   * @param skipBad leave out bad manifest lines instead of refusing the split
   * @param settings everything that changes what the run trains, as {@link RunSettings} records
   *     it for a rerun to compare
   */
  public record Request(Path model, Task task, Path data, Path out, LayerDrop layerDrop,
      SpecAugment specAugment, SpeedPerturbation speedPerturbation, TrainerOptions trainer,
      double batchSeconds, boolean unfreezeFeatureEncoder, boolean skipBad, String settings) {}

  private final PrintWriter printed;

  public FineTuningJob(PrintWriter printed) {
    this.printed = printed;
  }

  public void run(Request request) throws IOException {
    Path data = request.data();
    if (!Files.isDirectory(data)) {
      throw new IOException(data + ": data directory not found");
    }
    Task task = request.task();
    SpecAugment specAugment = request.specAugment();
    SpeedPerturbation perturbation = request.speedPerturbation();
    // The backbone first: a wrong model fails at once, not after the corpus checks.
    FoundationModel backbone = Checkpoints.load(request.model());
    try {
      TargetKind target = task.classification() ? TargetKind.LABEL : TargetKind.TRANSCRIPT;
      Corpus train = loadCorpus(request, "train", LoadOptions.of(target));
      LabelVocabulary labels =
          task.classification() ? LabelVocabulary.fromTraining(train.utterances()) : null;
      LoadOptions checked = labels == null
          ? LoadOptions.of(target) : LoadOptions.of(target).withVocabulary(labels);
      Corpus dev = loadCorpus(request, "dev", checked);
      Corpus test = Files.exists(data.resolve("test.jsonl"))
          ? loadCorpus(request, "test", checked) : null;
      printed.printf("data         %s: train %d (%.1f min), dev %d, test %s%s%n", data,
          train.size(), train.totalSeconds() / 60, dev.size(), test == null ? "none" : test.size(),
          labels == null ? "" : ", " + labels.size() + " classes");
      printed.printf("model        %s: %s, %d layers, hidden %d; layer drop %s%n", request.model(),
          backbone.config().modelType().id(), backbone.layerCount(),
          backbone.config().hiddenSize(), request.layerDrop().describe());
      printed.printf("training     lr %s, head lr %s; SpecAugment %s; %s%n",
          request.trainer().learningRate(), request.trainer().headPeakRate(),
          specAugment.masksTime() || specAugment.masksFeatures()
              ? String.format("time %s x %d, channels %s x %d", specAugment.timeProbability(),
                  specAugment.timeLength(), specAugment.featureProbability(),
                  specAugment.featureLength())
              : "off", perturbation == null ? "speed as recorded" : perturbation.describe());
      printed.flush();
      try (TaskModel taskModel = TaskModel.create(backbone, task, labels, request.layerDrop(),
              request.trainer().seed());
          BatchLoader trainLoader = new BatchLoader(train, labels,
              BatchSampler.Options.training(0, request.batchSeconds(), request.trainer().seed()), 0,
              perturbation);
          BatchLoader devLoader = evalLoader(dev, labels, request.batchSeconds())) {
        Path runDir = request.out().resolve(RUN_DIR);
        RunSettings.guard(runDir, request.settings(), "a fine-tuning run",
            "delete it to start afresh, or choose another --out");
        FineTuning objective = new FineTuning(taskModel, request.unfreezeFeatureEncoder(),
            specAugment, !trainLoader.perturbs(),
            loader -> TaskEvaluator.evaluate(taskModel, loader));
        TrainingSummary summary = new Trainer(printed).fit(objective, trainLoader, devLoader,
            runDir, request.trainer());
        printed.printf("feature cache %s%n", objective.featureCacheStatus());
        taskModel.save(request.out());
        JsonObject report = new JsonObject();
        report.addProperty("steps", summary.steps());
        report.add("dev", evaluate("dev", taskModel, devLoader));
        if (test != null) {
          try (BatchLoader testLoader = evalLoader(test, labels, request.batchSeconds())) {
            report.add("test", evaluate("test", taskModel, testLoader));
          }
        }
        AtomicFiles.writeString(request.out().resolve("evaluation.json"),
            new GsonBuilder().setPrettyPrinting().create().toJson(report) + "\n");
        printed.printf("wrote        %s (backbone, heads, icld.json, evaluation.json, training/)%n",
            request.out());
      }
    } finally {
      backbone.close();
    }
  }

  private static Corpus loadCorpus(Request request, String split, LoadOptions options)
      throws IOException {
    return CorpusSplits.load(request.data(), split,
        request.skipBad() ? options.skippingBadLines() : options);
  }

  private static BatchLoader evalLoader(Corpus corpus, LabelVocabulary labels,
      double batchSeconds) {
    return new BatchLoader(corpus, labels, BatchSampler.Options.evaluation(0, batchSeconds), 0);
  }

  private JsonObject evaluate(String split, TaskModel model, BatchLoader loader) {
    Evaluation result = TaskEvaluator.evaluate(model, loader);
    JsonObject o = new JsonObject();
    StringBuilder line = new StringBuilder();
    result.metrics().forEach((name, value) -> {
      o.addProperty(name, value);
      line.append(String.format(" %s %.4f", name, value));
    });
    printed.printf("%-12s full depth (%d layers):%s%n", split, model.backbone().layerCount(), line);
    printed.flush();
    return o;
  }
}
