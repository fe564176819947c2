package dev.icld.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.icld.data.ProgressBar;
import dev.icld.model.Flops;
import dev.icld.model.FoundationModel;
import dev.icld.model.FrontEndOutput;
import dev.icld.model.FrontEndStage;
import dev.icld.model.LayerMask;
import dev.icld.model.ModelOutput;
import dev.icld.model.Torch;
import dev.icld.runtime.onnx.OnnxBackbone;
import dev.icld.selection.Budget;
import dev.icld.selection.InputConditionedPolicy;
import dev.icld.selection.LayerSelector;
import dev.icld.selection.SelectionInput;
import dev.icld.selection.SelectorConfig;
import dev.icld.selection.SelectorFlops;
import dev.icld.selection.SelectorInputKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * Measures one backbone's latency on DJL eager and on ONNX Runtime: per input length, after
 * warm-up runs, every repeat runs each kept-layer count on both engines in turn (so that a slow
 * spell of the machine touches all of them alike), and the median and minimum are kept. DJL's
 * forward is split into the front end and the encoder so that the encoder's cost is measured, not
 * inferred, and the front end step by step. A random-weight layer selector (as the
 * input-conditioned policy runs it) and a linear head are timed on the same input. Last,
 * where python3-torch is installed, {@link PyTorchEager} times the same weights on the same inputs
 * in PyTorch eager (after DJL's runs, in its own process).
 */
public final class Benchmark {
  /** Output classes of the timed linear head: a character CTC vocabulary's size. */
  static final int HEAD_CLASSES = 29;
  /** Selector calls before the timed runs of each input ({@link #warmUpSelector}). */
  static final int SELECTOR_WARM_UP_CALLS = 300;

  /**
   * @param secondsOfAudio the input lengths, batch 1
   * @param warmups untimed runs before the repeats
   * @param repeats timed runs per input
   * @param threads ONNX Runtime's intra-op threads (DJL's are fixed when its engine starts)
   * @param seed the random audio and the random selector and head weights
   */
  public record Settings(List<Double> secondsOfAudio, int warmups, int repeats, int threads, long seed) {
    public Settings {
      secondsOfAudio = List.copyOf(secondsOfAudio);
      if (secondsOfAudio.isEmpty() || secondsOfAudio.stream().anyMatch(s -> !(s > 0))) {
        throw new IllegalArgumentException("input lengths must be positive seconds, got " + secondsOfAudio);
      }
      if (warmups < 0 || repeats < 1 || threads < 1) {
        throw new IllegalArgumentException("need warm-ups >= 0, repeats >= 1 and threads >= 1, got "
            + warmups + ", " + repeats + ", " + threads);
      }
    }
  }

  /** Median and minimum of repeated wall times, in milliseconds. */
  public record Timing(double medianMs, double minMs) {
    static Timing of(double[] millis) {
      double[] sorted = millis.clone();
      Arrays.sort(sorted);
      int n = sorted.length;
      double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
      return new Timing(median, sorted[0]);
    }
  }

  /**
   * One kept-layer count on one input.
   *
   * @param djlFrontEnd DJL's conv feature encoder and projection
   * @param djlEncoder DJL's transformer encoder (positional conv, kept layers, final norm)
   * @param djlTotal front end plus encoder, per repeat
   * @param ortTotal ONNX Runtime's whole forward
   */
  public record DepthResult(int keptLayers, Timing djlFrontEnd, Timing djlEncoder, Timing djlTotal,
      Timing ortTotal) {}

  /** One named step of the front end ({@link FoundationModel#frontEndStages}), timed alone. */
  public record StageTiming(String name, Timing timing) {}

  /**
   * All measurements on one input length.
   *
   * @param frontEndStages the fixed front end and positional conv, step by step
   * @param selector the input-conditioned policy's choice of layers at half the layers
   * @param selectorFlopsFraction the selector's FLOPs over the full model's
   * @param pytorch PyTorch eager's full-depth forward of the same input, or null when not measured
   */
  public record InputResult(double seconds, List<DepthResult> depths,
      List<StageTiming> frontEndStages, Timing selector, double selectorFlopsFraction, Timing head,
      PyTorchEager.InputTiming pytorch) {
    public DepthResult depth(int keptLayers) {
      return depths.stream().filter(d -> d.keptLayers() == keptLayers).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no measurement at " + keptLayers + " layers"));
    }
  }

  /**
   * One model's results.
   *
   * @param pytorch what PyTorch eager ran (versions, threads) or why it was not measured
   */
  public record ModelResult(String name, String shape, int layers, List<InputResult> inputs,
      String pytorch) {}

  private final Settings settings;
  private final PyTorchEager pytorch;

  public Benchmark(Settings settings, PyTorchEager pytorch) {
    this.settings = settings;
    this.pytorch = pytorch;
  }

  /** Full depth, half, a quarter and none (front end only), without duplicates. */
  public static List<Integer> keptLayerCounts(int layers) {
    return List.copyOf(new TreeSet<>(List.of(layers, layers / 2, layers / 4, 0)).descendingSet());
  }

  /** The first {@code kept} layers: the static first-layers policy, the cheapest prefix. */
  static LayerMask firstLayers(int layers, int kept) {
    boolean[] keep = new boolean[layers];
    Arrays.fill(keep, 0, kept, true);
    return LayerMask.keep(keep);
  }

  public ModelResult run(String name, String shape, FoundationModel model) {
    int layers = model.layerCount();
    List<InputResult> inputs = new ArrayList<>();
    try (OnnxBackbone onnx = OnnxBackbone.export(model,
            new OnnxBackbone.Options(settings.threads(), false));
        NDManager manager = Torch.newManager();
        LayerSelector selector = LayerSelector.initialise(SelectorConfig.of(SelectorInputKind.FEATURES,
            model.config().convDim().get(model.config().convDim().size() - 1), Math.max(1, layers)),
            settings.seed())) {
      NDArray head = randomArray(manager, new Random(settings.seed()),
          model.config().hiddenSize(), HEAD_CLASSES);
      for (double seconds : settings.secondsOfAudio()) {
        inputs.add(measure(name, model, onnx, selector, head, seconds));
      }
    }
    List<float[]> audio = settings.secondsOfAudio().stream().map(this::audio).toList();
    PyTorchEager.Result eager = pytorch.compare(model, audio, settings);
    if (eager.measured()) {
      for (int i = 0; i < inputs.size(); i++) {
        InputResult in = inputs.get(i);
        inputs.set(i, new InputResult(in.seconds(), in.depths(), in.frontEndStages(), in.selector(),
            in.selectorFlopsFraction(), in.head(), eager.inputs().get(i)));
      }
    }
    return new ModelResult(name, shape, layers, inputs, eager.note());
  }

  /** The random input of {@code seconds}: the same for DJL, ONNX Runtime and PyTorch. */
  private float[] audio(double seconds) {
    return randomAudio(new Random(settings.seed()), (int) Math.round(seconds * FoundationModel.SAMPLE_RATE));
  }

  private InputResult measure(String name, FoundationModel model, OnnxBackbone onnx,
      LayerSelector selector, NDArray head, double seconds) {
    int layers = model.layerCount();
    float[] audio = audio(seconds);
    int[] lengths = {audio.length};
    List<Integer> kept = keptLayerCounts(layers);
    int repeats = settings.repeats();
    Map<Integer, double[][]> samples = new LinkedHashMap<>();
    for (int k : kept) {
      samples.put(k, new double[4][repeats]);
    }
    List<FrontEndStage> stages = model.frontEndStages();
    double[][] stageMs = new double[stages.size()][repeats];
    double[] selectorMs = new double[repeats];
    double[] headMs = new double[repeats];
    // As a server runs it: the policy (and its copy of the weights) made once, not per call.
    InputConditionedPolicy policy = new InputConditionedPolicy(selector);
    warmUpSelector(model, policy, audio, lengths);
    int runs = settings.warmups() + repeats;
    try (ProgressBar progress = new ProgressBar(
        String.format("bench %s %.0f s", name, seconds), runs)) {
      for (int run = 0; run < runs; run++) {
        int r = run - settings.warmups();
        for (int k : kept) {
          LayerMask mask = firstLayers(layers, k);
          double[] djl = timeDjl(model, audio, lengths, mask);
          double ort = timeOnnx(onnx, audio, lengths, mask);
          if (r >= 0) {
            double[][] s = samples.get(k);
            s[0][r] = djl[0];
            s[1][r] = djl[1];
            s[2][r] = djl[0] + djl[1];
            s[3][r] = ort;
          }
        }
        double[] extras = timeSelectorAndHead(model, policy, head, audio, lengths);
        double[] stageTimes = timeStages(stages, audio);
        if (r >= 0) {
          selectorMs[r] = extras[0];
          headMs[r] = extras[1];
          for (int i = 0; i < stages.size(); i++) {
            stageMs[i][r] = stageTimes[i];
          }
        }
        progress.step();
      }
    }
    List<DepthResult> depths = new ArrayList<>();
    for (int k : kept) {
      double[][] s = samples.get(k);
      depths.add(new DepthResult(k, Timing.of(s[0]), Timing.of(s[1]), Timing.of(s[2]), Timing.of(s[3])));
    }
    List<StageTiming> stageTimings = new ArrayList<>();
    for (int i = 0; i < stages.size(); i++) {
      stageTimings.add(new StageTiming(stages.get(i).name(), Timing.of(stageMs[i])));
    }
    double selectorFraction = SelectorFlops.of(selector.config(), model.config(), seconds)
        .fractionOfFullModel(Flops.of(model.config(), seconds));
    return new InputResult(seconds, depths, stageTimings, Timing.of(selectorMs), selectorFraction,
        Timing.of(headMs), null);
  }

  /** {front end, encoder} milliseconds; reading the result back makes the timing include all work. */
  private static double[] timeDjl(FoundationModel model, float[] audio, int[] lengths, LayerMask mask) {
    try (NDManager run = Torch.newManager()) {
      NDArray waveform = run.create(audio, new Shape(1, audio.length));
      long start = System.nanoTime();
      FrontEndOutput frontEnd = model.frontEnd(waveform, lengths);
      long split = System.nanoTime();
      ModelOutput output = model.encode(frontEnd, mask);
      output.lastHiddenState().toFloatArray();
      long end = System.nanoTime();
      return new double[] {(split - start) / 1e6, (end - split) / 1e6};
    }
  }

  private static double timeOnnx(OnnxBackbone onnx, float[] audio, int[] lengths, LayerMask mask) {
    long start = System.nanoTime();
    onnx.forward(audio, lengths, mask, false);
    return (System.nanoTime() - start) / 1e6;
  }

  /**
   * The selector's Java part runs as compiled code only after the JIT has seen a few hundred calls,
   * as any server's first seconds give it; the bench's few warm-up runs alone would time the
   * interpreter.
   */
  private static void warmUpSelector(FoundationModel model, InputConditionedPolicy policy,
      float[] audio, int[] lengths) {
    try (NDManager run = Torch.newManager()) {
      FrontEndOutput frontEnd = model.frontEnd(run.create(audio, new Shape(1, audio.length)), lengths);
      for (int call = 0; call < SELECTOR_WARM_UP_CALLS; call++) {
        selectHalf(policy, frontEnd);
      }
    }
  }

  /**
   * Milliseconds of each stage on one utterance, the stages run in order; DJL's PyTorch engine
   * computes on the CPU before an op returns, so each stage's time is its own.
   */
  private static double[] timeStages(List<FrontEndStage> stages, float[] audio) {
    double[] millis = new double[stages.size()];
    try (NDManager run = Torch.newManager()) {
      NDArray x = run.create(audio, new Shape(1, audio.length));
      for (int i = 0; i < stages.size(); i++) {
        long start = System.nanoTime();
        x = stages.get(i).forward().apply(x);
        millis[i] = (System.nanoTime() - start) / 1e6;
      }
      x.toFloatArray();
    }
    return millis;
  }

  /**
   * {selector, head} milliseconds on the full model's front end and output (not timed): the
   * selector as inference runs it, the input-conditioned policy choosing half the layers.
   */
  private static double[] timeSelectorAndHead(FoundationModel model,
      InputConditionedPolicy policy, NDArray head, float[] audio, int[] lengths) {
    try (NDManager run = Torch.newManager()) {
      FrontEndOutput frontEnd = model.frontEnd(run.create(audio, new Shape(1, audio.length)), lengths);
      NDArray last = model.encode(frontEnd, LayerMask.all(model.layerCount())).lastHiddenState();
      last.toFloatArray();
      long start = System.nanoTime();
      selectHalf(policy, frontEnd);
      long split = System.nanoTime();
      last.matMul(head).toFloatArray();
      long end = System.nanoTime();
      return new double[] {(split - start) / 1e6, (end - split) / 1e6};
    }
  }

  private static void selectHalf(InputConditionedPolicy policy, FrontEndOutput frontEnd) {
    int layers = policy.layers();
    policy.select(SelectionInput.ofFeatures(frontEnd.features(), frontEnd.frameLengths()),
        Budget.of(Math.max(1, layers / 2), layers));
  }

  static float[] randomAudio(Random random, int samples) {
    float[] audio = new float[samples];
    for (int i = 0; i < samples; i++) {
      audio[i] = (float) (0.1 * random.nextGaussian());
    }
    return audio;
  }

  private static NDArray randomArray(NDManager manager, Random random, int rows, int columns) {
    float[] values = new float[rows * columns];
    double scale = 1 / Math.sqrt(rows);
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (scale * random.nextGaussian());
    }
    return manager.create(values, new Shape(rows, columns));
  }
}
