package dev.icld.cli;

import dev.icld.files.AtomicFiles;
import dev.icld.model.Checkpoints;
import dev.icld.model.FoundationModel;
import dev.icld.model.ModelConfig;
import dev.icld.model.ModelType;
import dev.icld.model.Torch;
import dev.icld.runtime.Benchmark;
import dev.icld.runtime.BenchmarkReport;
import dev.icld.runtime.Machine;
import dev.icld.runtime.PeakMemory;
import dev.icld.train.Pretraining;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code icld bench}: latency of DJL eager and ONNX Runtime at several depths, in one run. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {"Measure latency (median and minimum after warm-up) of the backbone on DJL "
        + "eager and on ONNX Runtime at full, half, quarter and zero depth, plus the selector and "
        + "a linear head, and check the runtime issue's ratios.",
        "By default two random-weight backbones built in memory: \"base\" (wav2vec2-base shape) and "
            + "\"small\" (the pretraining default). DJL's thread count is fixed when its engine "
            + "starts: run with ICLD_JAVA_OPTS=-Dai.djl.pytorch.num_threads=N to set it "
            + "explicitly; otherwise this command sets it to --threads before the engine starts."})
final class BenchCommand implements Callable<Integer> {
  static final String DJL_THREADS = "ai.djl.pytorch.num_threads";

  @Option(names = "--model", paramLabel = "DIR",
      description = "benchmark this backbone or task model directory instead of the two random ones")
  Path modelDir;

  @Option(names = "--seconds", split = ",", defaultValue = "1,10", paramLabel = "S",
      description = "input lengths in seconds, batch 1 (default: ${DEFAULT-VALUE})")
  List<Double> seconds;

  @Option(names = "--repeats", defaultValue = "10",
      description = "timed runs per input (default: ${DEFAULT-VALUE})")
  int repeats;

  @Option(names = "--warmups", defaultValue = "2",
      description = "untimed runs per input first (default: ${DEFAULT-VALUE})")
  int warmups;

  @Option(names = "--threads", defaultValue = "2",
      description = "compute threads for both engines (default: ${DEFAULT-VALUE})")
  int threads;

  @Option(names = "--seed", defaultValue = "1",
      description = "random weights and audio (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--json", paramLabel = "FILE", description = "write every number as JSON")
  Path jsonFile;

  @Option(names = "--markdown", paramLabel = "FILE",
      description = "write the results as a BENCHMARKS.md section")
  Path markdownFile;

  @Spec CommandSpec spec;

  /** wav2vec 2.0 Base: 12 layers of width 768, 12 heads, the 512-channel conv stack. */
  static ModelConfig baseShape() {
    return new ModelConfig(ModelType.WAV2VEC2, 768, 12, 12, 3072, "gelu", "gelu",
        Collections.nCopies(7, 512), List.of(10, 3, 3, 3, 3, 2, 2), List.of(5, 2, 2, 2, 2, 2, 2),
        false, "group", 128, 16, false, 1e-5, true, 320, 800);
  }

  /** The embedded default that {@code icld pretrain} builds. */
  static ModelConfig smallShape() {
    return Pretraining.defaultArchitecture(192, 12, 4, 128, false);
  }

  private static String describe(ModelConfig c) {
    return c.modelType().id() + ", " + c.numHiddenLayers() + " layers, hidden " + c.hiddenSize()
        + ", " + c.numAttentionHeads() + " heads, feed-forward " + c.intermediateSize() + ", conv "
        + c.convDim().get(0) + " x" + c.convDim().size() + ", pos conv " + c.numConvPosEmbeddings()
        + "/" + c.numConvPosEmbeddingGroups();
  }

  @Override
  public Integer call() throws IOException {
    Benchmark.Settings settings = new Benchmark.Settings(seconds, warmups, repeats, threads, seed);
    if (System.getProperty(DJL_THREADS) == null) {
      // Read once by the engine when it starts; later changes have no effect.
      System.setProperty(DJL_THREADS, Integer.toString(threads));
    }
    String djlThreads = System.getProperty(DJL_THREADS);
    List<Benchmark.ModelResult> results = new ArrayList<>();
    Benchmark benchmark = new Benchmark(settings);
    PrintWriter out = spec.commandLine().getOut();
    if (modelDir != null) {
      try (FoundationModel model = Checkpoints.load(modelDir)) {
        results.add(benchmark.run(modelDir.getFileName().toString(), describe(model.config()), model));
      }
    } else {
      Torch.engine();
      for (String name : List.of("base", "small")) {
        ModelConfig config = name.equals("base") ? baseShape() : smallShape();
        try (FoundationModel model = Checkpoints.randomlyInitialised(config, seed)) {
          results.add(benchmark.run(name, describe(config) + ", random weights", model));
        }
      }
    }
    BenchmarkReport report = new BenchmarkReport(commandLine(), Machine.current(), threads,
        djlThreads, settings, results, PeakMemory.heapBytes(), PeakMemory.residentBytes());
    out.print(report.text());
    out.flush();
    if (jsonFile != null) {
      AtomicFiles.writeString(jsonFile, report.json());
    }
    if (markdownFile != null) {
      AtomicFiles.writeString(markdownFile, report.markdown());
    }
    return 0;
  }

  private String commandLine() {
    List<String> words = new ArrayList<>();
    String javaOptions = System.getenv("ICLD_JAVA_OPTS");
    if (javaOptions != null && !javaOptions.isBlank()) {
      words.add("ICLD_JAVA_OPTS='" + javaOptions + "'");
    }
    words.add("./icld");
    words.addAll(spec.commandLine().getParseResult().originalArgs());
    return String.join(" ", words);
  }
}
