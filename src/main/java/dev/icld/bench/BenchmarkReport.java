package dev.icld.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.icld.bench.Benchmark.DepthResult;
import dev.icld.bench.Benchmark.InputResult;
import dev.icld.bench.Benchmark.ModelResult;
import dev.icld.bench.Benchmark.Timing;
import dev.icld.runtime.Latency;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A benchmark run's results as a text table, a Markdown section for BENCHMARKS.md and JSON, with
 * the ratios the runtime issue sets targets for, each marked PASS or MISS.
 *
 * @param command the command line that produced it
 * @param machine where it ran
 * @param threads the thread count asked for (ONNX Runtime intra-op; DJL's as its engine reports)
 * @param djlThreads DJL's PyTorch thread setting as it was when the engine started
 * @param peakHeapBytes the JVM heap's peak use over the run
 * @param peakRssBytes the process's peak resident set (VmHWM), -1 where /proc is unavailable
 * @param deadline the deadline controller's experiment, or null when it did not run
 * @param beforeAfter this build against a baseline build, or null when none was named
 */
public record BenchmarkReport(String command, Machine machine, int threads, String djlThreads,
    Benchmark.Settings settings, List<ModelResult> models, long peakHeapBytes, long peakRssBytes,
    DeadlineExperiment.Report deadline, BuildComparison.Result beforeAfter) {

  public static final double HALF_DEPTH_TARGET = 0.55;
  public static final double QUARTER_DEPTH_TARGET = 0.30;
  public static final double ORT_TARGET = 0.7;
  public static final double SELECTOR_FLOPS_TARGET = 0.01;
  public static final double SELECTOR_TIME_TARGET = 0.005;
  public static final double PYTORCH_TARGET = 1.1;

  public BenchmarkReport {
    models = List.copyOf(models);
  }

  /** One target check on one model and input, on median times. */
  public record Check(String model, double seconds, String what, double value, double target) {
    public boolean passes() {
      return value <= target;
    }

    public String line() {
      return String.format(Locale.ROOT, "%s %-5s %6s  %-44s %.4f (target <= %.3f)",
          passes() ? "PASS" : "MISS", model, inputLength(seconds), what, value, target);
    }
  }

  /** The ratios on every model and input, on median times. */
  public List<Check> checks() {
    List<Check> checks = new ArrayList<>();
    for (ModelResult m : models) {
      int layers = m.layers();
      for (InputResult in : m.inputs()) {
        DepthResult full = in.depth(layers);
        double fullEncoder = full.djlEncoder().medianMs();
        if (layers >= 2) {
          checks.add(new Check(m.name(), in.seconds(), "DJL encoder " + layers / 2 + "/" + layers
              + " over " + layers + "/" + layers, in.depth(layers / 2).djlEncoder().medianMs() / fullEncoder,
              HALF_DEPTH_TARGET));
        }
        if (layers >= 4) {
          checks.add(new Check(m.name(), in.seconds(), "DJL encoder " + layers / 4 + "/" + layers
              + " over " + layers + "/" + layers, in.depth(layers / 4).djlEncoder().medianMs() / fullEncoder,
              QUARTER_DEPTH_TARGET));
        }
        checks.add(new Check(m.name(), in.seconds(), "ORT over DJL, full model",
            full.ortTotal().medianMs() / full.djlTotal().medianMs(), ORT_TARGET));
        checks.add(new Check(m.name(), in.seconds(), "selector FLOPs over full model",
            in.selectorFlopsFraction(), SELECTOR_FLOPS_TARGET));
        checks.add(new Check(m.name(), in.seconds(), "selector time over DJL full model",
            in.selector().medianMs() / full.djlTotal().medianMs(), SELECTOR_TIME_TARGET));
        if (in.pytorch() != null && !in.pytorch().referenceBlas()) {
          checks.add(new Check(m.name(), in.seconds(), "DJL over PyTorch eager, full model",
              full.djlTotal().medianMs() / in.pytorch().timing().medianMs(), PYTORCH_TARGET));
        }
      }
    }
    return checks;
  }

  static String inputLength(double seconds) {
    return java.math.BigDecimal.valueOf(seconds).stripTrailingZeros().toPlainString() + " s";
  }

  private static String ms(Timing t) {
    return String.format(Locale.ROOT, "%.1f / %.1f", t.medianMs(), t.minMs());
  }

  private List<String[]> rows() {
    List<String[]> rows = new ArrayList<>();
    for (ModelResult m : models) {
      for (InputResult in : m.inputs()) {
        for (DepthResult d : in.depths()) {
          rows.add(new String[] {m.name(), inputLength(in.seconds()),
              d.keptLayers() + "/" + m.layers(), ms(d.djlFrontEnd()), ms(d.djlEncoder()),
              ms(d.djlTotal()), ms(d.ortTotal()),
              String.format(Locale.ROOT, "%.2f", d.ortTotal().medianMs() / d.djlTotal().medianMs())});
        }
      }
    }
    return rows;
  }

  private static final String[] HEADER = {"model", "input", "layers", "DJL front end",
      "DJL encoder", "DJL total", "ORT total", "ORT/DJL"};

  private List<String[]> componentRows() {
    List<String[]> rows = new ArrayList<>();
    for (ModelResult m : models) {
      for (InputResult in : m.inputs()) {
        DepthResult full = in.depth(m.layers());
        rows.add(new String[] {m.name(), inputLength(in.seconds()),
            ms(full.djlFrontEnd()), ms(full.djlEncoder()), ms(in.selector()),
            String.format(Locale.ROOT, "%.3f%%", 100 * in.selectorFlopsFraction()), ms(in.head())});
      }
    }
    return rows;
  }

  /** Each front-end step at each input, with its share of the full model's DJL time. */
  private List<String[]> frontEndRows() {
    List<String[]> rows = new ArrayList<>();
    for (ModelResult m : models) {
      for (InputResult in : m.inputs()) {
        double full = in.depth(m.layers()).djlTotal().medianMs();
        for (Benchmark.StageTiming stage : in.frontEndStages()) {
          rows.add(new String[] {m.name(), inputLength(in.seconds()), stage.name(),
              ms(stage.timing()),
              String.format(Locale.ROOT, "%.1f%%", 100 * stage.timing().medianMs() / full)});
        }
      }
    }
    return rows;
  }

  private static final String[] FRONT_END_HEADER = {"model", "input", "component", "DJL ms",
      "of full model"};

  private List<String[]> pytorchRows() {
    List<String[]> rows = new ArrayList<>();
    for (ModelResult m : models) {
      for (InputResult in : m.inputs()) {
        if (in.pytorch() != null) {
          Timing djl = in.depth(m.layers()).djlTotal();
          rows.add(new String[] {m.name(), inputLength(in.seconds()),
              m.layers() + "/" + m.layers(), ms(djl),
              ms(in.pytorch().timing()),
              String.format(Locale.ROOT, "%.2f", djl.medianMs() / in.pytorch().timing().medianMs()),
              String.format(Locale.ROOT, "%.1e", in.pytorch().maxAbsDifference())});
        }
      }
    }
    return rows;
  }

  private static final String[] PYTORCH_HEADER = {"model", "input", "layers", "DJL total",
      "PyTorch total", "DJL/PyTorch", "max abs diff"};

  /** What PyTorch eager ran on, or why not, per model. */
  private List<String> pytorchNotes() {
    return models.stream().map(m -> m.name() + ": " + m.pytorch()).toList();
  }

  private static final String[] COMPONENT_HEADER = {"model", "input", "front end", "layers (all)",
      "selector", "selector FLOPs", "linear head"};

  private String memory() {
    return String.format(Locale.ROOT, "peak JVM heap %.0f MiB, peak process RSS (VmHWM) %s",
        peakHeapBytes / 1048576.0,
        peakRssBytes < 0 ? "unavailable" : String.format(Locale.ROOT, "%.0f MiB", peakRssBytes / 1048576.0));
  }

  private String settingsLine() {
    return String.format(Locale.ROOT, "batch 1, random audio, %d warm-up + %d timed runs per input; "
        + "times in ms as median / minimum; DJL threads %s, ONNX Runtime intra-op threads %d",
        settings.warmups(), settings.repeats(), djlThreads, threads);
  }

  /** The plain-text table for the terminal. */
  public String text() {
    StringBuilder s = new StringBuilder();
    s.append(machine.line()).append('\n').append(settingsLine()).append('\n');
    for (ModelResult m : models) {
      s.append(m.name()).append(": ").append(m.shape()).append('\n');
    }
    s.append('\n').append(table(HEADER, rows(), false)).append('\n');
    s.append("Per component (full depth, DJL):\n").append(table(COMPONENT_HEADER, componentRows(), false));
    s.append("\nFront end per component (DJL, one step at a time):\n")
        .append(table(FRONT_END_HEADER, frontEndRows(), false));
    s.append('\n').append(memory()).append('\n').append('\n');
    s.append("DJL eager against PyTorch eager (torchaudio, same weights and inputs, full depth):\n");
    for (String note : pytorchNotes()) {
      s.append("  ").append(note).append('\n');
    }
    if (!pytorchRows().isEmpty()) {
      s.append(table(PYTORCH_HEADER, pytorchRows(), false));
    }
    s.append('\n');
    for (Check c : checks()) {
      s.append(c.line()).append('\n');
    }
    if (beforeAfter != null) {
      s.append("\nBefore and after:\n").append(BuildComparison.markdown(beforeAfter));
    }
    if (deadline != null) {
      s.append("\nDeadline controller under a changing load:\n").append(deadline.deadlineLine())
          .append('\n').append(deadline.setupLine()).append('\n')
          .append(table(deadline.header(), deadline.cells(), false));
    }
    return s.toString();
  }

  /** The BENCHMARKS.md section. */
  public String markdown() {
    StringBuilder s = new StringBuilder();
    s.append("# Benchmarks\n\n");
    s.append("Printed by `icld bench` and written by it (not edited by hand).\n\n");
    s.append("Command:\n\n```\n").append(command).append("\n```\n\n");
    s.append("Machine: ").append(machine.line()).append("\n\n");
    s.append(settingsLine()).append(".\n\n");
    for (ModelResult m : models) {
      s.append("- ").append(m.name()).append(": ").append(m.shape()).append('\n');
    }
    s.append("\n## Latency\n\n").append(table(HEADER, rows(), true));
    s.append("\nDJL encoder = positional convolution, the kept layers and the final norm; "
        + "ORT total is ONNX Runtime's whole forward.\n");
    s.append("\n## Per component (full depth, DJL)\n\n").append(table(COMPONENT_HEADER, componentRows(), true));
    s.append("\nSelector: an untrained selector on the front end's features, timed as inference runs "
        + "it (the input-conditioned policy choosing half the layers), and its FLOPs over the full "
        + "model's; head: a linear layer to " + Benchmark.HEAD_CLASSES
        + " classes on the last hidden state.\n");
    s.append("\n## Front end per component (DJL)\n\n")
        .append(table(FRONT_END_HEADER, frontEndRows(), true));
    s.append("\nThe fixed cost every input pays before the first transformer layer, one step at a "
        + "time as the forward pass runs them (FoundationModel.frontEndStages); of full model = the "
        + "step's median over the median DJL total at full depth.\n");
    s.append("\n").append(memory()).append(".\n");
    s.append("\n## DJL eager against PyTorch eager\n\n");
    s.append("The same weights and inputs in torchaudio's wav2vec2 model (Debian python3-torch, "
        + "scripts/bench/torch_eager.py, run after DJL's runs in its own process) with the same "
        + "thread count, warm-ups and repeats; full depth; max abs diff compares the two encoder "
        + "outputs.\n\n");
    for (String note : pytorchNotes()) {
      s.append("- ").append(note).append('\n');
    }
    if (!pytorchRows().isEmpty()) {
      s.append('\n').append(table(PYTORCH_HEADER, pytorchRows(), true));
    }
    s.append("\n## Targets (median times)\n\n```\n");
    for (Check c : checks()) {
      s.append(c.line()).append('\n');
    }
    s.append("```\n");
    if (beforeAfter != null) {
      s.append("\n## Before and after\n\n").append(BuildComparison.markdown(beforeAfter));
    }
    if (deadline != null) {
      s.append("\n## Deadline controller under a changing load\n\n");
      s.append(deadline.deadlineLine()).append(".\n\n").append(deadline.setupLine()).append(".\n\n");
      s.append(table(deadline.header(), deadline.cells(), true));
      s.append("\nEach step runs one test utterance under every budget in turn; met deadline = share "
          + "of calls whose whole latency was within the deadline; load on = a competing busy "
          + "thread running; all = both phases.\n");
    }
    return s.toString();
  }

  private static String table(String[] header, List<String[]> rows, boolean markdown) {
    int[] width = new int[header.length];
    for (int i = 0; i < header.length; i++) {
      width[i] = header[i].length();
      for (String[] r : rows) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    StringBuilder s = new StringBuilder();
    appendRow(s, header, width, markdown);
    if (markdown) {
      String[] rule = new String[header.length];
      for (int i = 0; i < rule.length; i++) {
        rule[i] = "-".repeat(width[i]);
      }
      appendRow(s, rule, width, true);
    }
    for (String[] r : rows) {
      appendRow(s, r, width, markdown);
    }
    return s.toString();
  }

  private static void appendRow(StringBuilder s, String[] cells, int[] width, boolean markdown) {
    for (int i = 0; i < cells.length; i++) {
      String cell = i < 3 ? String.format("%-" + width[i] + "s", cells[i])
          : String.format("%" + width[i] + "s", cells[i]);
      s.append(markdown ? (i == 0 ? "| " : " | ") : (i == 0 ? "" : "  ")).append(cell);
    }
    s.append(markdown ? " |\n" : "\n");
  }

  /** Every number, machine-readable. */
  public String json() {
    JsonObject o = new JsonObject();
    o.addProperty("command", command);
    o.add("machine", machine.json());
    o.addProperty("threads", threads);
    o.addProperty("djl_threads", djlThreads);
    o.addProperty("warmups", settings.warmups());
    o.addProperty("repeats", settings.repeats());
    o.addProperty("peak_heap_bytes", peakHeapBytes);
    o.addProperty("peak_rss_bytes", peakRssBytes);
    JsonArray models = new JsonArray();
    for (ModelResult m : this.models) {
      JsonObject mo = new JsonObject();
      mo.addProperty("name", m.name());
      mo.addProperty("shape", m.shape());
      mo.addProperty("layers", m.layers());
      JsonArray inputs = new JsonArray();
      for (InputResult in : m.inputs()) {
        JsonObject io = new JsonObject();
        io.addProperty("seconds", in.seconds());
        JsonArray depths = new JsonArray();
        for (DepthResult d : in.depths()) {
          JsonObject dobj = new JsonObject();
          dobj.addProperty("kept_layers", d.keptLayers());
          dobj.add("djl_front_end_ms", timing(d.djlFrontEnd()));
          dobj.add("djl_encoder_ms", timing(d.djlEncoder()));
          dobj.add("djl_total_ms", timing(d.djlTotal()));
          dobj.add("ort_total_ms", timing(d.ortTotal()));
          depths.add(dobj);
        }
        io.add("depths", depths);
        JsonArray stages = new JsonArray();
        for (Benchmark.StageTiming stage : in.frontEndStages()) {
          JsonObject so = new JsonObject();
          so.addProperty("name", stage.name());
          so.add("ms", timing(stage.timing()));
          stages.add(so);
        }
        io.add("front_end_stages", stages);
        io.add("selector_ms", timing(in.selector()));
        io.addProperty("selector_flops_fraction", in.selectorFlopsFraction());
        io.add("linear_head_ms", timing(in.head()));
        if (in.pytorch() != null) {
          io.add("pytorch_total_ms", timing(in.pytorch().timing()));
          io.addProperty("pytorch_max_abs_difference", in.pytorch().maxAbsDifference());
        }
        inputs.add(io);
      }
      mo.add("inputs", inputs);
      mo.addProperty("pytorch_eager", m.pytorch());
      models.add(mo);
    }
    o.add("models", models);
    JsonArray checks = new JsonArray();
    for (Check c : checks()) {
      JsonObject co = new JsonObject();
      co.addProperty("model", c.model());
      co.addProperty("seconds", c.seconds());
      co.addProperty("what", c.what());
      co.addProperty("value", c.value());
      co.addProperty("target", c.target());
      co.addProperty("result", c.passes() ? "PASS" : "MISS");
      checks.add(co);
    }
    o.add("checks", checks);
    if (deadline != null) {
      o.add("deadline_experiment", deadline.json());
    }
    return new GsonBuilder().setPrettyPrinting().create().toJson(o) + "\n";
  }

  private static JsonObject timing(Timing t) {
    JsonObject o = new JsonObject();
    o.addProperty("median", t.medianMs());
    o.addProperty("min", t.minMs());
    return o;
  }
}
