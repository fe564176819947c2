package dev.icld.cli;

import dev.icld.data.Corpus;
import dev.icld.data.LoadOptions;
import dev.icld.data.Manifest;
import dev.icld.data.TargetKind;
import dev.icld.data.VoiceFamily;
import dev.icld.eval.EvaluationReport;
import dev.icld.eval.HeldOutVoices;
import dev.icld.eval.MethodComparison;
import dev.icld.eval.ScratchCnnBaseline;
import dev.icld.eval.UtteranceGroups;
import dev.icld.methods.Methods;
import dev.icld.model.TaskModel;
import dev.icld.recipes.CorpusSplits;
import dev.icld.runtime.InferenceEngine;
import dev.icld.spark.SparkEvaluation;
import dev.icld.train.ScratchCnnTraining;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code icld eval}: every layer-dropping method at every budget on the test split, written as
 * report.json, report.md and PNG plots. The static subsets are searched on the dev split the
 * first time the static method runs and stored beside the model (static_subsets.json); later
 * runs reuse them (delete the file to search again). For classification, the scratch-cnn
 * reference (a small log-mel CNN trained from scratch on the train split) is trained once in
 * OUT/scratch-cnn, or the --scratch-cnn directory, and reused by later runs on the same corpus.
 * Every report also breaks the results down by voice family, seen or held out from train.jsonl,
 * on test and (full depth) on dev.
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = "Compare layer-dropping methods (see --methods) at several budgets on the "
        + "test split: metric with 95%% "
        + "bootstrap intervals, executed layers, GFLOPs per audio second and measured latency; "
        + "beside them, for classification, scratch-cnn: a small log-mel CNN trained from "
        + "scratch on the train split, as a reference for what the foundation model buys; "
        + "and how much worse the model is on voice families that train.jsonl never had (on "
        + "test, and at full depth on dev); writes report.json, report.md and plots to --out.")
final class EvalCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "model directory from icld finetune (with train-selector's selector)")
  Path model;

  @Option(names = "--data", required = true, paramLabel = "DIR",
      description = "corpus directory with test.jsonl (and dev.jsonl for the static subset "
          + "search and the dynamic exit's calibration; train.jsonl and dev.jsonl for scratch-cnn; "
          + "train.jsonl's speakers tell seen from held-out voice families)")
  Path data;

  @Option(names = "--methods", defaultValue = "all", paramLabel = "LIST",
      completionCandidates = ComparedMethods.class,
      description = "all (${COMPLETION-CANDIDATES}), or a comma list of any of those and of "
          + "icld infer's policies (default: ${DEFAULT-VALUE})")
  String methods;

  /** What --methods all runs. */
  static final class ComparedMethods implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return MethodComparison.Options.all().iterator();
    }
  }

  @Option(names = "--budgets", paramLabel = "LIST",
      description = "layers to keep, e.g. 12,9,6,3 or 1..12 (default: L, 3L/4, L/2, L/4)")
  String budgets;

  @Option(names = "--selector-dir", paramLabel = "DIR",
      description = "where the selector is (default: the model directory), as train-selector "
          + "--selector-dir wrote it")
  Path selectorDir;

  @Option(names = "--early-exit-model", paramLabel = "DIR",
      description = "model from icld finetune --layer-drop early-exit (same backbone, task, labels "
          + "and layer count): early-exit and dynamic-exit run on it, every other method on --model")
  Path earlyExitModel;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "report directory")
  Path out;

  @Option(names = "--scratch-cnn", paramLabel = "DIR",
      description = "where scratch-cnn is trained and kept (default: OUT/scratch-cnn); one "
          + "trained earlier on the same corpus is reused, one trained on another is refused")
  Path scratchCnnDir;

  @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
      description = "random layers and bootstrap resampling (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--random-draws", defaultValue = "5", paramLabel = "N",
      description = "seeded draws of random layer dropping, at least 5 (default: ${DEFAULT-VALUE})")
  int randomDraws;

  @Option(names = "--resamples", defaultValue = "1000", paramLabel = "N",
      description = "bootstrap resamples (default: ${DEFAULT-VALUE})")
  int resamples;

  @Option(names = "--warmup", defaultValue = "3", paramLabel = "N",
      description = "untimed passes before each method and budget (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--spark", paramLabel = "MASTER",
      description = "run the test passes on Apache Spark: local[N], spark://HOST:PORT, yarn, "
          + "k8s://..., or submit (the master spark-submit was given). Every executor reads the "
          + "model, selector and data paths as given; each loads the models once. Rows per "
          + "utterance, method, budget and draw go to OUT/utterances.parquet, rates to "
          + "OUT/spark.json; the report is the one an in-process run writes (latencies aside)")
  String sparkMaster;

  @Option(names = "--partitions", defaultValue = "0", paramLabel = "N",
      description = "with --spark: tasks that share the test set (default: twice Spark's default "
          + "parallelism, and at most 500 each: a task's progress shows when it ends)")
  int partitions;

  @Mixin EngineOption engine;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    InferenceEngine chosenEngine = engine.chosen();
    PrintWriter printed = spec.commandLine().getOut();
    try (TaskModel taskModel = TaskModel.load(model);
        InferenceEngine.Session session = chosenEngine.open(taskModel);
        TaskModel exitModel = earlyExitModel == null ? null : TaskModel.load(earlyExitModel);
        InferenceEngine.Session exitSession =
            exitModel == null ? null : chosenEngine.open(exitModel)) {
      int layers = taskModel.backbone().layerCount();
      List<Integer> chosenBudgets = budgets == null
          ? defaultBudgets(layers) : BudgetList.parse(budgets, layers);
      MethodComparison.Options options = MethodComparison.Options.named(methods, chosenBudgets,
          seed, randomDraws, resamples, warmup);
      Corpus test = CorpusSplits.load(data, "test", taskModel);
      Corpus dev = Files.exists(data.resolve("dev.jsonl"))
          ? CorpusSplits.load(data, "dev", taskModel) : null;
      printed.printf("model        %s: %s, %s, %d layers; engine %s%n", model,
          taskModel.task().id(), taskModel.backbone().config().modelType().id(), layers,
          chosenEngine.id());
      if (exitModel != null) {
        printed.printf("early exit   %s: early-exit and dynamic-exit run on it%n", earlyExitModel);
      }
      printed.printf("test         %d utterances (%.1f min); methods %s; budgets %s%n",
          test.size(), test.totalSeconds() / 60, String.join(",", options.names()), chosenBudgets);
      printed.flush();
      MethodComparison.Source main =
          new MethodComparison.Source(taskModel, model, session.backbone(), session.heads());
      MethodComparison.Source exits = exitModel == null ? main : new MethodComparison.Source(
          exitModel, earlyExitModel, exitSession.backbone(), exitSession.heads());
      ScratchCnnBaseline scratchCnn = new ScratchCnnBaseline(
          scratchCnnDir == null ? out.resolve("scratch-cnn") : scratchCnnDir, data,
          (split, labels) -> CorpusSplits.load(data, split, labels == null
              ? LoadOptions.of(TargetKind.LABEL)
              : LoadOptions.of(TargetKind.LABEL).withVocabulary(labels)),
          ScratchCnnTraining.Recipe.standard(), printed);
      MethodComparison methodComparison = new MethodComparison(main, exits,
          selectorDir == null ? model : selectorDir, test, dev, options, scratchCnn);
      MethodComparison.Comparison comparison;
      try (MethodComparison.TestPasses passes = sparkMaster == null
          ? MethodComparison.IN_PROCESS : sparkPasses(chosenEngine, printed)) {
        comparison = methodComparison.run(passes);
      }
      HeldOutVoices voices = heldOutVoices(methodComparison, comparison, test, dev,
          taskModel.task().classification() ? "accuracy" : "wer", layers);
      EvaluationReport.Context context = new EvaluationReport.Context(taskModel.task().id(),
          taskModel.backbone().config().modelType().id(), model.toString(), data.toString(),
          (selectorDir == null ? model : selectorDir).toString(), layers, test.size(),
          test.totalSeconds(), seed, resamples, randomDraws, chosenEngine.id(), commandLine());
      EvaluationReport report = new EvaluationReport(context, comparison,
          UtteranceGroups.of(taskModel, test), taskModel.task().classification(), voices);
      List<Path> written = report.write(out);
      printed.print(report.table());
      printed.print(voices.summary());
      printed.printf("wrote        %s%n", String.join(", ",
          written.stream().map(Path::toString).toList()));
      printed.flush();
    }
    return 0;
  }

  /**
   * The test results on voice families seen and held out from train.jsonl, and the same for
   * full depth on dev. The dev pass runs only beside full depth on test, and only when dev has
   * both kinds of family; it is reported, never used to choose anything.
   */
  private HeldOutVoices heldOutVoices(MethodComparison methodComparison,
      MethodComparison.Comparison comparison, Corpus test, Corpus dev, String metric, int layers)
      throws IOException {
    Path trainManifest = data.resolve("train.jsonl");
    Set<String> trainingFamilies = Files.exists(trainManifest)
        ? VoiceFamily.of(Manifest.read(trainManifest)) : null;
    HeldOutVoices.Breakdown testVoices = HeldOutVoices.of("test", test, trainingFamilies, metric,
        HeldOutVoices.scoredOf(comparison, layers), resamples, seed);
    boolean fullRan =
        comparison.results().stream().anyMatch(r -> r.method().equals(Methods.FULL.name()));
    HeldOutVoices.Breakdown devVoices = dev == null || !fullRan ? null
        : HeldOutVoices.families("dev", dev, trainingFamilies, metric);
    if (devVoices != null && devVoices.notApplicable() == null) {
      devVoices = HeldOutVoices.of("dev", dev, trainingFamilies, metric,
          List.of(new HeldOutVoices.Scored(Methods.FULL.name(), layers,
              methodComparison.fullDepth(dev, "dev"))),
          resamples, seed);
    }
    return new HeldOutVoices(trainingFamilies, testVoices, devVoices);
  }

  /** The Spark session's passes, once Spark is known to be on the class path. */
  private MethodComparison.TestPasses sparkPasses(InferenceEngine chosenEngine,
      PrintWriter printed) {
    SparkCheck.require();
    if (partitions < 0) {
      throw new IllegalArgumentException("--partitions must be at least 0, got " + partitions);
    }
    return SparkEvaluation.open(sparkMaster, partitions, new SparkEvaluation.Paths(model,
        earlyExitModel, selectorDir == null ? model : selectorDir, data, chosenEngine.id()), out,
        printed);
  }

  /** L, 3L/4, L/2, L/4 (rounded, at least 1, without repeats). */
  static List<Integer> defaultBudgets(int layers) {
    List<Integer> budgets = new ArrayList<>();
    for (int quarters = 4; quarters >= 1; quarters--) {
      int k = Math.max(1, (int) Math.round(layers * quarters / 4.0));
      if (!budgets.contains(k)) {
        budgets.add(k);
      }
    }
    return budgets;
  }

  private String commandLine() {
    return commandLine(spec);
  }

  /** The command line that ran {@code spec}'s command, quoted for a shell (ablate's too). */
  static String commandLine(CommandSpec spec) {
    List<String> args = spec.commandLine().getParseResult().originalArgs();
    // The parse started at the root command, so the arguments begin with the command's name.
    StringBuilder line = new StringBuilder("icld");
    for (String arg : args) {
      line.append(' ').append(arg.matches("[A-Za-z0-9_./=,:+-]+") ? arg : "'" + arg + "'");
    }
    return line.toString();
  }
}
