package dev.icld.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.icld.audio.Audio;
import dev.icld.data.ProgressBar;
import dev.icld.metrics.MetricTally;
import dev.icld.metrics.Outcome;
import dev.icld.runtime.CallShape;
import dev.icld.runtime.DynamicSpeechModel;
import dev.icld.runtime.InferenceBudget;
import dev.icld.runtime.InferenceResult;
import dev.icld.runtime.LatencyModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * How a deadline budget copes with a load that changes during the run, against fixed budgets.
 * Calls arrive one after another over the test utterances, in a fixed shuffled order (so that a run
 * shorter than the split samples all of it, and cycling when there are more calls than utterances),
 * while a competing load is switched off and on in phases of equal length. In every
 * step the same utterance runs under each budget, one after the other in an order that rotates
 * from step to step, so that all budgets see the same load. Per budget and load phase it reports
 * the share of calls that met the deadline, the task metric against the test split's references
 * (accuracy, or corpus WER for transcription), the mean number of executed layers and the 50th and
 * 95th percentile latency.
 *
 * <p>The experiment talks to a {@link Server}: the model itself ({@link Server#of}), or in tests a
 * simulation whose latencies come from a clock of its own, so that the experiment's logic is
 * tested without timing anything.
 */
public final class DeadlineExperiment {
  /** The default deadline as a fraction of the calibrated full-depth latency. */
  public static final double DEFAULT_DEADLINE_FRACTION = 0.6;

  /** What the experiment calls. */
  public interface Server {
    /** L, the model's depth. */
    int layers();

    /** The layer-selection policy every call uses. */
    String policy();

    /** The deadline controller's calibrated latency model (calibrating first if need be). */
    LatencyModel latencyModel();

    /** The work of a call on one input of {@code seconds}, as the latency model sees it. */
    CallShape shape(double seconds);

    /** The deadline controller's current observed / predicted latency ratio. */
    double loadFactor();

    /** One call: the output, executed layers and latency. */
    InferenceResult infer(Audio audio, InferenceBudget budget);

    /** The model, with its own deadline controller and its measured latencies. */
    static Server of(DynamicSpeechModel model) {
      return new Server() {
        @Override
        public int layers() {
          return model.layers();
        }

        @Override
        public String policy() {
          return model.defaultPolicy();
        }

        @Override
        public LatencyModel latencyModel() {
          return model.deadlineController().model();
        }

        @Override
        public CallShape shape(double seconds) {
          return CallShape.of(model.config(), List.of(seconds));
        }

        @Override
        public double loadFactor() {
          return model.deadlineController().loadFactor();
        }

        @Override
        public InferenceResult infer(Audio audio, InferenceBudget budget) {
          return model.infer(audio, budget);
        }
      };
    }
  }

  /**
   * One test utterance.
   *
   * @param reference the label, or the transcript for a transcription model
   */
  public record TestUtterance(Audio audio, String reference) {
    double seconds() {
      return audio.samples().length / (double) audio.sampleRate();
    }
  }

  /**
   * @param deadlineMs the deadline, or 0 for {@link #DEFAULT_DEADLINE_FRACTION} of the calibrated
   *     full-depth latency of a test utterance of mean length
   * @param fixedBudgets the fixed numbers of layers to compare with (empty: L, 3L/4, L/2, L/4)
   * @param calls steps (each runs every budget once)
   * @param phaseLength steps per load phase (off, on, off, on...)
   */
  public record Options(double deadlineMs, List<Integer> fixedBudgets, int calls, int phaseLength) {
    public Options {
      fixedBudgets = List.copyOf(fixedBudgets);
      if (!(deadlineMs >= 0) || Double.isInfinite(deadlineMs)) {
        throw new IllegalArgumentException("a deadline must be a positive number of milliseconds, got "
            + deadlineMs);
      }
      if (calls < 1 || phaseLength < 1) {
        throw new IllegalArgumentException("need at least one call and one call per load phase, got "
            + calls + " and " + phaseLength);
      }
    }
  }

  /**
   * One budget in one load phase ("off", "on" or "all").
   *
   * @param metric accuracy, or corpus WER (see {@link Report#metricName})
   */
  public record Row(String budget, String load, int calls, double metShare, double metric,
      double meanLayers, double p50Ms, double p95Ms) {}

  /**
   * The experiment's result.
   *
   * @param deadlineMs the deadline every call was held to
   * @param defaultDeadline whether it was derived from the calibration rather than given
   * @param fullDepthMs the calibrated full-depth latency of a test utterance of mean length
   * @param meanSeconds that mean length
   * @param metricName "accuracy" or "WER"
   */
  public record Report(String policy, int layers, double deadlineMs, boolean defaultDeadline,
      double fullDepthMs, double meanSeconds, LatencyModel latencyModel, int calls, int phaseLength,
      int utterances, String metricName, List<Row> rows) {
    public Report {
      rows = List.copyOf(rows);
    }

    /** The row of {@code budget} in {@code load}. */
    public Row row(String budget, String load) {
      return rows.stream().filter(r -> r.budget().equals(budget) && r.load().equals(load))
          .findFirst().orElseThrow(() -> new IllegalArgumentException("no row " + budget + " " + load));
    }

    /** How the deadline was set, in words. */
    public String deadlineLine() {
      String how = defaultDeadline
          ? String.format(Locale.ROOT, "(default: %.0f%% of the calibrated full-depth latency %.1f ms "
              + "of a %.2f s utterance, the test split's mean)", 100 * DEFAULT_DEADLINE_FRACTION,
              fullDepthMs, meanSeconds)
          : String.format(Locale.ROOT, "(calibrated full-depth latency %.1f ms of a %.2f s "
              + "utterance, the test split's mean)", fullDepthMs, meanSeconds);
      return String.format(Locale.ROOT, "deadline %.1f ms %s", deadlineMs, how);
    }

    /** The setting in words: calls, phases, policy and the latency model. */
    public String setupLine() {
      return String.format(Locale.ROOT, "%d calls per budget over %d test utterances, the competing "
          + "load off and on in phases of %d calls; policy %s, %d layers; latency model %.2f ms + "
          + "%.2f ms/s + k x (%.3f ms + %.2f ms/GFLOP)", calls, utterances, phaseLength, policy,
          layers, latencyModel.fixedMs(), latencyModel.msPerSecond(), latencyModel.msPerLayer(),
          latencyModel.msPerLayerGigaFlop());
    }

    /** Header and cells of the table, for a text or Markdown writer. */
    public String[] header() {
      return new String[] {"budget", "load", "calls", "met deadline", metricName, "mean layers",
          "p50 ms", "p95 ms"};
    }

    public List<String[]> cells() {
      List<String[]> cells = new ArrayList<>();
      for (Row r : rows) {
        cells.add(new String[] {r.budget(), r.load(), Integer.toString(r.calls()),
            String.format(Locale.ROOT, "%.1f%%", 100 * r.metShare()),
            String.format(Locale.ROOT, "%.1f%%", 100 * r.metric()),
            String.format(Locale.ROOT, "%.2f", r.meanLayers()),
            String.format(Locale.ROOT, "%.1f", r.p50Ms()),
            String.format(Locale.ROOT, "%.1f", r.p95Ms())});
      }
      return cells;
    }

    public JsonObject json() {
      JsonObject o = new JsonObject();
      o.addProperty("policy", policy);
      o.addProperty("layers", layers);
      o.addProperty("deadline_ms", deadlineMs);
      o.addProperty("default_deadline", defaultDeadline);
      o.addProperty("default_deadline_fraction", DEFAULT_DEADLINE_FRACTION);
      o.addProperty("calibrated_full_depth_ms", fullDepthMs);
      o.addProperty("mean_seconds", meanSeconds);
      JsonObject model = new JsonObject();
      model.addProperty("fixed_ms", latencyModel.fixedMs());
      model.addProperty("ms_per_second", latencyModel.msPerSecond());
      model.addProperty("ms_per_layer", latencyModel.msPerLayer());
      model.addProperty("ms_per_layer_gflop", latencyModel.msPerLayerGigaFlop());
      o.add("latency_model", model);
      o.addProperty("calls", calls);
      o.addProperty("phase_length", phaseLength);
      o.addProperty("utterances", utterances);
      o.addProperty("metric", metricName.toLowerCase(Locale.ROOT));
      JsonArray array = new JsonArray();
      for (Row r : rows) {
        JsonObject row = new JsonObject();
        row.addProperty("budget", r.budget());
        row.addProperty("load", r.load());
        row.addProperty("calls", r.calls());
        row.addProperty("met_share", r.metShare());
        row.addProperty(metricName.toLowerCase(Locale.ROOT), r.metric());
        row.addProperty("mean_layers", r.meanLayers());
        row.addProperty("p50_ms", r.p50Ms());
        row.addProperty("p95_ms", r.p95Ms());
        array.add(row);
      }
      o.add("rows", array);
      return o;
    }
  }

  /** Calls of one budget in one load phase. */
  private static final class Tally {
    final List<Double> latencies = new ArrayList<>();
    final MetricTally metric = new MetricTally();
    int met;
    long layers;

    void add(InferenceResult r, double deadlineMs, Outcome outcome) {
      latencies.add(r.latency().totalMs());
      met += r.latency().totalMs() <= deadlineMs ? 1 : 0;
      layers += r.keptLayers();
      metric.add(outcome);
    }

    Row row(String budget, String load, boolean classification) {
      double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      int n = sorted.length;
      return new Row(budget, load, n, n == 0 ? 0 : met / (double) n,
          classification ? metric.accuracy() : metric.wer(), n == 0 ? 0 : layers / (double) n,
          percentile(sorted, 0.5), percentile(sorted, 0.95));
    }
  }

  /** The nearest-rank percentile of sorted values (0 for none). */
  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private DeadlineExperiment() {}

  /** L, 3L/4, L/2 and L/4 (12, 9, 6, 3 for 12 layers), at least 1, without repeats. */
  public static List<Integer> defaultFixedBudgets(int layers) {
    TreeSet<Integer> budgets = new TreeSet<>();
    for (int k : new int[] {layers, 3 * layers / 4, layers / 2, layers / 4}) {
      budgets.add(Math.max(1, k));
    }
    return List.copyOf(budgets.descendingSet());
  }

  /**
   * The deadline the options ask for: the given one, or the default fraction of the calibrated
   * full-depth latency of a test utterance of mean length (calibrating the server first).
   */
  public static double deadline(Server server, List<TestUtterance> utterances, Options options) {
    return options.deadlineMs() > 0
        ? options.deadlineMs()
        : DEFAULT_DEADLINE_FRACTION * fullDepthMs(server, meanSeconds(utterances));
  }

  private static double fullDepthMs(Server server, double seconds) {
    return server.latencyModel().predictMs(server.shape(seconds), server.layers());
  }

  private static double meanSeconds(List<TestUtterance> utterances) {
    return utterances.stream().mapToDouble(TestUtterance::seconds).average().orElse(0);
  }

  /**
   * Runs the experiment.
   *
   * @param load switches the competing load on (true) or off (false)
   */
  public static Report run(Server server, List<TestUtterance> utterances, Options options,
      Consumer<Boolean> load) {
    if (utterances.isEmpty()) {
      throw new IllegalArgumentException("the deadline experiment needs test utterances");
    }
    int layers = server.layers();
    List<Integer> fixed = options.fixedBudgets().isEmpty()
        ? defaultFixedBudgets(layers)
        : options.fixedBudgets();
    for (int k : fixed) {
      if (k < 1 || k > layers) {
        throw new IllegalArgumentException("fixed budget " + k + " is outside 1.." + layers);
      }
    }
    double meanSeconds = meanSeconds(utterances);
    double fullDepthMs = fullDepthMs(server, meanSeconds);
    double deadline = deadline(server, utterances, options);
    List<InferenceBudget> budgets = new ArrayList<>();
    List<String> names = new ArrayList<>();
    budgets.add(InferenceBudget.deadline(deadline));
    names.add(String.format(Locale.ROOT, "deadline:%.1fms", deadline));
    for (int k : fixed) {
      budgets.add(InferenceBudget.layers(k));
      names.add(k + " layers");
    }
    int b = budgets.size();
    // Per budget: load off, load on, and all calls.
    Tally[][] tallies = new Tally[b][3];
    for (Tally[] perLoad : tallies) {
      for (int l = 0; l < 3; l++) {
        perLoad[l] = new Tally();
      }
    }
    List<Integer> order = new ArrayList<>(IntStream.range(0, utterances.size()).boxed().toList());
    Collections.shuffle(order, new Random(0));
    Boolean classification = null;
    try (ProgressBar bar = new ProgressBar("deadline experiment", options.calls())) {
      for (int step = 0; step < options.calls(); step++) {
        int busy = (step / options.phaseLength()) % 2;
        load.accept(busy == 1);
        int index = order.get(step % order.size());
        TestUtterance utterance = utterances.get(index);
        int kept = 0;
        for (int j = 0; j < b; j++) {
          int budget = (step + j) % b;
          InferenceResult r = server.infer(utterance.audio(), budgets.get(budget));
          Outcome outcome = judge(index, r, utterance.reference());
          classification = r.output().isClassification();
          tallies[budget][busy].add(r, deadline, outcome);
          tallies[budget][2].add(r, deadline, outcome);
          kept = budget == 0 ? r.keptLayers() : kept;
        }
        bar.status(String.format(Locale.ROOT, "load %s, deadline ran %d layers, load factor %.2f",
            busy == 1 ? "on" : "off", kept, server.loadFactor()));
        bar.step();
      }
    } finally {
      load.accept(false);
    }
    List<Row> rows = new ArrayList<>();
    String[] loads = {"off", "on", "all"};
    for (int j = 0; j < b; j++) {
      for (int l = 0; l < 3; l++) {
        rows.add(tallies[j][l].row(names.get(j), loads[l], classification));
      }
    }
    return new Report(server.policy(), layers, deadline, options.deadlineMs() == 0, fullDepthMs,
        meanSeconds, server.latencyModel(), options.calls(), options.phaseLength(), utterances.size(),
        classification ? "accuracy" : "WER", rows);
  }

  /** One call scored against its reference, as the evaluation scores it. */
  private static Outcome judge(int utterance, InferenceResult r, String reference) {
    boolean[] mask = new boolean[r.layerCount()];
    for (int layer : r.executedLayers()) {
      mask[layer] = true;
    }
    return r.output().outcome(utterance, mask, r.layerCount(), reference, 0);
  }
}
