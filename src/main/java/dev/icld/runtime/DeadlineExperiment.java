package dev.icld.runtime;

import dev.icld.audio.Audio;
import dev.icld.data.LabelVocabulary;
import dev.icld.data.ProgressBar;
import dev.icld.model.Checkpoints;
import dev.icld.model.FoundationModel;
import dev.icld.model.LayerDrop;
import dev.icld.model.ModelConfig;
import dev.icld.model.ModelType;
import dev.icld.model.Task;
import dev.icld.model.TaskModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * How a deadline budget copes with a load that changes during the run, against fixed budgets:
 * calls alternate between phases with and without a {@link CompetingLoad}; in every step the same
 * input runs under the deadline, at full depth and at half depth, one after the other, so that all
 * three see the same load. Reports per budget and load phase the share of calls that met the
 * deadline, the mean number of layers, the median and 95th percentile latency, and how often the
 * label agrees with the full-depth label of the same input.
 */
public final class DeadlineExperiment {
  /**
   * @param calls steps (each runs the three budgets once)
   * @param seconds length of the synthetic inputs
   * @param deadlineFraction the deadline as a fraction of the calibrated full-depth latency (used
   *     when {@code deadlineMs} is 0)
   * @param deadlineMs a fixed deadline, or 0
   * @param phaseLength steps per load phase (off, on, off, on...)
   * @param busyThreads threads of the competing load
   */
  public record Options(int calls, double seconds, double deadlineFraction, double deadlineMs,
      int phaseLength, int busyThreads) {
    public static Options defaults() {
      return new Options(400, 2, 0.8, 0, 50, Runtime.getRuntime().availableProcessors());
    }
  }

  /** One budget in one load phase ("off", "on" or "all"). */
  public record Row(String budget, String load, int calls, double metShare, double meanLayers,
      double medianMs, double p95Ms, double agreement) {}

  public record Report(double deadlineMs, int layers, LatencyModel latencyModel, List<Row> rows) {
    /** A plain-text table. */
    public String table() {
      StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
          "deadline %.1f ms, %d layers; latency model: %.2f ms + %.2f ms/s + k x (%.3f ms + %.2f ms/GFLOP)%n",
          deadlineMs, layers, latencyModel.fixedMs(), latencyModel.msPerSecond(),
          latencyModel.msPerLayer(), latencyModel.msPerLayerGigaFlop()));
      s.append(String.format(Locale.ROOT, "%-18s %-4s %6s %8s %7s %10s %9s %7s%n", "budget", "load",
          "calls", "met", "layers", "median ms", "p95 ms", "agree"));
      for (Row r : rows) {
        s.append(String.format(Locale.ROOT, "%-18s %-4s %6d %7.1f%% %7.2f %10.1f %9.1f %6.1f%%%n",
            r.budget, r.load, r.calls, 100 * r.metShare, r.meanLayers, r.medianMs, r.p95Ms,
            100 * r.agreement));
      }
      return s.toString();
    }
  }

  /** Calls of one budget in one load phase. */
  private static final class Tally {
    final List<Double> latencies = new ArrayList<>();
    int met;
    long layers;
    int agree;

    void add(InferenceResult r, double deadlineMs, String fullDepthLabel) {
      latencies.add(r.latency().totalMs());
      met += r.latency().totalMs() <= deadlineMs ? 1 : 0;
      layers += r.keptLayers();
      agree += r.output().text().equals(fullDepthLabel) ? 1 : 0;
    }

    Row row(String budget, String load) {
      double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      int n = sorted.length;
      return new Row(budget, load, n, n == 0 ? 0 : met / (double) n, n == 0 ? 0 : layers / (double) n,
          n == 0 ? 0 : sorted[n / 2], n == 0 ? 0 : sorted[Math.min(n - 1, (int) Math.ceil(0.95 * n) - 1)],
          n == 0 ? 0 : agree / (double) n);
    }

    static Tally merged(Tally a, Tally b) {
      Tally t = new Tally();
      t.latencies.addAll(a.latencies);
      t.latencies.addAll(b.latencies);
      t.met = a.met + b.met;
      t.layers = a.layers + b.layers;
      t.agree = a.agree + b.agree;
      return t;
    }
  }

  private DeadlineExperiment() {}

  /** Runs the experiment on {@code model} (calibrating its deadline controller first). */
  public static Report run(DynamicSpeechModel model, Options options) {
    int layers = model.layers();
    DeadlineController controller = model.deadlineController();
    CallShape shape = CallShape.of(model.config(), List.of(options.seconds()));
    double deadline = options.deadlineMs() > 0
        ? options.deadlineMs()
        : options.deadlineFraction() * controller.model().predictMs(shape, layers);
    List<InferenceBudget> budgets = List.of(InferenceBudget.deadline(deadline),
        InferenceBudget.layers(layers), InferenceBudget.layers(Math.max(1, layers / 2)));
    List<String> names = List.of(String.format(Locale.ROOT, "deadline:%.1fms", deadline),
        "full (" + layers + ")", "half (" + Math.max(1, layers / 2) + ")");
    List<Audio> inputs = syntheticInputs(8, options.seconds());
    Tally[][] tallies = new Tally[budgets.size()][2];
    for (Tally[] perLoad : tallies) {
      perLoad[0] = new Tally();
      perLoad[1] = new Tally();
    }
    try (CompetingLoad load = new CompetingLoad(options.busyThreads());
        ProgressBar bar = new ProgressBar("deadline experiment", options.calls())) {
      for (int step = 0; step < options.calls(); step++) {
        int busy = (step / options.phaseLength()) % 2;
        load.set(busy == 1);
        Audio input = inputs.get(step % inputs.size());
        InferenceResult[] results = new InferenceResult[budgets.size()];
        for (int b = 0; b < budgets.size(); b++) {
          results[b] = model.infer(input, budgets.get(b));
        }
        String fullDepthLabel = results[1].output().text();
        for (int b = 0; b < budgets.size(); b++) {
          tallies[b][busy].add(results[b], deadline, fullDepthLabel);
        }
        bar.status(String.format(Locale.ROOT, "load %s, %d layers, factor %.2f",
            busy == 1 ? "on" : "off", results[0].keptLayers(), controller.loadFactor()));
        bar.step();
      }
      load.set(false);
    }
    List<Row> rows = new ArrayList<>();
    for (int b = 0; b < budgets.size(); b++) {
      rows.add(tallies[b][0].row(names.get(b), "off"));
      rows.add(tallies[b][1].row(names.get(b), "on"));
      rows.add(Tally.merged(tallies[b][0], tallies[b][1]).row(names.get(b), "all"));
    }
    return new Report(deadline, layers, controller.model(), rows);
  }

  /** Noisy tones at different pitches. */
  static List<Audio> syntheticInputs(int count, double seconds) {
    Random random = new Random(7);
    List<Audio> inputs = new ArrayList<>();
    int samples = (int) Math.round(seconds * FoundationModel.SAMPLE_RATE);
    for (int i = 0; i < count; i++) {
      float[] x = new float[samples];
      double hz = 150 * (i + 1);
      for (int t = 0; t < samples; t++) {
        x[t] = (float) (0.3 * Math.sin(2 * Math.PI * hz * t / FoundationModel.SAMPLE_RATE)
            + 0.05 * random.nextGaussian());
      }
      inputs.add(new Audio(x, FoundationModel.SAMPLE_RATE));
    }
    return inputs;
  }

  /**
   * A small random wav2vec 2.0 (8 layers, hidden 256, feed-forward 1024, a Base-shaped conv stack
   * of 128 channels): big enough that the layers dominate the latency, small enough to run
   * hundreds of calls in a minute.
   */
  public static ModelConfig smallConfig() {
    return new ModelConfig(ModelType.WAV2VEC2, 256, 8, 4, 1024, "gelu", "gelu",
        List.of(128, 128, 128, 128, 128, 128, 128), List.of(10, 3, 3, 3, 3, 2, 2),
        List.of(5, 2, 2, 2, 2, 2, 2), false, "group", 128, 16, false, 1e-5, true, 320, 800);
  }

  /** A classifier with random weights on {@code config}. */
  public static DynamicSpeechModel randomModel(ModelConfig config, long seed) {
    TaskModel model = TaskModel.create(Checkpoints.randomlyInitialised(config, seed), Task.KWS,
        LabelVocabulary.of(Arrays.asList("a", "b", "c", "d")), new LayerDrop(LayerDrop.Mode.NONE, 1, false),
        seed + 1);
    return DynamicSpeechModel.of(model, null, null);
  }

  /**
   * Runs the experiment on the small random model and prints the table. Arguments, all optional:
   * steps, seconds per input, deadline fraction of full-depth latency, steps per load phase.
   */
  public static void main(String[] args) {
    Options d = Options.defaults();
    Options options = new Options(
        args.length > 0 ? Integer.parseInt(args[0]) : d.calls(),
        args.length > 1 ? Double.parseDouble(args[1]) : d.seconds(),
        args.length > 2 ? Double.parseDouble(args[2]) : d.deadlineFraction(), 0,
        args.length > 3 ? Integer.parseInt(args[3]) : d.phaseLength(), d.busyThreads());
    try (DynamicSpeechModel model = randomModel(smallConfig(), 1)) {
      System.out.print(run(model, options).table());
    }
  }
}
