package dev.icld.spark;

import dev.icld.data.Corpus;
import dev.icld.eval.MethodComparison;
import dev.icld.model.TaskModel;
import dev.icld.recipes.CorpusSplits;
import dev.icld.runtime.InferenceEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/**
 * An executor JVM's side of one evaluation: the models loaded and opened on their engine once, the
 * test manifest read (audio is decoded per utterance), and the driver's plan rebuilt. Tasks of
 * the same evaluation on the same JVM share it (each pass runs in its own NDManager); it is
 * closed when the JVM exits.
 */
final class Worker implements AutoCloseable {
  private static final Map<String, Worker> BY_JOB = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> BY_JOB.values().forEach(Worker::close),
        "icld-spark-worker-close"));
  }

  private final MethodComparison comparison;
  private final MethodComparison.Plan plan;
  private final Corpus test;
  private final long loadNanos;
  private final List<AutoCloseable> opened;

  private Worker(MethodComparison comparison, MethodComparison.Plan plan, Corpus test,
      long loadNanos, List<AutoCloseable> opened) {
    this.comparison = comparison;
    this.plan = plan;
    this.test = test;
    this.loadNanos = loadNanos;
    this.opened = opened;
  }

  /**
   * This JVM's worker for the job, loaded by the first task that asks.
   *
   * @param loaded told the loading time, by the one call that loads
   */
  static Worker of(EvaluationJob job, LongConsumer loaded) {
    return BY_JOB.computeIfAbsent(job.id(), id -> {
      try {
        Worker worker = open(job);
        loaded.accept(worker.loadNanos);
        return worker;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private static Worker open(EvaluationJob job) throws IOException {
    long start = System.nanoTime();
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
      return new Worker(comparison, plan, test, System.nanoTime() - start, opened);
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

  Corpus test() {
    return test;
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
        // Closing at exit: nothing is left to do with a failure but go on with the rest.
      }
    }
  }
}
