package dev.icld.spark;

import dev.icld.data.Corpus;
import dev.icld.eval.MethodComparison;
import dev.icld.model.TaskModel;
import dev.icld.recipes.CorpusSplits;
import dev.icld.runtime.InferenceEngine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An executor JVM's side of one evaluation: the models loaded and opened on their engine once, the
 * test manifest read (audio is decoded per utterance), and the driver's plan rebuilt. Tasks of
 * the same evaluation on the same JVM share it ({@link PerExecutor}; each pass runs in its own
 * NDManager).
 */
final class Worker implements AutoCloseable {
  private final MethodComparison comparison;
  private final MethodComparison.Plan plan;
  private final List<AutoCloseable> opened;

  private Worker(MethodComparison comparison, MethodComparison.Plan plan,
      List<AutoCloseable> opened) {
    this.comparison = comparison;
    this.plan = plan;
    this.opened = opened;
  }

  static Worker open(EvaluationJob job) throws IOException {
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      InferenceEngine engine = InferenceEngine.fromId(job.engine());
      TaskModel model = TaskModel.load(Path.of(job.model()));
      opened.add(model);
      InferenceEngine.Session session = engine.open(model);
      opened.add(session);
      MethodComparison.Source main = new MethodComparison.Source(model, Path.of(job.model()),
          session.backbone(), session.heads());
      MethodComparison.Source exits = main;
      if (job.exitModel() != null) {
        TaskModel exitModel = TaskModel.load(Path.of(job.exitModel()));
        opened.add(exitModel);
        InferenceEngine.Session exitSession = engine.open(exitModel);
        opened.add(exitSession);
        exits = new MethodComparison.Source(exitModel, Path.of(job.exitModel()),
            exitSession.backbone(), exitSession.heads());
      }
      Path manifest = Path.of(job.data()).resolve("test.jsonl");
      Corpus test = Corpus.load(manifest, CorpusSplits.options(model));
      if (test.size() != job.utterances()) {
        throw new IOException(manifest + ": " + test.size() + " usable utterances on this "
            + "executor, " + job.utterances() + " on the driver (is the corpus the same file?)");
      }
      MethodComparison.Options options = new MethodComparison.Options(
          job.methods().stream().map(dev.icld.methods.Methods::find).toList(), false,
          job.budgets(), job.seed(), job.randomDraws(), job.resamples(), job.warmup());
      MethodComparison comparison = new MethodComparison(main, exits,
          Path.of(job.selectorDir()), test, null, options, null);
      MethodComparison.Plan plan = comparison.plan(job.plannedBudgets(), job.exitThresholds());
      opened.add(plan);
      Collections.reverse(opened);
      return new Worker(comparison, plan, opened);
    } catch (IOException | RuntimeException e) {
      Collections.reverse(opened);
      closeAll(opened);
      throw e;
    }
  }

  MethodComparison comparison() {
    return comparison;
  }

  MethodComparison.Plan plan() {
    return plan;
  }

  @Override
  public void close() {
    closeAll(opened);
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (AutoCloseable r : resources) {
      try {
        r.close();
      } catch (Exception e) {
        // A model that fails to close takes nothing from the others: go on with them.
      }
    }
  }
}
