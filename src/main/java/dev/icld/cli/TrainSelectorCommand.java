package dev.icld.cli;

import dev.icld.data.BatchLoader;
import dev.icld.data.BatchSampler;
import dev.icld.data.Corpus;
import dev.icld.eval.DevScoring;
import dev.icld.eval.UtteranceRunner;
import dev.icld.files.AtomicFiles;
import dev.icld.model.Flops;
import dev.icld.model.LayerDrop;
import dev.icld.model.ModelConfig;
import dev.icld.model.TaskModel;
import dev.icld.selection.LayerSelector;
import dev.icld.selection.LogMelFilterbanks;
import dev.icld.selection.SelectorConfig;
import dev.icld.selection.SelectorFlops;
import dev.icld.selection.SelectorInputKind;
import dev.icld.selection.TemperatureSchedule;
import dev.icld.train.SelectorTraining;
import dev.icld.train.Trainer;
import dev.icld.train.TrainerOptions;
import dev.icld.train.TrainingSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code icld train-selector}: stage 2 (and optionally 3) of METHOD design point 5 on a model
 * directory written by {@code icld finetune}: trains a budget-conditioned layer selector with the
 * model frozen, calibrates its adaptive thresholds on the dev set, and saves it beside the model
 * (or, after joint fine-tuning, writes model and selector to --out). Rerun the same command to
 * resume an interrupted run (MODEL/selector-training).
 */
@Command(
    name = "train-selector",
    mixinStandardHelpOptions = true,
    description = "Train the input-conditioned layer selector of a fine-tuned model (backbone and "
        + "heads frozen; straight-through Gumbel top-k, annealed temperature, a budget drawn per "
        + "batch); saves selector.safetensors and selector.json beside the model.")
final class TrainSelectorCommand implements Callable<Integer> {
  static final String RUN_DIR = "selector-training";
  private static final String OPTIONS_FILE = "options.txt";

  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "model directory from icld finetune (ideally with --layer-drop random)")
  Path model;

  @Option(names = "--data", required = true, paramLabel = "DIR",
      description = "corpus directory with train.jsonl and dev.jsonl")
  Path data;

  @Option(names = "--input", defaultValue = "features", paramLabel = "KIND",
      description = "what the selector reads: features (the feature encoder's output) or logmel "
          + "(default: ${DEFAULT-VALUE})")
  String input;

  @Option(names = "--budgets", defaultValue = "1..", paramLabel = "LIST",
      description = "budgets k drawn per batch, e.g. 1..12 or 12,9,6,3 (default: every k)")
  String budgets;

  @Option(names = "--epochs", defaultValue = "5", paramLabel = "N",
      description = "default: ${DEFAULT-VALUE}")
  int epochs;

  @Option(names = "--max-steps", defaultValue = "0", paramLabel = "N",
      description = "stop after this many steps; 0 for no limit (default: ${DEFAULT-VALUE})")
  int maxSteps;

  @Option(names = "--lr", defaultValue = "1e-3", paramLabel = "X",
      description = "selector learning rate (default: ${DEFAULT-VALUE})")
  double learningRate;

  @Option(names = "--batch-seconds", defaultValue = "16", paramLabel = "S",
      description = "most padded audio per batch (default: ${DEFAULT-VALUE})")
  double batchSeconds;

  @Option(names = "--tau0", defaultValue = "2.0", paramLabel = "T",
      description = "initial Gumbel temperature (default: ${DEFAULT-VALUE})")
  double initialTemperature;

  @Option(names = "--tau-min", defaultValue = "0.2", paramLabel = "T",
      description = "final Gumbel temperature, reached at the last step (default: ${DEFAULT-VALUE})")
  double minimumTemperature;

  @Option(names = "--distill", description = "add KL distillation from the full-depth output")
  boolean distill;

  @Option(names = "--distill-weight", defaultValue = "1.0", paramLabel = "W",
      description = "weight of the distillation term with --distill (default: ${DEFAULT-VALUE})")
  double distillWeight;

  @Option(names = "--joint-finetune-steps", defaultValue = "0", paramLabel = "N",
      description = "stage 3: then train backbone, heads and selector together for N steps; "
          + "needs --out (default: ${DEFAULT-VALUE})")
  int jointSteps;

  @Option(names = "--joint-lr", defaultValue = "2e-5", paramLabel = "X",
      description = "learning rate of joint fine-tuning (default: ${DEFAULT-VALUE})")
  double jointLearningRate;

  @Option(names = "--out", paramLabel = "DIR",
      description = "with --joint-finetune-steps: where the jointly tuned model and its selector "
          + "go (the input model, the baselines' backbone, stays unchanged)")
  Path out;

  @Option(names = "--selector-dir", paramLabel = "DIR",
      description = "where the selector and its training run go (default: the model directory); "
          + "one directory per variant keeps ablations apart (icld eval --selector-dir reads it)")
  Path selectorDir;

  @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
      description = "default: ${DEFAULT-VALUE}")
  long seed;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    SelectorInputKind kind = SelectorInputKind.fromLabel(input.equals("logmel") ? "log-mel" : input);
    if (jointSteps < 0 || (jointSteps > 0 && out == null)) {
      throw new IllegalArgumentException(jointSteps < 0 ? "--joint-finetune-steps must be >= 0"
          : "--joint-finetune-steps needs --out: joint fine-tuning changes the backbone, and the "
              + "input model must stay the baselines' model");
    }
    if (!(batchSeconds > 0)) {
      throw new IllegalArgumentException("--batch-seconds must be positive, got " + batchSeconds);
    }
    PrintWriter printed = spec.commandLine().getOut();
    try (TaskModel taskModel = TaskModel.load(model)) {
      int layers = taskModel.backbone().layerCount();
      List<Integer> trained = BudgetList.parse(budgets, layers);
      Corpus train = CorpusSplits.load(data, "train", taskModel);
      Corpus dev = CorpusSplits.load(data, "dev", taskModel);
      printed.printf("model        %s: %s, %s, %d layers, layer drop %s%n", model,
          taskModel.task().id(), taskModel.backbone().config().modelType().id(), layers,
          taskModel.layerDrop().mode().id());
      if (taskModel.layerDrop().mode() != LayerDrop.Mode.RANDOM) {
        printed.println("warning      the model was not fine-tuned with random LayerDrop; its "
            + "layers may not tolerate being skipped");
      }
      printed.printf("data         %s: train %d, dev %d; budgets %s; input %s%s%n", data,
          train.size(), dev.size(), trained, kind.label(), distill ? "; distillation" : "");
      printed.flush();
      ModelConfig config = taskModel.backbone().config();
      int channels = kind == SelectorInputKind.FEATURES
          ? config.convDim().get(config.convDim().size() - 1)
          : LogMelFilterbanks.BINS;
      UtteranceRunner devRunner = new UtteranceRunner(taskModel, dev);
      try (LayerSelector selector =
              LayerSelector.initialise(SelectorConfig.of(kind, channels, layers), seed);
          BatchLoader trainLoader = new BatchLoader(train, taskModel.labels(),
              BatchSampler.Options.training(0, batchSeconds, seed), 0);
          BatchLoader devLoader = new BatchLoader(dev, taskModel.labels(),
              BatchSampler.Options.evaluation(0, batchSeconds), 0)) {
        TrainerOptions options = TrainerOptions.defaults().withEpochs(epochs)
            .withMaxSteps(maxSteps).withLearningRate(learningRate).withWarmupFraction(0.05)
            .withSeed(seed);
        Path home = selectorDir == null ? model : selectorDir;
        Path runDir = home.resolve(RUN_DIR);
        guardRun(runDir, kind, trained);
        TemperatureSchedule temperature = new TemperatureSchedule(initialTemperature,
            minimumTemperature, Math.max(1, totalSteps(trainLoader, epochs, maxSteps)));
        SelectorTraining stage2 = new SelectorTraining(taskModel, selector,
            new SelectorTraining.Options(trained, temperature, distill ? distillWeight : 0, false),
            SelectorTraining.resumedStep(runDir),
            loader -> DevScoring.selectorScore(devRunner, selector, trained));
        TrainingSummary summary = new Trainer(printed).fit(stage2, trainLoader, devLoader, runDir,
            options);
        Path target = home;
        if (jointSteps > 0) {
          Files.createDirectories(out);
          Path jointDir = out.resolve(RUN_DIR + "-joint");
          TemperatureSchedule cold = new TemperatureSchedule(minimumTemperature, minimumTemperature, 1);
          SelectorTraining stage3 = new SelectorTraining(taskModel, selector,
              new SelectorTraining.Options(trained, cold, distill ? distillWeight : 0, true),
              SelectorTraining.resumedStep(jointDir),
              loader -> DevScoring.selectorScore(devRunner, selector, trained));
          summary = new Trainer(printed).fit(stage3, trainLoader, devLoader, jointDir,
              options.withEpochs(Math.max(1, epochs)).withMaxSteps(jointSteps)
                  .withLearningRate(jointLearningRate));
          taskModel.save(out);
          target = out;
        }
        selector.recordTrainedBudgets(trained);
        Map<Integer, Double> thresholds = DevScoring.calibrateAdaptive(devRunner, selector, trained);
        selector.save(target);
        printed.printf("adaptive     thresholds calibrated on dev: %s%n", thresholds);
        if (summary.best() != null) {
          printed.printf("dev          selector top-k: %s%n", summary.best().metrics());
        }
        double seconds = dev.totalSeconds() / dev.size();
        SelectorFlops cost = SelectorFlops.of(selector.config(), config, seconds);
        double fraction = cost.fractionOfFullModel(Flops.of(config, seconds));
        printed.printf("selector     %.4f GFLOPs per audio second, %.3f%% of the full model "
            + "(mean dev utterance, %.2f s)%s%n", cost.perSecond() / 1e9, 100 * fraction, seconds,
            fraction < 0.01 ? "" : "; WARNING: not under 1% (a backbone this small is cheaper "
                + "than the selector's fixed cost)");
        printed.printf("wrote        %s and %s in %s%n", LayerSelector.WEIGHTS,
            LayerSelector.CONFIG, target);
        printed.flush();
      }
    }
    return 0;
  }

  /**
   * A rerun resumes the run in {@code runDir}; that is only right when it was started with the
   * same options, so they are recorded there and a different set is refused.
   */
  private void guardRun(Path runDir, SelectorInputKind kind, List<Integer> trained)
      throws IOException {
    String options = String.format("input %s, budgets %s, epochs %d, max steps %d, lr %s, "
        + "tau %s to %s, distillation %s, joint steps %d, seed %d%n", kind.label(), trained,
        epochs, maxSteps, learningRate, initialTemperature, minimumTemperature,
        distill ? distillWeight : 0, jointSteps, seed);
    Path file = runDir.resolve(OPTIONS_FILE);
    if (Files.exists(file)) {
      String previous = Files.readString(file, StandardCharsets.UTF_8);
      if (!previous.equals(options)) {
        throw new IOException(runDir + ": holds a selector run with other options ("
            + previous.strip() + "); delete that directory to start afresh, or train the "
            + "variant on a copy of the model directory");
      }
      return;
    }
    AtomicFiles.writeString(file, options);
  }

  /** The trainer's step count for these options: the temperature anneals over all of it. */
  private static int totalSteps(BatchLoader train, int epochs, int maxSteps) {
    int steps = 0;
    for (int epoch = 0; epoch < epochs; epoch++) {
      steps += train.plan(epoch).size();
    }
    return maxSteps > 0 ? Math.min(steps, maxSteps) : steps;
  }
}
