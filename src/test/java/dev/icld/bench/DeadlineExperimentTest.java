package dev.icld.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.icld.audio.Audio;
import dev.icld.inference.TaskOutput;
import dev.icld.methods.Methods;
import dev.icld.runtime.CallShape;
import dev.icld.runtime.DeadlineController;
import dev.icld.runtime.DeadlinePlan;
import dev.icld.runtime.InferenceBudget;
import dev.icld.runtime.InferenceResult;
import dev.icld.runtime.Latency;
import dev.icld.runtime.LatencyModel;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The experiment against a simulated model whose calls take the time its latency model predicts
 * times the slowdown of a simulated load, on a clock of its own: no wall-clock time is measured.
 */
class DeadlineExperimentTest {
  private static final int LAYERS = 12;
  /** 4 ms per call and 2 ms per layer: 28 ms at full depth. */
  private static final LatencyModel TRUTH = new LatencyModel(4, 0, 2, 0);
  /** How much slower every call is while the simulated load is on. */
  private static final double LOADED = 2.5;

  /**
   * Plans deadline calls with a real {@link DeadlineController} fed the simulated latencies. Its
   * output is right with at least 6 layers: the label "yes", or the transcript "go on".
   */
  private static final class SimulatedServer implements DeadlineExperiment.Server {
    final DeadlineController controller = new DeadlineController(TRUTH, LAYERS, 0.3);
    final boolean transcribing;
    double slowdown = 1;

    SimulatedServer(boolean transcribing) {
      this.transcribing = transcribing;
    }

    @Override
    public int layers() {
      return LAYERS;
    }

    @Override
    public String policy() {
      return Methods.FIRST_K.name();
    }

    @Override
    public LatencyModel latencyModel() {
      return TRUTH;
    }

    @Override
    public CallShape shape(double seconds) {
      return new CallShape(seconds, 0);
    }

    @Override
    public double loadFactor() {
      return controller.loadFactor();
    }

    @Override
    public InferenceResult infer(Audio audio, InferenceBudget budget) {
      CallShape shape = shape(audio.samples().length / (double) audio.sampleRate());
      DeadlinePlan plan = budget.isDeadline() ? controller.plan(budget.deadlineMillis(), shape) : null;
      int k = plan != null ? plan.layers() : budget.resolve(LAYERS).keep();
      double ms = slowdown * TRUTH.predictMs(shape, k);
      controller.observe(shape, k, ms);
      boolean right = k >= 6;
      TaskOutput output = transcribing
          ? TaskOutput.transcript(right ? "go on" : "go")
          : TaskOutput.classification(right ? "yes" : "no", Map.of("yes", 0.5, "no", 0.5));
      return new InferenceResult(output, IntStream.range(0, k).toArray(), LAYERS, policy(), 0,
          new Latency(0, 0, ms, 0, ms), plan);
    }
  }

  private static List<DeadlineExperiment.TestUtterance> utterances(String reference) {
    Audio second = new Audio(new float[16_000], 16_000);
    return List.of(new DeadlineExperiment.TestUtterance(second, reference),
        new DeadlineExperiment.TestUtterance(second, reference));
  }

  private static DeadlineExperiment.Report run(SimulatedServer server, String reference,
      DeadlineExperiment.Options options) {
    return DeadlineExperiment.run(server, utterances(reference), options,
        busy -> server.slowdown = busy ? LOADED : 1);
  }

  @Test
  void theControllerMeetsMoreDeadlinesThanFullDepthUnderLoad() {
    SimulatedServer server = new SimulatedServer(false);
    DeadlineExperiment.Report report =
        run(server, "yes", new DeadlineExperiment.Options(0, List.of(), 80, 10));
    // The default deadline: 60% of 28 ms.
    assertEquals(0.6 * 28, report.deadlineMs(), 1e-9);
    assertTrue(report.defaultDeadline());
    assertEquals(28, report.fullDepthMs(), 1e-9);
    assertEquals("accuracy", report.metricName());
    String deadline = "deadline:16.8ms";
    List<String> budgets = List.of(deadline, "12 layers", "9 layers", "6 layers", "3 layers");
    assertEquals(budgets.size() * 3, report.rows().size());
    for (String budget : budgets) {
      assertEquals(40, report.row(budget, "off").calls());
      assertEquals(40, report.row(budget, "on").calls());
      assertEquals(80, report.row(budget, "all").calls());
    }
    // Idle, 6 layers take 16 ms and fit; loaded, even 3 layers take 25 ms and miss.
    assertEquals(0, report.row("12 layers", "off").metShare());
    assertEquals(0, report.row("12 layers", "on").metShare());
    assertEquals(1, report.row("6 layers", "off").metShare());
    assertEquals(0, report.row("3 layers", "on").metShare());
    assertEquals(0.5, report.row("3 layers", "all").metShare());
    // The controller runs 6 layers idle and drops to fewer under load, meeting most deadlines.
    DeadlineExperiment.Row off = report.row(deadline, "off");
    DeadlineExperiment.Row on = report.row(deadline, "on");
    assertEquals(1, off.metShare());
    assertTrue(on.metShare() > 0.5, "met under load: " + on.metShare());
    assertTrue(report.row(deadline, "all").metShare() > report.row("12 layers", "all").metShare());
    assertTrue(report.row(deadline, "all").metShare() > report.row("3 layers", "all").metShare());
    assertTrue(on.meanLayers() < 3 && off.meanLayers() > 5, on.meanLayers() + " " + off.meanLayers());
    // The task metric against the references: right with 6 layers or more.
    assertEquals(1, report.row("12 layers", "all").metric());
    assertEquals(1, report.row("6 layers", "on").metric());
    assertEquals(0, report.row("3 layers", "all").metric());
    assertTrue(on.metric() < off.metric());
    assertEquals(12, report.row("12 layers", "on").meanLayers());
    DeadlineExperiment.Row full = report.row("12 layers", "all");
    assertEquals(28, full.p50Ms(), 1e-9);
    assertEquals(70, full.p95Ms(), 1e-9);
    assertEquals(1, server.slowdown, "the load is switched off at the end");
  }

  @Test
  void transcriptsAreScoredByWordErrorRateAgainstNormalisedReferences() {
    SimulatedServer server = new SimulatedServer(true);
    DeadlineExperiment.Report report =
        run(server, "go on", new DeadlineExperiment.Options(100, List.of(8, 4), 6, 3));
    assertEquals("WER", report.metricName());
    assertEquals(100, report.deadlineMs());
    assertTrue(!report.defaultDeadline());
    assertEquals(List.of("deadline:100.0ms", "8 layers", "4 layers"),
        report.rows().stream().map(DeadlineExperiment.Row::budget).distinct().toList());
    assertEquals(0, report.row("8 layers", "all").metric());
    // "go" against "go on": one deletion in two words.
    assertEquals(0.5, report.row("4 layers", "all").metric());
    assertEquals(12, report.row("deadline:100.0ms", "all").meanLayers());
    assertEquals(1, report.row("deadline:100.0ms", "all").metShare());
  }

  @Test
  void theJsonHoldsEveryField() {
    SimulatedServer server = new SimulatedServer(false);
    JsonObject o = run(server, "yes", new DeadlineExperiment.Options(0, List.of(6), 4, 2)).json();
    for (String field : List.of("policy", "layers", "deadline_ms", "default_deadline",
        "default_deadline_fraction", "calibrated_full_depth_ms", "mean_seconds", "latency_model",
        "calls", "phase_length", "utterances", "metric", "rows")) {
      assertTrue(o.has(field), field);
    }
    assertEquals("accuracy", o.get("metric").getAsString());
    assertEquals(6, o.getAsJsonArray("rows").size());
    JsonObject row = o.getAsJsonArray("rows").get(0).getAsJsonObject();
    for (String field : List.of("budget", "load", "calls", "met_share", "accuracy", "mean_layers",
        "p50_ms", "p95_ms")) {
      assertTrue(row.has(field), field);
    }
    assertEquals(4, o.getAsJsonObject("latency_model").get("fixed_ms").getAsDouble());
  }

  @Test
  void badSettingsAreRefused() {
    SimulatedServer server = new SimulatedServer(false);
    assertThrows(IllegalArgumentException.class,
        () -> run(server, "yes", new DeadlineExperiment.Options(0, List.of(13), 4, 2)));
    assertThrows(IllegalArgumentException.class, () -> DeadlineExperiment.run(server, List.of(),
        new DeadlineExperiment.Options(0, List.of(), 4, 2), busy -> { }));
    assertThrows(IllegalArgumentException.class,
        () -> new DeadlineExperiment.Options(-1, List.of(), 4, 2));
    assertThrows(IllegalArgumentException.class,
        () -> new DeadlineExperiment.Options(0, List.of(), 0, 2));
  }

  @Test
  void defaultFixedBudgetsAreFullThreeQuartersHalfAndAQuarter() {
    assertEquals(List.of(12, 9, 6, 3), DeadlineExperiment.defaultFixedBudgets(12));
    assertEquals(List.of(4, 3, 2, 1), DeadlineExperiment.defaultFixedBudgets(4));
    assertEquals(List.of(2, 1), DeadlineExperiment.defaultFixedBudgets(2));
  }

  @Test
  void percentilesAreNearestRank() {
    double[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertEquals(5, DeadlineExperiment.percentile(sorted, 0.5));
    assertEquals(10, DeadlineExperiment.percentile(sorted, 0.95));
    assertEquals(0, DeadlineExperiment.percentile(new double[0], 0.5));
  }
}
