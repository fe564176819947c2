package dev.icld.cli;

import dev.icld.data.Corpus;
import dev.icld.data.Manifest;
import dev.icld.data.VoiceFamily;
import dev.icld.eval.OracleAnalysis;
import dev.icld.eval.OracleReport;
import dev.icld.eval.UtteranceRunner;
import dev.icld.model.TaskModel;
import dev.icld.recipes.CorpusSplits;
import dev.icld.selection.StaticSubsets;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code icld oracle}: is there anything for an input-conditioned selector to find? Runs every
 * dev and test utterance under every candidate k-layer mask and reports, on test, the best
 * single mask chosen on dev against per-utterance and group-conditional oracles.
 */
@Command(
    name = "oracle",
    mixinStandardHelpOptions = true,
    description = "Per-utterance oracle analysis of a fine-tuned classification model: every "
        + "dev and test utterance under every candidate k-layer mask (first-k, the model's "
        + "static subset, --candidates random ones); on test, full depth, the best candidate "
        + "chosen on dev, the model's static subset, the per-utterance loss oracle and the "
        + "class-, voice-family- and seen/held-out-conditional oracles, with 95%% bootstrap "
        + "intervals and how the chosen masks vary; writes oracle.json and oracle.md to --out.")
final class OracleCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "model directory from icld finetune (its static_subsets.json, where it has "
          + "one, adds the model's static subset to the candidates)")
  Path model;

  @Option(names = "--data", required = true, paramLabel = "DIR",
      description = "corpus directory with dev.jsonl and test.jsonl (train.jsonl's speakers, "
          + "where it has one, tell seen from held-out voice families)")
  Path data;

  @Option(names = "--budgets", defaultValue = "6,3", paramLabel = "LIST",
      description = "layers to keep, e.g. 6,3 or 1..12 (default: ${DEFAULT-VALUE})")
  String budgets;

  @Option(names = "--candidates", defaultValue = "32", paramLabel = "N",
      description = "distinct random k-layer masks per budget, beside first-k and the static "
          + "subset; all there are where fewer exist (default: ${DEFAULT-VALUE})")
  int candidates;

  @Option(names = "--resamples", defaultValue = "1000", paramLabel = "N",
      description = "bootstrap resamples (default: ${DEFAULT-VALUE})")
  int resamples;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "report directory")
  Path out;

  @Mixin SeedOption seed;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter printed = spec.commandLine().getOut();
    try (TaskModel taskModel = TaskModel.load(model)) {
      int layers = taskModel.backbone().layerCount();
      OracleAnalysis.Options options = new OracleAnalysis.Options(
          BudgetList.parse(budgets, layers), candidates, seed.value, resamples);
      StaticSubsets statics = null;
      if (Files.exists(model.resolve(StaticSubsets.FILE))) {
        statics = StaticSubsets.load(model);
        if (statics.layers() != layers) {
          throw new IOException(model.resolve(StaticSubsets.FILE) + ": static subsets of "
              + statics.layers() + " layers for a model of " + layers);
        }
      }
      Corpus dev = CorpusSplits.load(data, "dev", taskModel);
      Corpus test = CorpusSplits.load(data, "test", taskModel);
      Path trainManifest = data.resolve("train.jsonl");
      Set<String> trainingFamilies = Files.exists(trainManifest)
          ? VoiceFamily.of(Manifest.read(trainManifest)) : null;
      OracleAnalysis analysis = new OracleAnalysis(new UtteranceRunner(taskModel, dev),
          new UtteranceRunner(taskModel, test), statics, trainingFamilies, options);
      printed.printf("model        %s: %s, %s, %d layers; static subsets %s%n", model,
          taskModel.task().id(), taskModel.backbone().config().modelType().id(), layers,
          statics == null ? "none" : statics.search());
      printed.printf("data         %s: dev %d, test %d; budgets %s; %d random candidates, "
          + "seed %d%n", data, dev.size(), test.size(), options.budgets(), candidates,
          seed.value);
      printed.flush();
      OracleAnalysis.Result result = analysis.run();
      OracleReport report = new OracleReport(new OracleReport.Context(taskModel.task().id(),
          taskModel.backbone().config().modelType().id(), model.toString(), data.toString(),
          layers, candidates, seed.value, resamples, statics == null ? null : statics.search(),
          EvalCommand.commandLine(spec)), result);
      List<Path> written = report.write(out);
      printed.print(report.table());
      printed.printf("wrote        %s%n", String.join(", ",
          written.stream().map(Path::toString).toList()));
      printed.flush();
    }
    return 0;
  }
}
