package dev.icld.runtime;

import ai.djl.ndarray.NDManager;
import dev.icld.audio.Audio;
import dev.icld.audio.Resampler;
import dev.icld.inference.InferenceCore;
import dev.icld.methods.Method;
import dev.icld.methods.MethodResources;
import dev.icld.methods.Methods;
import dev.icld.model.BackboneEngine;
import dev.icld.model.Flops;
import dev.icld.model.FoundationModel;
import dev.icld.model.Torch;
import dev.icld.selection.Budget;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Running and decoding calls: checks the inputs, the policy and the budget, turns a deadline into
 * a number of layers, runs the {@link InferenceCore} and makes each input's
 * {@link InferenceResult} (output, executed layers, FLOPs, latency).
 *
 * <p>Every call creates its arrays in its own sub-manager, closed when the call returns.
 */
final class CallRunner implements AutoCloseable {
  private final ModelParts parts;
  private final BackboneEngine backbone;
  private final InferenceCore core;
  private final MethodResources resources;
  private final ServedPolicies policies;
  private final NDManager calls;

  CallRunner(ModelParts parts) {
    this.parts = parts;
    this.backbone = parts.backbone();
    this.core = new InferenceCore(parts.model, backbone, parts.engine.heads());
    this.resources = new MethodResources(parts.selector, parts.staticSubsets, Map.of());
    this.policies = new ServedPolicies(parts);
    this.calls = Torch.newManager();
  }

  ServedPolicies policies() {
    return policies;
  }

  /** See {@link DynamicSpeechModel#check(InferenceBudget, String)}. */
  String check(InferenceBudget budget, String policy) {
    Method chosen = policies.method(policy);
    checkBudget(chosen, budget);
    if (budget.kind() == InferenceBudget.Kind.ADAPTIVE) {
      Budget resolved = budget.resolve(layers());
      if (!parts.selector.config().adaptiveThresholds().containsKey(resolved.keep())) {
        throw new IllegalArgumentException("the selector has no adaptive threshold for budget "
            + resolved.keep() + " (calibrated: "
            + parts.selector.config().adaptiveThresholds().keySet() + ")");
      }
    }
    return chosen.name();
  }

  private void checkBudget(Method method, InferenceBudget budget) {
    if (budget.kind() == InferenceBudget.Kind.ADAPTIVE && method != Methods.SELECTOR) {
      throw new IllegalArgumentException("an adaptive budget needs the input-conditioned selector"
          + (parts.selector == null ? ", and this model has none"
              : " (policy " + Methods.SELECTOR.name() + ")"));
    }
    if (!budget.isDeadline()) {
      budget.resolve(layers());
    }
  }

  private int layers() {
    return backbone.layerCount();
  }

  /** One result per input, in order; a deadline budget is planned by {@code deadlines}. */
  List<InferenceResult> run(List<Audio> inputs, InferenceBudget budget, String policyName,
      DeadlineCalibration deadlines) {
    // Calibrating (once) is not part of a call's latency.
    DeadlineController planner = budget.isDeadline() ? deadlines.controller() : null;
    long start = System.nanoTime();
    Method method = policies.method(policyName);
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
      plan = planner.plan(budget.deadlineMillis(), shape);
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

    DeadlineController controller = deadlines.calibrated();
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

  /** The head's multiply-accumulates, as {@link Flops} counts: mean-pool and linear, or a linear
   * map on every frame for CTC. */
  private long headFlops(int frames) {
    long hidden = backbone.config().hiddenSize();
    long classes = parts.model.heads().get(0).classes();
    return parts.model.task().classification()
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

  /** The arrays of calls still running (none once every call has returned). */
  int liveArrayCount() {
    return calls.getManagedArrays().size();
  }

  @Override
  public void close() {
    calls.close();
  }
}
