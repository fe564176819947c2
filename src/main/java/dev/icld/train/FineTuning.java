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
import java.util.ArrayList;
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
 * summed), and optionally SpecAugment. The feature encoder is frozen unless asked otherwise, and
 * its output is then cached per utterance ({@link FeatureCache}); the masking embedding is trained
 * only when time masking uses it. The heads are the {@linkplain #headParameterNames() head group}.
 */
public final class FineTuning implements TrainingObjective {
  private final TaskModel model;
  private final DevEvaluator evaluator;
  private final Map<String, NDArray> parameters;
  private final List<Set<String>> layerParameters;
  private final Set<String> alwaysActive;
  private final SpecAugment specAugment;
  private final boolean trainsMaskEmbedding;
  private final FeatureCache featureCache;
  private final CtcLoss ctc = new CtcLoss(CharacterVocabulary.BLANK, true, CtcLoss.Reduction.MEAN);

  /** Without SpecAugment. */
  public FineTuning(TaskModel model, boolean trainFeatureEncoder, DevEvaluator evaluator) {
    this(model, trainFeatureEncoder, SpecAugment.NONE, evaluator);
  }

  /** A frozen feature encoder's cache may take up to half of the Java heap. */
  public FineTuning(TaskModel model, boolean trainFeatureEncoder, SpecAugment specAugment,
      DevEvaluator evaluator) {
    this(model, trainFeatureEncoder, specAugment, true, evaluator);
  }

  /**
   * @param cacheFeatures keep a frozen feature encoder's output per utterance (up to half of the
   *     Java heap); only right when each utterance's audio is the same in every epoch, so not
   *     with a {@link dev.icld.data.SpeedPerturbation}
   */
  public FineTuning(TaskModel model, boolean trainFeatureEncoder, SpecAugment specAugment,
      boolean cacheFeatures, DevEvaluator evaluator) {
    this(model, trainFeatureEncoder, specAugment,
        cacheFeatures ? Runtime.getRuntime().maxMemory() / 2 : 0, evaluator);
  }

  /** @param featureCacheBytes room for the frozen feature encoder's cache; 0 for no cache */
  FineTuning(TaskModel model, boolean trainFeatureEncoder, SpecAugment specAugment,
      long featureCacheBytes, DevEvaluator evaluator) {
    this.model = model;
    this.evaluator = evaluator;
    this.specAugment = specAugment;
    FoundationModel backbone = model.backbone();
    this.trainsMaskEmbedding = specAugment.masksTime()
        && backbone.parameters().containsKey(FoundationModel.MASK_EMBEDDING);
    this.featureCache = trainFeatureEncoder || featureCacheBytes == 0
        ? null : new FeatureCache(backbone, featureCacheBytes);
    Set<String> frozen = new HashSet<>();
    if (!trainsMaskEmbedding) {
      frozen.add(FoundationModel.MASK_EMBEDDING);
    }
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
    this.layerParameters = new ArrayList<>();
    for (int layer = 0; layer < backbone.layerCount(); layer++) {
      Set<String> names = backbone.layerParameterNames(layer);
      layerParameters.add(names);
      always.removeAll(names);
    }
    // It takes part only in a step that masks some frame.
    always.remove(FoundationModel.MASK_EMBEDDING);
    this.alwaysActive = always;
  }

  @Override
  public Map<String, NDArray> parameters() {
    return parameters;
  }

  @Override
  public Set<String> headParameterNames() {
    return model.headParameters().keySet();
  }

  /** The frozen feature encoder's cache; null when the encoder is trained. */
  FeatureCache featureCache() {
    return featureCache;
  }

  /** Rows of conv features held for reuse (one per utterance and padded length), for printing. */
  public String featureCacheStatus() {
    if (featureCache == null) {
      return "off (the feature encoder is trained, or the audio changes every epoch)";
    }
    return String.format("%d rows of conv features, %.1f MiB%s", featureCache.rows(),
        featureCache.bytes() / (1024.0 * 1024.0),
        featureCache.overflowed() ? " (full: the rest are computed on every step)" : "");
  }

  @Override
  public StepOutput step(Batch batch, NDManager manager, Random random) {
    FoundationModel backbone = model.backbone();
    LayerMask mask = sampleMask(batch.size(), manager, random);
    NDArray features = featureCache != null
        ? featureCache.features(batch, manager)
        : backbone.featureEncoderOutput(manager.create(batch.audio()));
    int[] frameLengths = new int[batch.size()];
    for (int b = 0; b < frameLengths.length; b++) {
      frameLengths[b] = backbone.frames(batch.lengths()[b]);
    }
    boolean[][] timeMask =
        specAugment.timeMask(frameLengths, (int) features.getShape().get(1), random);
    boolean[][] channelMask =
        specAugment.channelMask(batch.size(), backbone.config().hiddenSize(), random);
    ModelOutput output = backbone.encode(
        backbone.frontEndFromFeatures(features, frameLengths, timeMask, channelMask), mask);
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
    if (timeMask != null) {
      double fraction = maskedFraction(timeMask, frameLengths);
      logs.put("masked_frames", fraction);
      if (trainsMaskEmbedding && fraction > 0) {
        active.add(FoundationModel.MASK_EMBEDDING);
      }
    }
    for (int layer = 0; layer < layerParameters.size(); layer++) {
      if (mask.executes(layer)) {
        active.addAll(layerParameters.get(layer));
      }
    }
    active.retainAll(parameters.keySet());
    return new StepOutput(total, active, logs);
  }

  /** Masked frames over valid frames (spans never reach into the padding). */
  private static double maskedFraction(boolean[][] timeMask, int[] frameLengths) {
    long masked = 0;
    long valid = 0;
    for (int b = 0; b < timeMask.length; b++) {
      valid += frameLengths[b];
      for (boolean m : timeMask[b]) {
        masked += m ? 1 : 0;
      }
    }
    return valid == 0 ? 0 : masked / (double) valid;
  }

  /** The training mask of the model's layer-drop mode for one batch. */
  LayerMask sampleMask(int batch, NDManager manager, Random random) {
    int layers = model.backbone().layerCount();
    LayerDrop drop = model.layerDrop();
    if (drop.mode() != LayerDrop.Mode.RANDOM) {
      return LayerMask.all(layers);
    }
    if (!drop.perUtterance()) {
      return LayerMask.keep(drawKept(layers, drop, random));
    }
    float[] gates = new float[batch * layers];
    for (int b = 0; b < batch; b++) {
      boolean[] kept = drawKept(layers, drop, random);
      for (int i = 0; i < layers; i++) {
        gates[b * layers + i] = kept[i] ? 1f : 0f;
      }
    }
    return LayerMask.gated(manager.create(gates, new Shape(batch, layers)));
  }

  private static boolean[] drawKept(int layers, LayerDrop drop, Random random) {
    return drop.sampling() == LayerDrop.DepthSampling.BERNOULLI
        ? bernoulli(layers, drop.keepProbability(), random)
        : uniformK(layers, drop.subsetProbability(), random);
  }

  /** Each layer kept with probability p; if none is, one drawn uniformly is kept. */
  private static boolean[] bernoulli(int layers, double p, Random random) {
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

  /**
   * With probability q, k uniform in 1..L and the first k of a random permutation of the layers
   * (partial Fisher-Yates); otherwise every layer.
   */
  private static boolean[] uniformK(int layers, double q, Random random) {
    boolean[] kept = new boolean[layers];
    if (!(random.nextDouble() < q)) {
      Arrays.fill(kept, true);
      return kept;
    }
    int k = 1 + random.nextInt(layers);
    int[] order = new int[layers];
    for (int i = 0; i < layers; i++) {
      order[i] = i;
    }
    for (int i = 0; i < k; i++) {
      int j = i + random.nextInt(layers - i);
      int chosen = order[j];
      order[j] = order[i];
      order[i] = chosen;
      kept[chosen] = true;
    }
    return kept;
  }

  NDArray loss(NDArray logits, int[] frameLengths, Batch batch, NDManager manager) {
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
