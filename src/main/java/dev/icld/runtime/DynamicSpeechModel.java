package dev.icld.runtime;

import dev.icld.audio.Audio;
import dev.icld.data.LabelVocabulary;
import dev.icld.inference.InferenceCore;
import dev.icld.methods.Method;
import dev.icld.methods.Methods;
import dev.icld.model.ModelConfig;
import dev.icld.model.Task;
import dev.icld.model.TaskModel;
import dev.icld.selection.LayerSelector;
import dev.icld.selection.StaticSubsets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
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
 *
 * <p>A facade over its parts: {@link ModelParts} loads and checks what the directory holds,
 * {@link CallRunner} runs and decodes calls under the {@link ServedPolicies}, and
 * {@link DeadlineCalibration} keeps the deadline controller. This class adds the lifecycle.
 */
public final class DynamicSpeechModel implements AutoCloseable {
  private final ModelParts parts;
  private final CallRunner calls;
  private final DeadlineCalibration deadlines;
  /** Calls hold the read side; {@link #close} takes the write side, so it waits for calls in flight. */
  private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;

  private DynamicSpeechModel(ModelParts parts) {
    this.parts = parts;
    this.calls = new CallRunner(parts);
    this.deadlines = new DeadlineCalibration(config(), layers(),
        (audio, layers) -> run(List.of(audio), InferenceBudget.layers(layers), null).get(0)
            .latency().totalMs());
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
    return new DynamicSpeechModel(ModelParts.load(dir, engine));
  }

  /** {@link #of(TaskModel, LayerSelector, StaticSubsets, InferenceEngine)} on DJL. */
  public static DynamicSpeechModel of(TaskModel model, LayerSelector selector,
      StaticSubsets staticSubsets) {
    return of(model, selector, staticSubsets, InferenceEngine.DJL);
  }

  /**
   * A runtime model over parts already in memory, which it then owns (closes) once built.
   *
   * @param selector the layer selector, or null; its weights are copied when the model is built
   *     ({@link dev.icld.selection.SelectorWeights}), so training it further afterwards does not
   *     change what this model serves
   * @param staticSubsets the static subsets, or null
   * @throws IllegalArgumentException when the selector or the subsets do not fit the backbone, or
   *     the backbone cannot run on {@code engine}
   */
  public static DynamicSpeechModel of(TaskModel model, LayerSelector selector,
      StaticSubsets staticSubsets, InferenceEngine engine) {
    return new DynamicSpeechModel(ModelParts.of(model, selector, staticSubsets, engine));
  }

  public int layers() {
    return parts.backbone().layerCount();
  }

  public Task task() {
    return parts.model.task();
  }

  public ModelConfig config() {
    return parts.backbone().config();
  }

  /** The backbone's engine: {@link InferenceEngine#id()}. */
  public String engine() {
    return parts.backbone().engineName();
  }

  /** The class labels of a classification model, null for a transcription model. */
  public LabelVocabulary labels() {
    return parts.model.labels();
  }

  public boolean hasSelector() {
    return parts.selector != null;
  }

  /** The policies this model can run, the default first. */
  public Set<String> policies() {
    return calls.policies().names();
  }

  public String defaultPolicy() {
    return calls.policies().defaultName();
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

  /**
   * Checks that this model can run {@code budget} with {@code policy} (null for the default), before
   * any input: the policy exists, the budget fits the model's depth, an adaptive budget has the
   * selector and a calibrated threshold.
   *
   * @return the policy
   * @throws IllegalArgumentException naming the problem
   */
  public String check(InferenceBudget budget, String policy) {
    return calls.check(budget, policy);
  }

  private List<InferenceResult> run(List<Audio> inputs, InferenceBudget budget, String policyName) {
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("the model is closed");
      }
      return calls.run(inputs, budget, policyName, deadlines);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /**
   * The deadline controller, calibrated on first use: a warm-up call, then calls on synthetic
   * audio at 1, L/2 and L layers with the default policy, whose median latencies fit the
   * {@link LatencyModel}. Every later call updates its load factor.
   */
  public DeadlineController deadlineController() {
    return deadlines.controller();
  }

  /** Replaces the deadline controller's latency model (one measured before, or a test's). */
  public DeadlineController useLatencyModel(LatencyModel latencyModel) {
    return deadlines.use(latencyModel);
  }

  /**
   * The number of native arrays this model holds: its parameters, and any call's arrays still
   * alive (none once every call has returned). For leak checks.
   */
  public int liveArrayCount() {
    return calls.liveArrayCount() + parts.liveArrayCount();
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
      parts.close();
    } finally {
      lifecycle.writeLock().unlock();
    }
  }
}
