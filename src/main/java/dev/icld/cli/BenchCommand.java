package dev.icld.cli;

import dev.icld.audio.Audio;
import dev.icld.bench.Benchmark;
import dev.icld.bench.BuildComparison;
import dev.icld.bench.BenchmarkReport;
import dev.icld.bench.CompetingLoad;
import dev.icld.bench.DeadlineExperiment;
import dev.icld.bench.Machine;
import dev.icld.bench.PeakMemory;
import dev.icld.bench.PyTorchEager;
import dev.icld.data.Corpus;
import dev.icld.data.LoadOptions;
import dev.icld.data.TargetKind;
import dev.icld.data.Utterance;
import dev.icld.files.AtomicFiles;
import dev.icld.model.Checkpoints;
import dev.icld.model.FoundationModel;
import dev.icld.model.ModelConfig;
import dev.icld.model.ModelType;
import dev.icld.model.Torch;
import dev.icld.recipes.CorpusSplits;
import dev.icld.runtime.DynamicSpeechModel;
import dev.icld.train.Pretraining;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
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
        + "a linear head, and check the runtime issue's ratios. Where Debian's python3-torch and "
        + "python3-torchaudio are installed, the same weights also run in PyTorch eager "
        + "(scripts/bench/torch_eager.py) for the DJL/PyTorch ratio.",
        "With --data, also the deadline controller's experiment: a fine-tuned model (--model, or "
            + "--deadline-model) answers the test split's utterances one call after another while "
            + "a competing busy thread is switched on and off, under --deadline and under fixed "
            + "budgets.",
        "By default two random-weight backbones built in memory: \"base\" (wav2vec2-base shape) and "
            + "\"small\" (models/default's shape). DJL's thread count is fixed when its engine "
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

  @Option(names = "--torch-python", paramLabel = "FILE",
      description = "the interpreter with python3-torch and python3-torchaudio for the PyTorch "
          + "eager comparison (default: ${DEFAULT-VALUE}); where it cannot import them the "
          + "comparison is reported as not measured")
  Path torchPython = PyTorchEager.DEBIAN_PYTHON;

  @Option(names = "--data", paramLabel = "DIR",
      description = "run the deadline experiment on this corpus's test.jsonl")
  Path data;

  @Option(names = "--deadline-model", paramLabel = "DIR",
      description = "the fine-tuned model (with its heads) of the deadline experiment "
          + "(default: --model)")
  Path deadlineModelDir;

  @Option(names = "--deadline", paramLabel = "MS",
      description = "the experiment's deadline in milliseconds (default: 60% of the calibrated "
          + "full-depth latency of a test utterance of mean length)")
  double deadlineMs;

  @Option(names = "--deadline-budgets", paramLabel = "LIST",
      description = "fixed budgets to compare with, e.g. 12,9,6,3 (default: L, 3L/4, L/2, L/4)")
  String deadlineBudgets;

  @Option(names = "--deadline-calls", paramLabel = "N", defaultValue = "160",
      description = "calls per budget in the deadline experiment, cycling over the test split "
          + "(default: ${DEFAULT-VALUE})")
  int deadlineCalls;

  @Option(names = "--load-phase", paramLabel = "N",
      description = "calls per load phase, off and on in turn (default: an eighth of the calls)")
  Integer loadPhase;

  @Option(names = "--load-threads", paramLabel = "N", defaultValue = "1",
      description = "busy threads of the competing load (default: ${DEFAULT-VALUE})")
  int loadThreads;

  @Option(names = "--baseline", paramLabel = "JAR",
      description = "another build's icld.jar (its lib/ beside it): bench it and this build in "
          + "turn, each as its own process on --model, and report this build's times over its")
  Path baselineJar;

  @Option(names = "--rounds", defaultValue = "3",
      description = "runs of each build with --baseline (default: ${DEFAULT-VALUE})")
  int rounds;

  @Spec CommandSpec spec;

  /** wav2vec 2.0 Base: 12 layers of width 768, 12 heads, the 512-channel conv stack. */
  static ModelConfig baseShape() {
    return new ModelConfig(ModelType.WAV2VEC2, 768, 12, 12, 3072, "gelu", "gelu",
        Collections.nCopies(7, 512), List.of(10, 3, 3, 3, 3, 2, 2), List.of(5, 2, 2, 2, 2, 2, 2),
        false, "group", 128, 16, false, 1e-5, true, 320, 800);
  }

  /** models/default's shape: the log-mel front end and 12 pre-LN layers of width 192. */
  static ModelConfig smallShape() {
    return Pretraining.logMelArchitecture(ModelType.HUBERT, 192, 12, 4, 80, true);
  }

  private static String describe(ModelConfig c) {
    return c.modelType().id() + ", " + c.numHiddenLayers() + " layers, hidden " + c.hiddenSize()
        + ", " + c.numAttentionHeads() + " heads, feed-forward " + c.intermediateSize() + ", "
        + (c.logMelFrontEnd() ? "log-mel " + c.convDim().get(0)
            : "conv " + c.convDim().get(0) + " x" + c.convDim().size()) + ", pos conv " + c.numConvPosEmbeddings()
        + "/" + c.numConvPosEmbeddingGroups();
  }

  @Override
  public Integer call() throws IOException {
    Benchmark.Settings settings = new Benchmark.Settings(seconds, warmups, repeats, threads, seed);
    Path deadlineModel = deadlineModelDir != null ? deadlineModelDir : modelDir;
    if (data != null && deadlineModel == null) {
      throw new IllegalArgumentException("the deadline experiment (--data) needs a fine-tuned model: "
          + "--model DIR or --deadline-model DIR");
    }
    if (data == null && (deadlineModelDir != null || deadlineMs != 0 || deadlineBudgets != null)) {
      throw new IllegalArgumentException("--deadline-model, --deadline and --deadline-budgets need "
          + "--data DIR (the corpus whose test split the deadline experiment runs)");
    }
    if (deadlineMs < 0 || deadlineCalls < 1 || loadThreads < 1 || (loadPhase != null && loadPhase < 1)) {
      throw new IllegalArgumentException("--deadline must be positive and --deadline-calls, "
          + "--load-phase and --load-threads at least 1");
    }
    if (baselineJar != null && (modelDir == null || rounds < 1)) {
      throw new IllegalArgumentException("--baseline needs --model DIR (two builds may build "
          + "different random backbones) and --rounds of at least 1");
    }
    if (System.getProperty(DJL_THREADS) == null) {
      // Read once by the engine when it starts; later changes have no effect.
      System.setProperty(DJL_THREADS, Integer.toString(threads));
    }
    String djlThreads = System.getProperty(DJL_THREADS);
    List<Benchmark.ModelResult> results = new ArrayList<>();
    Benchmark benchmark = new Benchmark(settings,
        new PyTorchEager(torchPython, torchScript(), threadCount(djlThreads, threads)));
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
    DeadlineExperiment.Report deadline = data == null ? null : deadlineExperiment(deadlineModel, out);
    BuildComparison.Result comparison =
        baselineJar == null ? null : compareWithBaseline(djlThreads);
    BenchmarkReport report = new BenchmarkReport(commandLine(), Machine.current(), threads,
        djlThreads, settings, results, PeakMemory.heapBytes(), PeakMemory.residentBytes(), deadline,
        comparison);
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

  /**
   * The deadline experiment on the test split of {@link #data}; prints the deadline when it is the
   * default, before the run, so that a long run shows it early.
   */
  private DeadlineExperiment.Report deadlineExperiment(Path dir, PrintWriter out) throws IOException {
    try (DynamicSpeechModel model = DynamicSpeechModel.load(dir)) {
      LoadOptions loading = model.labels() == null
          ? LoadOptions.of(TargetKind.TRANSCRIPT)
          : LoadOptions.of(TargetKind.LABEL).withVocabulary(model.labels());
      Corpus test = CorpusSplits.load(data, "test", loading);
      List<DeadlineExperiment.TestUtterance> utterances = new ArrayList<>();
      for (int i = 0; i < test.size(); i++) {
        Utterance u = test.get(i);
        utterances.add(new DeadlineExperiment.TestUtterance(new Audio(test.samples(i),
            Corpus.SAMPLE_RATE), model.labels() == null ? u.entry().transcript() : u.entry().label()));
      }
      if (utterances.isEmpty()) {
        throw new IOException(test.manifest() + ": the test split is empty");
      }
      List<Integer> fixed = deadlineBudgets == null
          ? List.of()
          : BudgetList.parse(deadlineBudgets, model.layers());
      DeadlineExperiment.Options options = new DeadlineExperiment.Options(deadlineMs, fixed,
          deadlineCalls, loadPhase != null ? loadPhase : Math.max(1, deadlineCalls / 8));
      DeadlineExperiment.Server server = DeadlineExperiment.Server.of(model);
      double deadline = DeadlineExperiment.deadline(server, utterances, options);
      if (deadlineMs == 0) {
        out.printf(Locale.ROOT, "deadline experiment: deadline %.1f ms (%.0f%% of the "
            + "calibrated full-depth latency of a test utterance of mean length)%n", deadline,
            100 * DeadlineExperiment.DEFAULT_DEADLINE_FRACTION);
        out.flush();
      }
      try (CompetingLoad load = new CompetingLoad(loadThreads)) {
        return DeadlineExperiment.run(server, utterances, options, load::set);
      }
    }
  }

  /** The baseline build and this one, benched in turn on the same model and settings. */
  private BuildComparison.Result compareWithBaseline(String djlThreads) throws IOException {
    List<String> arguments = new ArrayList<>(List.of("bench", "--model", modelDir.toString(),
        "--seconds", seconds.stream().map(String::valueOf).collect(Collectors.joining(",")),
        "--repeats", Integer.toString(repeats), "--warmups", Integer.toString(warmups),
        "--threads", Integer.toString(threads), "--seed", Long.toString(seed),
        // Each build's own engines are compared; PyTorch eager is the main run's business.
        "--torch-python", "/nonexistent"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> jvm = List.of(java, "-Dai.djl.offline=true", "-D" + DJL_THREADS + "=" + djlThreads);
    Path jar = baselineJar.toAbsolutePath();
    List<String> baseline = new ArrayList<>(jvm);
    baseline.addAll(List.of("-cp", jar + File.pathSeparator + jar.getParent().resolve("lib") + "/*",
        Main.class.getName()));
    baseline.addAll(arguments);
    List<String> current = new ArrayList<>(jvm);
    current.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    current.addAll(arguments);
    Path work = Files.createTempDirectory("icld-before-after-");
    return BuildComparison.run(baselineJar.toString(), baseline, current,
        rounds, work);
  }

  /** DJL's thread setting as a number, or {@code fallback} where it is not one. */
  private static int threadCount(String setting, int fallback) {
    try {
      int n = Integer.parseInt(setting.trim());
      return n >= 1 ? n : fallback;
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  /** scripts/bench/torch_eager.py of the checkout this jar (or classes directory) was built in. */
  private static Path torchScript() {
    try {
      Path built = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      // target/icld.jar or target/classes: the checkout is two levels up.
      Path root = built.toAbsolutePath().getParent().getParent();
      return root.resolve(PyTorchEager.SCRIPT);
    } catch (URISyntaxException | RuntimeException e) {
      return PyTorchEager.SCRIPT.toAbsolutePath();
    }
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
