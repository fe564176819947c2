package dev.icld.cli;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.icld.audio.Audio;
import dev.icld.audio.AudioFiles;
import dev.icld.data.Manifest;
import dev.icld.data.ManifestEntry;
import dev.icld.methods.Method;
import dev.icld.methods.Methods;
import dev.icld.model.FoundationModel;
import dev.icld.runtime.DynamicSpeechModel;
import dev.icld.runtime.InferenceBudget;
import dev.icld.runtime.InferenceEngine;
import dev.icld.runtime.InferenceResult;
import dev.icld.runtime.Latency;
import dev.icld.spark.SparkInference;
import dev.icld.inference.TaskOutput;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code icld infer --model DIR --budget B FILE...}: runs a fine-tuned model on audio files (or
 * every audio file of a folder) under a layer budget, one line per file. A file that cannot be read or run gets one error line on
 * stderr and the others still run; the exit code is 1 when any failed.
 */
@Command(
    name = "infer",
    mixinStandardHelpOptions = true,
    description = "Run a model on audio files (WAV or FLAC, any sample rate) under a layer budget; "
        + "print per file the output, the executed layers, GFLOPs and the latency.")
final class InferCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "model directory written by icld finetune (with an optional layer selector "
          + "and static subsets)")
  Path modelDir;

  @Option(names = "--budget", required = true, paramLabel = "BUDGET",
      description = "layers to run: a count (6), a fraction (0.5), adaptive:FRACTION (the "
          + "selector's adaptive mode) or deadline:MILLISECONDS (deadline:40ms)")
  String budget;

  @Option(names = "--policy", paramLabel = "NAME", completionCandidates = ServedMethods.class,
      description = "${COMPLETION-CANDIDATES} (default: the first the model has of selector, "
          + "early-exit, static, first-k)")
  String policy;

  /** The methods a model may serve by name. */
  static final class ServedMethods implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Methods.ALL.stream().filter(Method::served).map(Method::name).iterator();
    }
  }

  @Mixin EngineOption engine;

  @Option(names = "--json", description = "print one JSON object per line")
  boolean json;

  @Parameters(arity = "1..*", paramLabel = "FILE",
      description = "audio files, folders (each folder's .wav and .flac files, by name) or "
          + "manifests (.jsonl: each line's audio)")
  List<Path> files;

  @Option(names = "--spark", paramLabel = "MASTER",
      description = "answer the files on Apache Spark: local[N], spark://HOST:PORT, yarn, "
          + "k8s://..., or submit (spark-submit's master); each executor loads the model once. "
          + "Needs --out: the answers go to OUT/predictions.parquet (a file's error in its row), "
          + "the rates to OUT/spark.json")
  String sparkMaster;

  @Option(names = "--partitions", defaultValue = "0", paramLabel = "N",
      description = "with --spark: tasks that share the files (default: twice Spark's default "
          + "parallelism, and at most 500 each: a task's progress shows when it ends)")
  int partitions;

  @Option(names = "--out", paramLabel = "DIR", description = "with --spark: output directory")
  Path outDir;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    InferenceBudget parsed = InferenceBudget.parse(budget);
    InferenceEngine chosenEngine = engine.chosen();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Path> inputs = new ArrayList<>();
    for (Path file : files) {
      if (Files.isDirectory(file)) {
        inputs.addAll(AudioFiles.inFolder(file));
      } else if (file.getFileName().toString().endsWith(".jsonl")) {
        Path base = file.toAbsolutePath().getParent();
        for (ManifestEntry entry : Manifest.read(file)) {
          inputs.add(base.resolve(entry.audio()).normalize());
        }
      } else {
        inputs.add(file);
      }
    }
    if (sparkMaster != null) {
      if (outDir == null) {
        throw new IllegalArgumentException("--spark needs --out DIR for the answers");
      }
      SparkCheck.require();
      return SparkInference.run(sparkMaster, partitions, modelDir, chosenEngine, budget, policy,
          inputs, outDir, out) == 0 ? 0 : 1;
    }
    int failed = 0;
    try (DynamicSpeechModel model = DynamicSpeechModel.load(modelDir, chosenEngine)) {
      model.check(parsed, policy);
      if (parsed.isDeadline()) {
        model.deadlineController();
      } else {
        // So that the first file's latency is not the engine's start-up.
        model.infer(new Audio(new float[FoundationModel.SAMPLE_RATE], FoundationModel.SAMPLE_RATE),
            InferenceBudget.fraction(1.0), policy);
      }
      for (Path file : inputs) {
        try {
          InferenceResult result = model.infer(AudioFiles.read(file), parsed, policy);
          out.println(json
              ? jsonLine(file, parsed, model.engine(), result)
              : textLine(file, result));
        } catch (IOException | IllegalArgumentException e) {
          String message = UserErrors.message(e);
          err.println("icld infer: " + (message.startsWith(file.toString()) ? message : file + ": " + message));
          failed++;
        }
        out.flush();
        err.flush();
      }
    }
    return failed == 0 ? 0 : 1;
  }

  private static String textLine(Path file, InferenceResult r) {
    TaskOutput o = r.output();
    String output = o.isClassification()
        ? String.format(Locale.ROOT, "%s (p=%.3f)", o.label(), o.confidence())
        : "\"" + o.transcript() + "\"";
    String layers = IntStream.of(r.executedLayers()).mapToObj(Integer::toString)
        .collect(Collectors.joining(","));
    String deadline = r.deadline() == null ? ""
        : String.format(Locale.ROOT, " (deadline %.1f ms %s)", r.deadline().deadlineMs(),
            r.metDeadline() ? "met" : "missed");
    return String.format(Locale.ROOT, "%s\t%s\tlayers %s (%d/%d)\t%.3f GFLOPs\t%.1f ms%s", file,
        output, layers, r.keptLayers(), r.layerCount(), r.gigaFlops(), r.latency().totalMs(), deadline);
  }

  private static String jsonLine(Path file, InferenceBudget budget, String engine,
      InferenceResult r) {
    JsonObject o = new JsonObject();
    o.addProperty("file", file.toString());
    TaskOutput output = r.output();
    if (output.isClassification()) {
      o.addProperty("label", output.label());
      JsonObject p = new JsonObject();
      for (Map.Entry<String, Double> e : output.probabilities().entrySet()) {
        p.addProperty(e.getKey(), e.getValue());
      }
      o.add("probabilities", p);
    } else {
      o.addProperty("transcript", output.transcript());
    }
    JsonArray layers = new JsonArray();
    for (int layer : r.executedLayers()) {
      layers.add(layer);
    }
    o.add("executed_layers", layers);
    o.addProperty("layer_count", r.layerCount());
    o.addProperty("policy", r.policy());
    o.addProperty("budget", budget.toString());
    o.addProperty("engine", engine);
    o.addProperty("gflops", r.gigaFlops());
    Latency l = r.latency();
    JsonObject latency = new JsonObject();
    latency.addProperty("total", l.totalMs());
    latency.addProperty("front_end", l.frontEndMs());
    latency.addProperty("selector", l.selectorMs());
    latency.addProperty("layers", l.layersMs());
    latency.addProperty("head", l.headMs());
    o.add("latency_ms", latency);
    if (r.deadline() != null) {
      o.addProperty("deadline_ms", r.deadline().deadlineMs());
      o.addProperty("predicted_ms", r.deadline().predictedMs());
      o.addProperty("met_deadline", r.metDeadline());
    }
    return new Gson().toJson(o);
  }
}
