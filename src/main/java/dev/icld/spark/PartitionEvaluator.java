package dev.icld.spark;

import ai.djl.ndarray.NDManager;
import dev.icld.eval.MethodComparison;
import dev.icld.eval.UtteranceRunner;
import dev.icld.methods.Method;
import dev.icld.model.Torch;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.util.LongAccumulator;

/**
 * A Spark task: every planned method, budget and draw on the task's test utterances, in the order
 * one process runs them, through this JVM's {@link Worker}. A retried task recomputes the same
 * rows (every draw is seeded), and Spark keeps one attempt's output.
 */
final class PartitionEvaluator implements MapPartitionsFunction<Long, UtteranceRow> {
  private static final long serialVersionUID = 1L;

  private final EvaluationJob job;
  private final LongAccumulator passes;
  private final LongAccumulator loadNanos;

  /**
   * @param passes counts the passes run, for the driver's progress line
   * @param loadNanos sums the executors' model-loading time (once per executor JVM)
   */
  PartitionEvaluator(EvaluationJob job, LongAccumulator passes, LongAccumulator loadNanos) {
    this.job = job;
    this.passes = passes;
    this.loadNanos = loadNanos;
  }

  @Override
  public Iterator<UtteranceRow> call(Iterator<Long> ids) throws Exception {
    List<Integer> indices = new ArrayList<>();
    ids.forEachRemaining(id -> indices.add(Math.toIntExact(id)));
    if (indices.isEmpty()) {
      return List.<UtteranceRow>of().iterator();
    }
    int[] utterances = indices.stream().mapToInt(Integer::intValue).sorted().toArray();
    Worker worker = PerExecutor.get(job.id(), () -> Worker.open(job), loadNanos::add);
    MethodComparison comparison = worker.comparison();
    List<UtteranceRow> rows = new ArrayList<>();
    try (NDManager manager = Torch.newManager()) {
      for (Map.Entry<Method, List<Integer>> planned : worker.plan().budgets().entrySet()) {
        Method method = planned.getKey();
        for (int k : planned.getValue()) {
          for (int d = 0; d < method.draws(job.randomDraws()); d++) {
            for (UtteranceRunner.Answer a : comparison.runDraw(worker.plan(), method, k, d,
                utterances, manager, null)) {
              rows.add(UtteranceRow.of(method.name(), k, d,
                  comparison.test().get(a.outcome().utterance()).entry().audio(), a));
              passes.add(1);
            }
          }
        }
      }
    }
    return rows.iterator();
  }
}
