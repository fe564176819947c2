package dev.icld.cli;

import dev.icld.data.Corpus;
import dev.icld.eval.AblationReport;
import dev.icld.eval.MethodComparison;
import dev.icld.eval.MethodResult;
import dev.icld.eval.SkippedMethod;
import dev.icld.methods.Method;
import dev.icld.methods.Methods;
import dev.icld.model.LayerDrop;
import dev.icld.model.TaskModel;
import dev.icld.recipes.CorpusSplits;
import dev.icld.recipes.SelectorTrainingJob;
import dev.icld.runtime.InferenceEngine;
import dev.icld.selection.SelectorConfig;
import dev.icld.selection.SelectorInputKind;
import dev.icld.selection.SelectorPooling;
import dev.icld.train.MaskTargets;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code icld ablate}: the selector ablation of issue 5. Trains each selector variant on the
 * LayerDrop model exactly as train-selector does (same settings, same seed, every budget), each
 * in its own directory OUT/selectors/VARIANT so that the model directory's own selector is never
 * touched, then evaluates every variant's top-k selector, and the default variant's adaptive
 * mode, on the test split at each budget through the same comparison icld eval runs. Rerunning
 * the same command resumes or reuses the variants' training runs.
 */
@Command(
    name = "ablate",
    mixinStandardHelpOptions = true,
    description = "Selector ablation: trains the variants (input features, the same "
        + "mean+max-pooled, log-mel input, features with KL distillation) on a LayerDrop model, "
        + "evaluates each top-k selector and the default's adaptive mode at every budget on the test split; writes "
        + "ablation.json and ablation.md to --out.")
final class AblateCommand implements Callable<Integer> {
  static final String SELECTORS = "selectors";
  /** Unused here (no random layer dropping runs), but the comparison's options need a valid one. */
  private static final int RANDOM_DRAWS = 5;
  /** The table has no latencies (they would differ between runs), so nothing needs warming up. */
  private static final int NO_WARMUP = 0;

  /**
   * A selector variant of the ablation.
   *
   * @param id its directory name under OUT/selectors
   * @param name its name in the table
   * @param adaptive whether its adaptive mode is evaluated too (the default variant's)
   */
  record Variant(String id, String name, SelectorInputKind input, SelectorPooling pooling,
      boolean distill, boolean adaptive) {}

  static final List<Variant> VARIANTS = List.of(
      new Variant("features", "features", SelectorInputKind.FEATURES,
          SelectorConfig.DEFAULT_POOLING, false, true),
      new Variant("features-max", "features, mean+max-pooled", SelectorInputKind.FEATURES,
          SelectorPooling.MEAN_MAX, false, false),
      new Variant("log-mel", "log-mel", SelectorInputKind.LOG_MEL, SelectorConfig.DEFAULT_POOLING,
          false, false),
      new Variant("features-kl", "features + KL", SelectorInputKind.FEATURES,
          SelectorConfig.DEFAULT_POOLING, true, false));

  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "model directory from icld finetune --layer-drop random (left unchanged)")
  Path model;

  @Option(names = "--data", required = true, paramLabel = "DIR",
      description = "corpus directory with train.jsonl, dev.jsonl and test.jsonl")
  Path data;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "where the variants' selectors (selectors/VARIANT) and the table go")
  Path out;

  @Option(names = "--budgets", paramLabel = "LIST",
      description = "the table's budgets, e.g. 12,9,6,3 (default: L, 3L/4, L/2, L/4); every "
          + "variant trains on every budget, as train-selector does by default")
  String budgets;

  @Mixin SelectorTrainingOptions training;

  @Option(names = "--resamples", defaultValue = "1000", paramLabel = "N",
      description = "bootstrap resamples (default: ${DEFAULT-VALUE})")
  int resamples;

  @Option(names = "--engine", defaultValue = "djl", paramLabel = "NAME",
      description = "backbone engine for the evaluation: djl or onnx (ONNX Runtime); training "
          + "always runs on djl (default: ${DEFAULT-VALUE})")
  String engine;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    training.validate();
    InferenceEngine chosenEngine = InferenceEngine.fromId(engine);
    PrintWriter printed = spec.commandLine().getOut();
    try (TaskModel taskModel = TaskModel.load(model)) {
      int layers = taskModel.backbone().layerCount();
      List<Integer> columns = budgets == null
          ? EvalCommand.defaultBudgets(layers) : BudgetList.parse(budgets, layers);
      List<Integer> trained = BudgetList.parse("1..", layers);
      Map<Variant, MethodComparison.Options> evaluations = new LinkedHashMap<>();
      for (Variant v : VARIANTS) {
        evaluations.put(v, new MethodComparison.Options(v.adaptive()
            ? List.of(Methods.SELECTOR, Methods.ADAPTIVE) : List.of(Methods.SELECTOR), false,
            columns, training.seed, RANDOM_DRAWS, resamples, NO_WARMUP));
      }
      Corpus train = CorpusSplits.load(data, "train", taskModel);
      Corpus dev = CorpusSplits.load(data, "dev", taskModel);
      Corpus test = CorpusSplits.load(data, "test", taskModel);
      printed.printf("model        %s: %s, %s, %d layers, layer drop %s%n", model,
          taskModel.task().id(), taskModel.backbone().config().modelType().id(), layers,
          taskModel.layerDrop().describe());
      if (taskModel.layerDrop().mode() != LayerDrop.Mode.RANDOM) {
        printed.println("warning      the model was not fine-tuned with random LayerDrop; its "
            + "layers may not tolerate being skipped");
      }
      printed.printf("data         %s: train %d, dev %d, test %d; budgets %s; variants %s%n",
          data, train.size(), dev.size(), test.size(), columns,
          String.join(", ", VARIANTS.stream().map(Variant::name).toList()));
      printed.flush();

      SelectorTrainingJob job =
          new SelectorTrainingJob(taskModel, train, dev, training.settings(), printed);
      for (int i = 0; i < VARIANTS.size(); i++) {
        Variant v = VARIANTS.get(i);
        printed.printf("%nvariant      %d/%d %s: training in %s%n", i + 1, VARIANTS.size(),
            v.name(), selectorDir(v));
        printed.flush();
        job.run(new SelectorTrainingJob.Variant(v.input(), v.pooling(), trained, v.distill(),
            MaskTargets.NONE, 0),
            SelectorTrainingJob.Joint.NONE, selectorDir(v));
      }

      List<AblationReport.Row> rows = new ArrayList<>();
      List<AblationReport.Row> adaptiveRows = new ArrayList<>();
      try (InferenceEngine.Session session = chosenEngine.open(taskModel)) {
        MethodComparison.Source source =
            new MethodComparison.Source(taskModel, model, session.backbone(), session.heads());
        for (Variant v : VARIANTS) {
          printed.printf("evaluating   %s on %s%n", v.name(), chosenEngine.id());
          printed.flush();
          MethodComparison.Comparison comparison = new MethodComparison(source, source,
              selectorDir(v), test, dev, evaluations.get(v), null).run();
          rows.add(row(v, "top-k", Methods.SELECTOR, comparison));
          if (v.adaptive()) {
            adaptiveRows.add(row(v, "adaptive", Methods.ADAPTIVE, comparison));
          }
        }
      }
      rows.addAll(adaptiveRows);

      AblationReport report = new AblationReport(new AblationReport.Context(
          taskModel.task().id(), taskModel.backbone().config().modelType().id(), model.toString(),
          data.toString(), layers, columns, test.size(), test.totalSeconds(), training.seed,
          resamples, chosenEngine.id(), EvalCommand.commandLine(spec)), rows, taskModel.task().classification());
      List<Path> written = report.write(out);
      printed.println();
      printed.print(report.table());
      printed.printf("wrote        %s%n", String.join(", ",
          written.stream().map(Path::toString).toList()));
      printed.flush();
    }
    return 0;
  }

  private Path selectorDir(Variant v) {
    return out.resolve(SELECTORS).resolve(v.id());
  }

  /** The comparison's results and skips of one method, as a row of the table. */
  private static AblationReport.Row row(Variant v, String mode, Method method,
      MethodComparison.Comparison comparison) {
    List<MethodResult> results = comparison.results().stream()
        .filter(r -> r.method().equals(method.name())).toList();
    List<SkippedMethod> skipped = comparison.skipped().stream()
        .filter(s -> s.method().equals(method.name())).toList();
    return new AblationReport.Row(v.name(), v.input().label(), v.distill(), mode,
        SELECTORS + "/" + v.id(), results, skipped);
  }
}
