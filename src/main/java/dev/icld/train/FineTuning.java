package dev.icld.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.icld.data.Batch;
import dev.icld.data.BatchLoader;
import dev.icld.data.CharacterVocabulary;
import dev.icld.model.FoundationModel;
import dev.icld.model.LayerDrop;
import dev.icld.model.LayerMask;
import dev.icld.model.ModelOutput;
import dev.icld.model.TaskModel;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Fine-tuning a {@link TaskModel} on labelled data: cross-entropy on a pooled head for
 * classification, CTC on characters for ASR, with the model's layer-drop mode: none, random
 * LayerDrop (mask per batch or per utterance, never empty), or early exit (every exit's loss
 * summed). The feature encoder is frozen unless asked otherwise; the masking embedding, which
 * fine-tuning never uses, is not trained.
 */
public final class FineTuning implements TrainingObjective {
  private final TaskModel model;
  private final DevEvaluator evaluator;
  private final Map<String, NDArray> parameters;
  private final List<Set<String>> layerParameters;
  private final Set<String> alwaysActive;
  private final CtcLoss ctc = new CtcLoss(CharacterVocabulary.BLANK, true, CtcLoss.Reduction.MEAN);

  public FineTuning(TaskModel model, boolean trainFeatureEncoder, DevEvaluator evaluator) {
    this.model = model;
    this.evaluator = evaluator;
    FoundationModel backbone = model.backbone();
    Set<String> frozen = new HashSet<>();
    frozen.add("masked_spec_embed");
    if (!trainFeatureEncoder) {
      frozen.addAll(backbone.featureEncoderParameterNames());
    }
    Map<String, NDArray> trainable = new LinkedHashMap<>();
    backbone.parameters().forEach((name, p) -> {
      if (!frozen.contains(name)) {
        trainable.put(name, p);
      }
    });
    trainable.putAll(model.headParameters());
    this.parameters = Collections.unmodifiableMap(trainable);
    Set<String> always = new HashSet<>(trainable.keySet());
    this.layerParameters = new java.util.ArrayList<>();
    for (int layer = 0; layer < backbone.layerCount(); layer++) {
      Set<String> names = backbone.layerParameterNames(layer);
      layerParameters.add(names);
      always.removeAll(names);
    }
    this.alwaysActive = always;
  }

  @Override
  public Map<String, NDArray> parameters() {
    return parameters;
  }

  @Override
  public StepOutput step(Batch batch, NDManager manager, Random random) {
    NDArray waves = manager.create(batch.audio());
    LayerMask mask = sampleMask(batch.size(), manager, random);
    ModelOutput output = model.backbone().forward(waves, batch.lengths(), mask);
    NDArray total = null;
    Map<String, Double> logs = new LinkedHashMap<>();
    for (int head = 0; head < model.heads().size(); head++) {
      NDArray loss = loss(model.logits(output, head), output.frameLengths(), batch, manager);
      total = total == null ? loss : total.add(loss);
      if (model.heads().size() > 1) {
        logs.put("loss_exit_" + model.exits().get(head), (double) loss.getFloat());
      }
    }
    logs.put("executed_layers", (double) mask.executedCount());
    Set<String> active = new HashSet<>(alwaysActive);
    for (int layer = 0; layer < layerParameters.size(); layer++) {
      if (mask.executes(layer)) {
        active.addAll(layerParameters.get(layer));
      }
    }
    active.retainAll(parameters.keySet());
    return new StepOutput(total, active, logs);
  }

  /** The training mask of the model's layer-drop mode for one batch. */
  LayerMask sampleMask(int batch, NDManager manager, Random random) {
    int layers = model.backbone().layerCount();
    LayerDrop drop = model.layerDrop();
    if (drop.mode() != LayerDrop.Mode.RANDOM) {
      return LayerMask.all(layers);
    }
    if (!drop.perUtterance()) {
      return LayerMask.keep(drawKept(layers, drop.keepProbability(), random));
    }
    float[] gates = new float[batch * layers];
    for (int b = 0; b < batch; b++) {
      boolean[] kept = drawKept(layers, drop.keepProbability(), random);
      for (int i = 0; i < layers; i++) {
        gates[b * layers + i] = kept[i] ? 1f : 0f;
      }
    }
    return LayerMask.gated(manager.create(gates, new Shape(batch, layers)));
  }

  /** Each layer kept with probability p; if none is, one drawn uniformly is kept. */
  private static boolean[] drawKept(int layers, double p, Random random) {
    boolean[] kept = new boolean[layers];
    boolean any = false;
    for (int i = 0; i < layers; i++) {
      kept[i] = random.nextDouble() < p;
      any |= kept[i];
    }
    if (!any) {
      kept[random.nextInt(layers)] = true;
    }
    return kept;
  }

  private NDArray loss(NDArray logits, int[] frameLengths, Batch batch, NDManager manager) {
    return model.task().classification()
        ? crossEntropy(logits, batch.labels(), manager)
        : ctcLoss(logits, frameLengths, batch, manager);
  }

  /** Mean over the batch of -log softmax(logits)[label]. */
  static NDArray crossEntropy(NDArray logits, int[] labels, NDManager manager) {
    int batch = (int) logits.getShape().get(0);
    int classes = (int) logits.getShape().get(1);
    float[] picks = new float[batch * classes];
    for (int b = 0; b < batch; b++) {
      picks[b * classes + labels[b]] = 1f / batch;
    }
    return logits.logSoftmax(-1).mul(manager.create(picks, new Shape(batch, classes))).sum().neg();
  }

  /**
   * CTC (mean reduction, zero_infinity) through the Java forward-backward: the returned scalar has
   * the CTC loss as its value and d(CTC)/d(logits) as its gradient, by adding to the loss constant
   * a surrogate sum(logProbs * grad) minus its own detached value.
   */
  private NDArray ctcLoss(NDArray logits, int[] frameLengths, Batch batch, NDManager manager) {
    Shape shape = logits.getShape();
    NDArray logProbs = logits.logSoftmax(-1);
    int[][] targets = new int[batch.size()][];
    for (int b = 0; b < targets.length; b++) {
      targets[b] = Arrays.copyOf(batch.targets()[b], batch.targetLengths()[b]);
    }
    CtcLoss.Result result = ctc.compute(logProbs.toFloatArray(), (int) shape.get(0),
        (int) shape.get(1), (int) shape.get(2), frameLengths, targets);
    NDArray surrogate = logProbs.mul(manager.create(result.logitGradient(), shape)).sum();
    return surrogate.sub(surrogate.stopGradient()).add((float) result.loss());
  }

  @Override
  public Evaluation evaluate(BatchLoader dev) {
    return evaluator.evaluate(dev);
  }
}
