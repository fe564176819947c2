package dev.icld.cli;

import dev.icld.data.Corpus;
import dev.icld.model.LayerDrop;
import dev.icld.model.TaskModel;
import dev.icld.recipes.CorpusSplits;
import dev.icld.recipes.SelectorTrainingJob;
import dev.icld.selection.SelectorInputKind;
import dev.icld.selection.SelectorPooling;
import dev.icld.train.MaskTargets;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Option(names = "--pooling", defaultValue = "mean", paramLabel = "KIND",
      description = "how the selector summarises its conv outputs over the frames: mean "
          + "(METHOD's example) or mean+max (the mean and the maximum side by side) "
          + "(default: ${DEFAULT-VALUE})")
  String pooling;

  @Option(names = "--budgets", defaultValue = "1..", paramLabel = "LIST",
      description = "budgets k drawn per batch, e.g. 1..12 or 12,9,6,3 (default: every k)")
  String budgets;

  @Mixin SelectorTrainingOptions training;

  @Option(names = "--distill", description = "add KL distillation from the full-depth output")
  boolean distill;

  @Option(names = "--mask-targets", paramLabel = "ORACLE_JSON",
      description = "pull the selector towards the class-conditional masks of icld oracle's "
          + "oracle.json: binary cross-entropy between its per-layer gate probabilities "
          + "sigmoid(logits) and the mask of each utterance's class, at the budgets the file has")
  Path maskTargets;

  @Option(names = "--mask-target-weight", defaultValue = "1.0", paramLabel = "W",
      description = "weight of the mask-target term (default: ${DEFAULT-VALUE})")
  double maskTargetWeight;

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

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    SelectorInputKind kind = SelectorInputKind.fromLabel(input.equals("logmel") ? "log-mel" : input);
    SelectorPooling poolingKind = SelectorPooling.fromLabel(pooling);
    if (jointSteps < 0 || (jointSteps > 0 && out == null)) {
      throw new IllegalArgumentException(jointSteps < 0 ? "--joint-finetune-steps must be >= 0"
          : "--joint-finetune-steps needs --out: joint fine-tuning changes the backbone, and the "
              + "input model must stay the baselines' model");
    }
    training.validate();
    if (!(maskTargetWeight >= 0) || Double.isInfinite(maskTargetWeight)) {
      throw new IllegalArgumentException(
          "--mask-target-weight must be finite and >= 0, got " + maskTargetWeight);
    }
    PrintWriter printed = spec.commandLine().getOut();
    try (TaskModel taskModel = TaskModel.load(model)) {
      int layers = taskModel.backbone().layerCount();
      List<Integer> trained = BudgetList.parse(budgets, layers);
      Corpus train = CorpusSplits.load(data, "train", taskModel);
      Corpus dev = CorpusSplits.load(data, "dev", taskModel);
      printed.printf("model        %s: %s, %s, %d layers, layer drop %s%n", model,
          taskModel.task().id(), taskModel.backbone().config().modelType().id(), layers,
          taskModel.layerDrop().describe());
      if (taskModel.layerDrop().mode() != LayerDrop.Mode.RANDOM) {
        printed.println("warning      the model was not fine-tuned with random LayerDrop; its "
            + "layers may not tolerate being skipped");
      }
      printed.printf("data         %s: train %d, dev %d; budgets %s; input %s, %s-pooled%s%n",
          data, train.size(), dev.size(), trained, kind.label(), poolingKind.label(),
          distill ? "; distillation" : "");
      MaskTargets targets = MaskTargets.NONE;
      if (maskTargets != null) {
        targets = MaskTargets.read(maskTargets, taskModel.task().id(), taskModel.labels(), layers);
        printed.printf("mask targets %s: budgets %s, weight %s%n", targets.source(),
            targets.budgets(), maskTargetWeight);
        if (!trained.containsAll(targets.budgets())) {
          printed.printf("warning      only the trained budgets %s use their targets%n", trained);
        }
      }
      printed.flush();
      new SelectorTrainingJob(taskModel, train, dev, training.settings(), printed).run(
          new SelectorTrainingJob.Variant(kind, poolingKind, trained, distill, targets,
              maskTargetWeight),
          jointSteps > 0 ? new SelectorTrainingJob.Joint(jointSteps, jointLearningRate, out)
              : SelectorTrainingJob.Joint.NONE,
          selectorDir == null ? model : selectorDir);
    }
    return 0;
  }
}
