package dev.icld.spark;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What every Spark task needs to run its share of an evaluation, sent from the driver: where the
 * models and the corpus are (paths every executor can read: a shared file system, or files that
 * spark-submit shipped to the same place), the comparison's options, and the plan the driver
 * prepared (each method's runnable budgets, the dynamic exit's thresholds). Executors search and
 * calibrate nothing; the selector and the static subsets are read from the model directories.
 *
 * @param id one evaluation run, which keys the executors' loaded models
 * @param exitModel the early-exit model's directory, or null
 * @param engine the backbone engine's id (djl or onnx)
 * @param methods the comparison's methods by name, in order
 * @param plannedBudgets each method's runnable budgets, in the plan's order
 * @param exitThresholds the dynamic exit's entropy threshold per budget
 * @param utterances the test set's size as the driver loaded it, which every executor checks
 */
public record EvaluationJob(String id, String model, String exitModel, String selectorDir,
    String data, String engine, List<String> methods, List<Integer> budgets, long seed,
    int randomDraws, int resamples, int warmup, Map<String, List<Integer>> plannedBudgets,
    Map<Integer, Double> exitThresholds, int utterances) implements Serializable {
  private static final long serialVersionUID = 1L;

  public EvaluationJob {
    methods = List.copyOf(methods);
    budgets = List.copyOf(budgets);
    // Kept in order and in serialisable maps: the plan's method order is the report's.
    LinkedHashMap<String, List<Integer>> planned = new LinkedHashMap<>();
    plannedBudgets.forEach((name, ks) -> planned.put(name, List.copyOf(ks)));
    plannedBudgets = planned;
    exitThresholds = new TreeMap<>(exitThresholds);
  }
}
