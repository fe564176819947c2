package dev.icld.recipes;

import dev.icld.data.BatchLoader;
import dev.icld.data.BatchSampler;
import dev.icld.data.Corpus;
import dev.icld.eval.DevScoring;
import dev.icld.eval.UtteranceRunner;
import dev.icld.files.RunSettings;
import dev.icld.model.Flops;
import dev.icld.model.ModelConfig;
import dev.icld.model.TaskModel;
import dev.icld.selection.LayerSelector;
import dev.icld.selection.LogMelFilterbanks;
import dev.icld.selection.SelectorConfig;
import dev.icld.selection.SelectorFlops;
import dev.icld.selection.SelectorInputKind;
import dev.icld.selection.SelectorPooling;
import dev.icld.selection.TemperatureSchedule;
import dev.icld.train.MaskTargets;
import dev.icld.train.SelectorTraining;
import dev.icld.train.Trainer;
import dev.icld.train.TrainerOptions;
import dev.icld.train.TrainingSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One selector training run on a loaded model: stage 2 of METHOD design point 5 (and optionally
 * stage 3), the adaptive thresholds calibrated on dev, the selector saved. icld train-selector
 * runs it once; icld ablate once per variant, each in its own directory. A rerun with the same
 * settings resumes the run in HOME/{@value #RUN_DIR}; other settings there are refused.
 */
public final class SelectorTrainingJob {
  public static final String RUN_DIR = "selector-training";

  /**
   * How every variant trains, so that an ablation's variants train exactly as the main selector
   * does (icld train-selector and icld ablate take them from the same options).
   *
   * @param maxSteps 0 for no limit
   * @param batchSeconds the most padded audio per batch
   * @param initialTemperature the Gumbel temperature at the first step
   * @param minimumTemperature the Gumbel temperature reached at the last step
   * @param distillWeight the KL term's weight in a variant that distils
   * @param seed everything random derives from it
   */
  public record Settings(int epochs, int maxSteps, double learningRate, double batchSeconds,
      double initialTemperature, double minimumTemperature, double distillWeight, long seed) {}

  /**
   * What a run trains.
   *
   * @param input what the selector reads
   * @param pooling how it summarises the frames
   * @param budgets the budgets k drawn per batch (and calibrated for adaptive mode)
   * @param distill whether KL distillation from the full-depth output joins the task loss
   * @param maskTargets class masks the selector is pulled towards, {@link MaskTargets#NONE} for
   *     none
   * @param maskTargetWeight the weight of that term
   */
  public record Variant(SelectorInputKind input, SelectorPooling pooling, List<Integer> budgets,
      boolean distill, MaskTargets maskTargets, double maskTargetWeight) {
    public Variant {
      budgets = List.copyOf(budgets);
    }
  }

  /**
   * Stage 3, joint fine-tuning of backbone, heads and selector.
   *
   * @param steps 0 for none
   * @param out where the jointly tuned model and its selector go (the input model stays as it is)
   */
  public record Joint(int steps, double learningRate, Path out) {
    public static final Joint NONE = new Joint(0, 0, null);
  }

  private final TaskModel model;
  private final Corpus train;
  private final Corpus dev;
  private final Settings settings;
  private final PrintWriter printed;

  public SelectorTrainingJob(TaskModel model, Corpus train, Corpus dev, Settings settings,
      PrintWriter printed) {
    this.model = model;
    this.train = train;
    this.dev = dev;
    this.settings = settings;
    this.printed = printed;
  }

  /**
   * Trains, calibrates and saves a selector.
   *
   * @param home where the selector and its run directory go
   * @return the directory the selector was saved in: {@code home}, or the joint run's out
   */
  public Path run(Variant variant, Joint joint, Path home) throws IOException {
    int layers = model.backbone().layerCount();
    ModelConfig config = model.backbone().config();
    int channels = variant.input() == SelectorInputKind.FEATURES
        ? config.convDim().get(config.convDim().size() - 1)
        : LogMelFilterbanks.BINS;
    double distillWeight = variant.distill() ? settings.distillWeight() : 0;
    List<Integer> trained = variant.budgets();
    UtteranceRunner devRunner = new UtteranceRunner(model, dev);
    try (LayerSelector selector =
            LayerSelector.initialise(SelectorConfig.of(variant.input(), channels, layers, variant.pooling()),
                settings.seed());
        BatchLoader trainLoader = new BatchLoader(train, model.labels(),
            BatchSampler.Options.training(0, settings.batchSeconds(), settings.seed()), 0);
        BatchLoader devLoader = new BatchLoader(dev, model.labels(),
            BatchSampler.Options.evaluation(0, settings.batchSeconds()), 0)) {
      TrainerOptions trainer = TrainerOptions.defaults().withEpochs(settings.epochs())
          .withMaxSteps(settings.maxSteps()).withLearningRate(settings.learningRate())
          .withWarmupFraction(0.05).withSeed(settings.seed());
      Path runDir = home.resolve(RUN_DIR);
      guardRun(runDir, variant, joint);
      TemperatureSchedule temperature = new TemperatureSchedule(settings.initialTemperature(),
          settings.minimumTemperature(),
          Math.max(1, totalSteps(trainLoader, settings.epochs(), settings.maxSteps())));
      SelectorTraining stage2 = new SelectorTraining(model, selector,
          new SelectorTraining.Options(trained, temperature, distillWeight, false,
              variant.maskTargets(), variant.maskTargetWeight()),
          SelectorTraining.resumedStep(runDir),
          loader -> DevScoring.selectorScore(devRunner, selector, trained));
      TrainingSummary summary = new Trainer(printed).fit(stage2, trainLoader, devLoader, runDir,
          trainer);
      Path target = home;
      if (joint.steps() > 0) {
        Files.createDirectories(joint.out());
        Path jointDir = joint.out().resolve(RUN_DIR + "-joint");
        TemperatureSchedule cold = new TemperatureSchedule(settings.minimumTemperature(),
            settings.minimumTemperature(), 1);
        SelectorTraining stage3 = new SelectorTraining(model, selector,
            new SelectorTraining.Options(trained, cold, distillWeight, true,
                variant.maskTargets(), variant.maskTargetWeight()),
            SelectorTraining.resumedStep(jointDir),
            loader -> DevScoring.selectorScore(devRunner, selector, trained));
        summary = new Trainer(printed).fit(stage3, trainLoader, devLoader, jointDir,
            trainer.withEpochs(Math.max(1, settings.epochs())).withMaxSteps(joint.steps())
                .withLearningRate(joint.learningRate()));
        model.save(joint.out());
        target = joint.out();
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
      return target;
    }
  }

  /**
   * A rerun resumes the run in {@code runDir}, so only with the same settings. Mask targets are
   * named (with their file's digest) only where a run has them, so that the runs before them
   * resume as they were recorded.
   */
  private void guardRun(Path runDir, Variant variant, Joint joint) throws IOException {
    String targets = variant.maskTargets() == MaskTargets.NONE ? ""
        : String.format(", mask targets %s weight %s", variant.maskTargets().source(),
            variant.maskTargetWeight());
    // Mean pooling goes unnamed, so that runs made before pooling was a choice still resume.
    String pooling = variant.pooling() == SelectorPooling.MEAN ? ""
        : ", pooling " + variant.pooling().label();
    RunSettings.guard(runDir, String.format("input %s%s, budgets %s, epochs %d, max steps %d, "
        + "lr %s, tau %s to %s, distillation %s, joint steps %d, seed %d%s",
        variant.input().label(), pooling, variant.budgets(), settings.epochs(), settings.maxSteps(),
        settings.learningRate(), settings.initialTemperature(), settings.minimumTemperature(),
        variant.distill() ? settings.distillWeight() : 0, joint.steps(), settings.seed(),
        targets),
        "a selector run", "delete that directory to start afresh, or train the variant on a "
            + "copy of the model directory");
  }

  /** The trainer's step count for these settings: the temperature anneals over all of it. */
  private static int totalSteps(BatchLoader train, int epochs, int maxSteps) {
    int steps = 0;
    for (int epoch = 0; epoch < epochs; epoch++) {
      steps += train.plan(epoch).size();
    }
    return maxSteps > 0 ? Math.min(steps, maxSteps) : steps;
  }
}
