package dev.icld.runtime;

import ai.djl.ndarray.NDManager;
import dev.icld.audio.Audio;
import dev.icld.audio.Resampler;
import dev.icld.data.LabelVocabulary;
import dev.icld.inference.InferenceCore;
import dev.icld.methods.Method;
import dev.icld.methods.MethodResources;
import dev.icld.methods.Methods;
import dev.icld.methods.Need;
import dev.icld.model.BackboneEngine;
import dev.icld.model.Flops;
import dev.icld.model.FoundationModel;
import dev.icld.model.LayerDrop;
import dev.icld.model.ModelConfig;
import dev.icld.model.Task;
import dev.icld.model.TaskModel;
import dev.icld.model.Torch;
import dev.icld.selection.Budget;
import dev.icld.selection.LayerSelector;
import dev.icld.selection.SelectorInputKind;
import dev.icld.selection.StaticSubsets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A fine-tuned model that runs as many of its transformer layers as each call's budget allows:
 * the task model (backbone and heads), and when its directory holds them a layer selector
 * ({@link LayerSelector#WEIGHTS}) and static layer subsets ({@link StaticSubsets#FILE}).
 *
 * <p>Layer-selection policies, by name: the {@link Methods} that are {@link Method#served()} and
 * whose {@link Method#needs()} the model meets (selector, early-exit, static, first-k and full
 * among the built-in ones). A call that names none uses the first the model has of selector,
 * early-exit, static and first-k. Every call runs the {@link InferenceCore}: skipped layers are
 * never computed.
 *
 * <p>The backbone and the heads run on the {@link InferenceEngine} chosen at load: DJL (PyTorch
 * eager) or ONNX Runtime (the model exported component by component). The layer selector runs on
 * DJL with either, on the engine's front-end features.
 *
 * <p>Thread-safe: the model's arrays are only read, and every call creates its arrays in its own
 * sub-manager, closed when the call returns, so many threads may call at once and no call's arrays
 * outlive it. A bad call throws an {@link IllegalArgumentException} naming the problem and leaves
 * the model intact for other callers.
 */
public final class DynamicSpeechModel implements AutoCloseable {
  /** The default policy is the first of these the model has: the best informed first. */
  private static final List<Method> DEFAULT_ORDER =
      List.of(Methods.SELECTOR, Methods.EARLY_EXIT, Methods.STATIC, Methods.FIRST_K);

  /** Lengths of the synthetic calibration inputs: two, to separate the per-second and per-FLOP
   * costs. */
  private static final double[] CALIBRATION_SECONDS = {1, 3};
  private static final int CALIBRATION_REPEATS = 3;

  private final TaskModel model;
  private final InferenceEngine.Session engine;
  private final BackboneEngine backbone;
  private final InferenceCore core;
  private final LayerSelector selector;
  private final MethodResources resources;
  private final Set<Need> has;
  private final Map<String, Method> served;
  private final NDManager calls;
  private final Object calibrationLock = new Object();
  private volatile DeadlineController deadlineController;
  /** Calls hold the read side; {@link #close} takes the write side, so it waits for calls in flight. */
  private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;

  private DynamicSpeechModel(TaskModel model, InferenceEngine.Session engine,
      LayerSelector selector, StaticSubsets staticSubsets) {
    this.model = model;
    this.engine = engine;
    this.backbone = engine.backbone();
    this.core = new InferenceCore(model, engine.backbone(), engine.heads());
    this.selector = selector;
    this.resources = new MethodResources(selector, staticSubsets, Map.of());
    this.has = EnumSet.noneOf(Need.class);
    if (selector != null) {
      has.add(Need.SELECTOR);
    }
    if (model.layerDrop().mode() == LayerDrop.Mode.EARLY_EXIT) {
      has.add(Need.EXIT_HEADS);
    }
    if (staticSubsets != null) {
      has.add(Need.STATIC_SUBSETS);
    }
    List<Method> order = new ArrayList<>(DEFAULT_ORDER);
    Methods.ALL.stream().filter(m -> !order.contains(m)).forEach(order::add);
    Map<String, Method> byName = new LinkedHashMap<>();
    for (Method method : order) {
      if (method.served() && has.containsAll(method.needs())) {
        byName.put(method.name(), method);
      }
    }
    this.served = Collections.unmodifiableMap(byName);
    this.calls = Torch.newManager();
  }

  /** {@link #load(Path, InferenceEngine)} on DJL. */
  public static DynamicSpeechModel load(Path dir) throws IOException {
    return load(dir, InferenceEngine.DJL);
  }

  /**
   * Loads a model directory written by {@code icld finetune} (and, optionally, the selector and
   * static subsets trained for it) to run on {@code engine}.
   *
   * @throws IOException naming the directory or file and the problem, or why the backbone cannot
   *     run on the engine
   */
  public static DynamicSpeechModel load(Path dir, InferenceEngine engine) throws IOException {
    TaskModel model = TaskModel.load(dir);
    LayerSelector selector = null;
    try {
      selector = LayerSelector.existsIn(dir) ? LayerSelector.load(dir) : null;
      StaticSubsets subsets = Files.isRegularFile(dir.resolve(StaticSubsets.FILE))
          ? StaticSubsets.load(dir)
          : null;
      return of(model, selector, subsets, engine);
    } catch (IllegalArgumentException e) {
      close(selector, model);
      throw new IOException(dir + ": " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      close(selector, model);
      throw e;
    }
  }

  private static void close(LayerSelector selector, TaskModel model) {
    if (selector != null) {
      selector.close();
    }
    model.close();
  }

  /** {@link #of(TaskModel, LayerSelector, StaticSubsets, InferenceEngine)} on DJL. */
  public static DynamicSpeechModel of(TaskModel model, LayerSelector selector,
      StaticSubsets staticSubsets) {
    return of(model, selector, staticSubsets, InferenceEngine.DJL);
  }

  /**
   * A runtime model over parts already in memory, which it then owns (closes) once built.
   *
   * @param selector the layer selector, or null
   * @param staticSubsets the static subsets, or null
   * @throws IllegalArgumentException when the selector or the subsets do not fit the backbone, or
   *     the backbone cannot run on {@code engine}
   */
  public static DynamicSpeechModel of(TaskModel model, LayerSelector selector,
      StaticSubsets staticSubsets, InferenceEngine engine) {
    int layers = model.backbone().layerCount();
    if (layers < 1) {
      throw new IllegalArgumentException("a dynamic-depth model needs transformer layers");
    }
    if (selector != null) {
      if (selector.layers() != layers) {
        throw new IllegalArgumentException("the layer selector is for " + selector.layers()
            + " layers, the backbone has " + layers);
      }
      List<Integer> convDim = model.backbone().config().convDim();
      if (selector.config().input() == SelectorInputKind.FEATURES
          && selector.config().inputChannels() != convDim.get(convDim.size() - 1)) {
        throw new IllegalArgumentException("the layer selector reads " + selector.config().inputChannels()
            + " feature channels, the backbone's feature encoder gives " + convDim.get(convDim.size() - 1));
      }
    }
    if (staticSubsets != null && staticSubsets.layers() != layers) {
      throw new IllegalArgumentException("the static subsets are for " + staticSubsets.layers()
          + " layers, the backbone has " + layers);
    }
    return new DynamicSpeechModel(model, engine.open(model), selector, staticSubsets);
  }

  public int layers() {
    return backbone.layerCount();
  }

  public Task task() {
    return model.task();
  }

  public ModelConfig config() {
    return backbone.config();
  }

  /** The backbone's engine: {@link InferenceEngine#id()}. */
  public String engine() {
    return backbone.engineName();
  }

  /** The class labels of a classification model, null for a transcription model. */
  public LabelVocabulary labels() {
    return model.labels();
  }

  public boolean hasSelector() {
    return selector != null;
  }

  /** The policies this model can run, the default first. */
  public Set<String> policies() {
    return served.keySet();
  }

  public String defaultPolicy() {
    return served.keySet().iterator().next();
  }

  /** {@link #infer(Audio, InferenceBudget, String)} with the default policy. */
  public InferenceResult infer(Audio audio, InferenceBudget budget) {
    return infer(audio, budget, null);
  }

  /** Samples at any rate; see {@link #infer(Audio, InferenceBudget, String)}. */
  public InferenceResult infer(float[] samples, int sampleRate, InferenceBudget budget) {
    return infer(new Audio(samples, sampleRate), budget, null);
  }

  /**
   * Runs one input under {@code budget}.
   *
   * @param audio mono audio at any sample rate (resampled to 16 kHz)
   * @param policy a name from {@link #policies()}, or null for the default
   * @throws IllegalArgumentException for empty or too short audio, non-finite samples, a budget
   *     beyond the model's depth, an unknown policy, or an adaptive budget without the selector
   */
  public InferenceResult infer(Audio audio, InferenceBudget budget, String policy) {
    return run(List.of(audio), budget, policy).get(0);
  }

  /** {@link #inferBatch(List, InferenceBudget, String)} with the default policy. */
  public List<InferenceResult> inferBatch(List<Audio> inputs, InferenceBudget budget) {
    return inferBatch(inputs, budget, null);
  }

  /**
   * Runs several inputs as one zero-padded batch; utterances for which the policy chose the same
   * layers run their layers together. One result per input, in order, each carrying the latency of
   * the whole batch (and, for a deadline, the plan for the batch). As in Hugging Face, a backbone
   * whose feature encoder normalises over time (wav2vec 2.0 Base's group norm) sees the padding, so
   * an input padded in a batch may score slightly differently than alone.
   */
  public List<InferenceResult> inferBatch(List<Audio> inputs, InferenceBudget budget, String policy) {
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("a batch needs at least one input");
    }
    return run(inputs, budget, policy);
  }

  private Method method(String name) {
    if (name == null) {
      return served.get(defaultPolicy());
    }
    Method method = served.get(name);
    if (method == null) {
      Method known = Methods.find(name);
      String why = known == null ? "unknown policy; "
          : !known.served() ? "icld eval runs it, the runtime does not; "
          : "this model has no " + known.needs().stream().filter(need -> !has.contains(need))
              .findFirst().orElseThrow().what() + "; ";
      throw new IllegalArgumentException("policy \"" + name + "\": " + why + "available: "
          + String.join(", ", served.keySet()));
    }
    return method;
  }

  /** The 16 kHz samples of each input, checked. */
  private List<float[]> prepared(List<Audio> inputs) {
    List<float[]> waveforms = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      String where = inputs.size() == 1 ? "" : "input " + i + ": ";
      Audio audio = inputs.get(i);
      if (audio == null || audio.samples() == null || audio.samples().length == 0) {
        throw new IllegalArgumentException(where + "the audio is empty (0 samples)");
      }
      for (float x : audio.samples()) {
        if (!Float.isFinite(x)) {
          throw new IllegalArgumentException(where + "the audio holds NaN or infinite samples");
        }
      }
      float[] samples = Resampler.resample(audio, FoundationModel.SAMPLE_RATE).samples();
      if (backbone.frames(samples.length) < 1) {
        throw new IllegalArgumentException(String.format(
            "%sthe audio (%.1f ms) is shorter than the model's first frame", where,
            1000.0 * samples.length / FoundationModel.SAMPLE_RATE));
      }
      waveforms.add(samples);
    }
    return waveforms;
  }

  /**
   * Checks that this model can run {@code budget} with {@code policy} (null for the default), before
   * any input: the policy exists, the budget fits the model's depth, an adaptive budget has the
   * selector and a calibrated threshold.
   *
   * @return the policy
   * @throws IllegalArgumentException naming the problem
   */
  public String check(InferenceBudget budget, String policy) {
    Method chosen = method(policy);
    checkBudget(chosen, budget);
    if (budget.kind() == InferenceBudget.Kind.ADAPTIVE) {
      Budget resolved = budget.resolve(layers());
      if (!selector.config().adaptiveThresholds().containsKey(resolved.keep())) {
        throw new IllegalArgumentException("the selector has no adaptive threshold for budget "
            + resolved.keep() + " (calibrated: " + selector.config().adaptiveThresholds().keySet() + ")");
      }
    }
    return chosen.name();
  }

  private void checkBudget(Method method, InferenceBudget budget) {
    if (budget.kind() == InferenceBudget.Kind.ADAPTIVE && method != Methods.SELECTOR) {
      throw new IllegalArgumentException("an adaptive budget needs the input-conditioned selector"
          + (selector == null ? ", and this model has none"
              : " (policy " + Methods.SELECTOR.name() + ")"));
    }
    if (!budget.isDeadline()) {
      budget.resolve(layers());
    }
  }

  private List<InferenceResult> run(List<Audio> inputs, InferenceBudget budget, String policyName) {
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("the model is closed");
      }
      return runOpen(inputs, budget, policyName);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  private List<InferenceResult> runOpen(List<Audio> inputs, InferenceBudget budget,
      String policyName) {
    // Calibrating (once) is not part of a call's latency.
    DeadlineController deadlines = budget.isDeadline() ? deadlineController() : null;
    long start = System.nanoTime();
    Method method = method(policyName);
    checkBudget(method, budget);
    List<float[]> waveforms = prepared(inputs);
    int batch = waveforms.size();
    List<Double> seconds = new ArrayList<>(batch);
    for (float[] waveform : waveforms) {
      seconds.add(waveform.length / (double) FoundationModel.SAMPLE_RATE);
    }
    CallShape shape = CallShape.of(backbone.config(), seconds);
    DeadlinePlan plan = null;
    Budget layerBudget;
    if (budget.isDeadline()) {
      plan = deadlines.plan(budget.deadlineMillis(), shape);
      layerBudget = Budget.of(plan.layers(), layers());
    } else {
      layerBudget = budget.resolve(layers());
    }

    InferenceCore.Pass pass;
    long prepared = System.nanoTime();
    try (NDManager call = calls.newSubManager()) {
      pass = core.run(waveforms, method.policy(resources, 0), layerBudget, call);
    }
    long end = System.nanoTime();
    InferenceCore.Timings t = pass.timings();
    // Checking and resampling the inputs count as front end.
    Latency latency = new Latency((prepared - start + t.frontEndNanos()) / 1e6,
        t.selectionNanos() / 1e6, t.layersNanos() / 1e6, t.headsNanos() / 1e6,
        (end - start) / 1e6);

    DeadlineController controller = deadlineController;
    if (controller != null) {
      controller.observe(shape, (int) Math.round(pass.selection().meanKeptLayers()),
          latency.totalMs());
    }
    List<InferenceResult> results = new ArrayList<>(batch);
    for (int b = 0; b < batch; b++) {
      int[] executed = executedLayers(pass.selection().mask(b));
      long flops = Flops.of(backbone.config(), seconds.get(b)).total(executed.length)
          + headFlops(backbone.frames(waveforms.get(b).length))
          + method.extraFlops(resources, backbone.config(), seconds.get(b));
      results.add(new InferenceResult(pass.outputs().get(b), executed, layers(), method.name(),
          flops, latency, plan));
    }
    return results;
  }

  /** The head's multiply-accumulates, as {@link Flops} counts: mean-pool and linear, or a linear
   * map on every frame for CTC. */
  private long headFlops(int frames) {
    long hidden = backbone.config().hiddenSize();
    long classes = model.heads().get(0).classes();
    return model.task().classification()
        ? frames * hidden + 2 * hidden * classes
        : 2L * frames * hidden * classes;
  }

  private static int[] executedLayers(boolean[] mask) {
    int[] executed = new int[mask.length];
    int n = 0;
    for (int i = 0; i < mask.length; i++) {
      if (mask[i]) {
        executed[n++] = i;
      }
    }
    return Arrays.copyOf(executed, n);
  }

  /**
   * The deadline controller, calibrated on first use: a warm-up call, then calls on synthetic
   * audio of {@code CALIBRATION_SECONDS} at 1, L/2 and L layers with the default policy, whose
   * median latencies fit the {@link LatencyModel}. Every later call updates its load factor.
   */
  public DeadlineController deadlineController() {
    DeadlineController controller = deadlineController;
    if (controller == null) {
      synchronized (calibrationLock) {
        if (deadlineController == null) {
          deadlineController = new DeadlineController(LatencyModel.fit(calibrationMeasurements()),
              layers(), DeadlineController.DEFAULT_SMOOTHING);
        }
        controller = deadlineController;
      }
    }
    return controller;
  }

  /** Replaces the deadline controller's latency model (one measured before, or a test's). */
  public DeadlineController useLatencyModel(LatencyModel latencyModel) {
    synchronized (calibrationLock) {
      deadlineController =
          new DeadlineController(latencyModel, layers(), DeadlineController.DEFAULT_SMOOTHING);
      return deadlineController;
    }
  }

  private List<LatencyModel.Measurement> calibrationMeasurements() {
    int[] layerCounts = Arrays.stream(new int[] {1, (layers() + 1) / 2, layers()}).distinct().toArray();
    Random random = new Random(0);
    List<LatencyModel.Measurement> measurements = new ArrayList<>();
    for (double seconds : CALIBRATION_SECONDS) {
      float[] noise = new float[(int) Math.round(seconds * FoundationModel.SAMPLE_RATE)];
      for (int i = 0; i < noise.length; i++) {
        noise[i] = (float) (0.1 * random.nextGaussian());
      }
      Audio audio = new Audio(noise, FoundationModel.SAMPLE_RATE);
      run(List.of(audio), InferenceBudget.layers(layers()), null);
      for (int k : layerCounts) {
        double[] totals = new double[CALIBRATION_REPEATS];
        for (int r = 0; r < totals.length; r++) {
          totals[r] = run(List.of(audio), InferenceBudget.layers(k), null).get(0).latency().totalMs();
        }
        // The median repeat: the cost under the load of the moment, robust to one stray spike. (The
        // fastest repeat would describe an idle machine that a busy host never gives, and the first
        // calls after calibration would all overrun until the load factor caught up.)
        Arrays.sort(totals);
        measurements.add(new LatencyModel.Measurement(
            CallShape.of(backbone.config(), List.of(seconds)), k, totals[totals.length / 2]));
      }
    }
    return measurements;
  }

  /**
   * The number of native arrays this model holds: its parameters, and any call's arrays still
   * alive (none once every call has returned). For leak checks.
   */
  public int liveArrayCount() {
    int n = calls.getManagedArrays().size();
    n += model.backbone().parameters().values().iterator().next().getManager()
        .getManagedArrays().size();
    n += model.heads().get(0).weight().getManager().getManagedArrays().size();
    if (selector != null) {
      n += selector.parameters().values().iterator().next().getManager().getManagedArrays().size();
    }
    return n;
  }

  /** Waits for calls in flight, then frees every native array; later calls are refused. */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      calls.close();
      engine.close();
      if (selector != null) {
        selector.close();
      }
      model.close();
    } finally {
      lifecycle.writeLock().unlock();
    }
  }
}
