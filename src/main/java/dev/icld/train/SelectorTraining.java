package dev.icld.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.icld.data.Batch;
import dev.icld.data.BatchLoader;
import dev.icld.model.FoundationModel;
import dev.icld.model.FrontEndOutput;
import dev.icld.model.LayerMask;
import dev.icld.model.ModelOutput;
import dev.icld.model.Scalar;
import dev.icld.model.TaskModel;
import dev.icld.selection.GumbelTopK;
import dev.icld.selection.LayerSelector;
import dev.icld.selection.LogMelFilterbanks;
import dev.icld.selection.SelectionInput;
import dev.icld.selection.SelectorInputKind;
import dev.icld.selection.TemperatureSchedule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Stage 2 of METHOD design point 5 (and, with {@code jointFineTuning}, stage 3): the layer
 * selector learns which layers a fine-tuned model should run for each input and budget. Per batch
 * a budget k is drawn from the trained budgets; the selector's logits go through straight-through
 * Gumbel top-k at the annealed temperature; the model runs under the resulting per-utterance
 * gates (a dropped layer passes its input through). Loss: the task loss of the full-depth head,
 * plus, with a distillation weight, KL(full-depth prediction || gated prediction) from the same
 * frozen model (per frame over the valid frames for CTC), plus, with mask targets, the binary
 * cross-entropy between the selector's per-layer gate probabilities sigmoid(logits) and the 0/1
 * target mask of each utterance's class at the batch's budget (utterances without one add
 * nothing), which distils class-conditional masks (icld oracle's) into the selector.
 *
 * <p>In stage 2 only the selector trains; the backbone and heads are frozen. In stage 3 the
 * backbone (all but the conv feature encoder) and the heads train too, with the selector.
 *
 * <p>The temperature follows the optimizer step. The trainer does not pass the step to the
 * objective, so this objective counts its {@link #step} calls (one per optimizer step: use no
 * gradient accumulation) starting from the step its run directory's checkpoint resumes at
 * ({@link #resumedStep}), which keeps a resumed run on the same schedule.
 */
public final class SelectorTraining implements TrainingObjective {
  /** Selector parameter names are prefixed so that they never collide with the model's. */
  public static final String PREFIX = "selector.";

  /**
   * @param budgets the budgets k drawn from, uniformly, once per batch
   * @param temperature the Gumbel relaxation's temperature over optimizer steps
   * @param distillationWeight weight of the KL term; 0 for the task loss alone
   * @param jointFineTuning stage 3: the backbone and heads train with the selector
   * @param maskTargets per budget and class, the mask to pull the selector towards;
   *     {@link MaskTargets#NONE} for none
   * @param maskTargetWeight weight of the mask-target term
   */
  public record Options(List<Integer> budgets, TemperatureSchedule temperature,
      double distillationWeight, boolean jointFineTuning, MaskTargets maskTargets,
      double maskTargetWeight) {
    public Options {
      budgets = List.copyOf(budgets);
      if (budgets.isEmpty()) {
        throw new IllegalArgumentException("selector training needs at least one budget");
      }
      if (!(distillationWeight >= 0) || Double.isInfinite(distillationWeight)) {
        throw new IllegalArgumentException(
            "distillation weight must be finite and >= 0, got " + distillationWeight);
      }
      if (!(maskTargetWeight >= 0) || Double.isInfinite(maskTargetWeight)) {
        throw new IllegalArgumentException(
            "mask-target weight must be finite and >= 0, got " + maskTargetWeight);
      }
    }
  }

  private final TaskModel model;
  private final LayerSelector selector;
  private final Options options;
  private final FineTuning taskLoss;
  private final DevEvaluator evaluator;
  private final Map<String, NDArray> parameters;
  private final LogMelFilterbanks logMel = new LogMelFilterbanks();
  private long stepsTaken;

  /**
   * @param firstStep the optimizer step training starts (or resumes) at, see {@link #resumedStep}
   */
  public SelectorTraining(TaskModel model, LayerSelector selector, Options options, long firstStep,
      DevEvaluator evaluator) {
    if (selector.layers() != model.backbone().layerCount()) {
      throw new IllegalArgumentException("the selector is for " + selector.layers()
          + " layers, the model has " + model.backbone().layerCount());
    }
    for (int k : options.budgets()) {
      if (k < 1 || k > selector.layers()) {
        throw new IllegalArgumentException(
            "budget must keep between 1 and " + selector.layers() + " layers, got " + k);
      }
    }
    this.model = model;
    this.selector = selector;
    this.options = options;
    this.taskLoss = new FineTuning(model, false, evaluator);
    this.evaluator = evaluator;
    this.stepsTaken = firstStep;
    Map<String, NDArray> trainable = new LinkedHashMap<>();
    selector.parameters().forEach((name, p) -> trainable.put(PREFIX + name, p));
    if (options.jointFineTuning()) {
      trainable.putAll(taskLoss.parameters());
    }
    this.parameters = Collections.unmodifiableMap(trainable);
  }

  /** The optimizer step at which a run in {@code runDir} resumes (0 for a fresh run). */
  public static long resumedStep(Path runDir) throws IOException {
    CheckpointStore.Restored restored =
        new CheckpointStore(runDir.resolve("checkpoints"), 1).readLatest();
    return restored == null ? 0 : restored.state().globalStep;
  }

  @Override
  public Map<String, NDArray> parameters() {
    return parameters;
  }

  @Override
  public StepOutput step(Batch batch, NDManager manager, Random random) {
    FoundationModel backbone = model.backbone();
    FrontEndOutput frontEnd = backbone.frontEnd(manager.create(batch.audio()), batch.lengths());
    int k = options.budgets().get(random.nextInt(options.budgets().size()));
    int[] keep = new int[batch.size()];
    Arrays.fill(keep, k);
    double temperature = options.temperature().at(stepsTaken);
    stepsTaken++;
    NDArray logits = selector.logits(selectorInput(frontEnd, batch, manager), keep);
    NDArray gates = new GumbelTopK(random.nextLong()).sample(logits, keep, temperature);
    ModelOutput output = backbone.encode(frontEnd, LayerMask.gated(gates));
    NDArray studentLogits = model.logits(output, model.finalHead());
    NDArray task = taskLoss.loss(studentLogits, output.frameLengths(), batch, manager);
    Map<String, Double> logs = new LinkedHashMap<>();
    logs.put("budget", (double) k);
    logs.put("temperature", temperature);
    logs.put("task_loss", (double) task.getFloat());
    NDArray loss = task;
    if (options.distillationWeight() > 0) {
      ModelOutput full = backbone.encode(frontEnd, LayerMask.all(backbone.layerCount()));
      NDArray teacherLogits = model.logits(full, model.finalHead()).stopGradient();
      NDArray kl = klDivergence(teacherLogits, studentLogits, output.frameLengths(), manager);
      logs.put("distillation", (double) kl.getFloat());
      loss = loss.add(kl.mul(Scalar.of(kl, options.distillationWeight())));
    }
    NDArray maskTarget = maskTargetLoss(logits, batch.labels(), k, manager);
    if (maskTarget != null) {
      logs.put("mask_target", (double) maskTarget.getFloat());
      loss = loss.add(maskTarget.mul(Scalar.of(maskTarget, options.maskTargetWeight())));
    }
    return new StepOutput(loss, activeParameters(gates), logs);
  }

  /**
   * The binary cross-entropy of sigmoid(logits) against the target masks at budget {@code keep},
   * averaged over the layers of the utterances whose class has one; null where none has (or
   * without targets).
   */
  NDArray maskTargetLoss(NDArray logits, int[] labels, int keep, NDManager manager) {
    if (options.maskTargetWeight() == 0 || labels == null) {
      return null;
    }
    int layers = selector.layers();
    float[] targets = new float[labels.length * layers];
    float[] weights = new float[labels.length * layers];
    int targeted = 0;
    for (int b = 0; b < labels.length; b++) {
      float[] mask = options.maskTargets().target(keep, labels[b]);
      if (mask != null) {
        System.arraycopy(mask, 0, targets, b * layers, layers);
        Arrays.fill(weights, b * layers, (b + 1) * layers, 1f);
        targeted++;
      }
    }
    if (targeted == 0) {
      return null;
    }
    Shape shape = new Shape(labels.length, layers);
    // log(1 + e^x) - x t, written as max(x, 0) + log(1 + e^-|x|) - x t so that no exp overflows.
    NDArray softplus = Activation.relu(logits).add(logits.abs().neg().exp()
        .add(Scalar.of(logits, 1)).log());
    NDArray perLayer = softplus.sub(logits.mul(manager.create(targets, shape)));
    return perLayer.mul(manager.create(weights, shape)).sum()
        .div(Scalar.of(logits, (double) targeted * layers));
  }

  /** The selector's input for a batch: the front end's features, or log-mel filterbanks. */
  private SelectionInput selectorInput(FrontEndOutput frontEnd, Batch batch, NDManager manager) {
    if (selector.config().input() == SelectorInputKind.LOG_MEL) {
      return logMel.compute(batch.audio(), batch.lengths(), manager);
    }
    // The selector never trains the front end, even in joint fine-tuning.
    return SelectionInput.ofFeatures(frontEnd.features().stopGradient(), frontEnd.frameLengths());
  }

  /**
   * The selector always; in joint fine-tuning also the model's parameters, but a layer no
   * utterance of the batch ran is left out, so its weights and optimizer moments stay put.
   */
  private Set<String> activeParameters(NDArray gates) {
    Set<String> active = new HashSet<>(parameters.keySet());
    if (options.jointFineTuning()) {
      int layers = selector.layers();
      float[] values = gates.toFloatArray();
      int batch = values.length / layers;
      for (int layer = 0; layer < layers; layer++) {
        boolean ran = false;
        for (int b = 0; b < batch && !ran; b++) {
          ran = values[b * layers + layer] > 0.5f;
        }
        if (!ran) {
          active.removeAll(model.backbone().layerParameterNames(layer));
        }
      }
    }
    return active;
  }

  /**
   * KL(teacher || student) of the softmax outputs, averaged over utterances (classification,
   * logits [B, C]) or over the valid frames of the batch (CTC, logits [B, T, C]).
   */
  static NDArray klDivergence(NDArray teacherLogits, NDArray studentLogits, int[] frameLengths,
      NDManager manager) {
    NDArray teacherLog = teacherLogits.logSoftmax(-1);
    NDArray perPosition = teacherLog.exp().mul(teacherLog.sub(studentLogits.logSoftmax(-1)))
        .sum(new int[] {-1});
    if (perPosition.getShape().dimension() == 1) {
      return perPosition.mean();
    }
    int batch = (int) perPosition.getShape().get(0);
    int frames = (int) perPosition.getShape().get(1);
    long valid = Arrays.stream(frameLengths).asLongStream().sum();
    float[] weights = new float[batch * frames];
    for (int b = 0; b < batch; b++) {
      Arrays.fill(weights, b * frames, b * frames + frameLengths[b], 1f / valid);
    }
    return perPosition.mul(manager.create(weights, new Shape(batch, frames))).sum();
  }

  @Override
  public Evaluation evaluate(BatchLoader dev) {
    return evaluator.evaluate(dev);
  }
}
