package dev.icld.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.icld.data.Batch;
import dev.icld.data.BatchLoader;
import dev.icld.model.FoundationModel;
import dev.icld.model.ModelOutput;
import dev.icld.model.Scalar;
import dev.icld.model.Torch;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * HuBERT's masked-prediction pretraining as a {@link TrainingObjective}: span masks over the
 * feature frames ({@link SpanMasking#hubert()}), the masked frames replaced by the learned mask
 * embedding, and the cross-entropy of the cluster targets of the masked frames through the
 * {@link MaskedPredictionHead} (unmasked frames weigh 0, as in HuBERT Base). As in fairseq's
 * HuBERT Base, the conv feature encoder trains with its gradient scaled by 0.1, and a penalty of
 * 10 times the mean square of its output keeps the features small.
 */
public final class HubertPretraining implements TrainingObjective {
  /** fairseq's feature_grad_mult for HuBERT Base. */
  public static final double FEATURE_GRADIENT_SCALE = 0.1;
  /** fairseq's loss weight of the feature penalty for HuBERT Base. */
  public static final double FEATURE_PENALTY_WEIGHT = 10;
  static final String METRIC = "negative_masked_loss";

  private final FoundationModel model;
  private final MaskedPredictionHead head;
  private final ClusterTargets targets;
  private final TargetAlignment alignment;
  private final SpanMasking masking;
  private final long evaluationSeed;
  private final Map<String, NDArray> parameters;

  /**
   * @param model the backbone to pretrain; must have masked_spec_embed
   * @param targets cluster labels of every training and dev utterance
   * @param evaluationSeed the span masks of dev evaluations, the same at every evaluation so that
   *     dev losses compare
   */
  public HubertPretraining(FoundationModel model, MaskedPredictionHead head,
      ClusterTargets targets, SpanMasking masking, long evaluationSeed) {
    if (!model.parameters().containsKey(FoundationModel.MASK_EMBEDDING)) {
      throw new IllegalArgumentException("the model has no " + FoundationModel.MASK_EMBEDDING
          + " to replace masked frames with");
    }
    if (head.clusters() != targets.clusters()) {
      throw new IllegalArgumentException("the head predicts " + head.clusters()
          + " clusters, the targets have " + targets.clusters());
    }
    this.model = model;
    this.head = head;
    this.targets = targets;
    this.alignment = new TargetAlignment(targets.frameRate(), frameRate(model));
    this.masking = masking;
    this.evaluationSeed = evaluationSeed;
    Map<String, NDArray> all = new LinkedHashMap<>(model.parameters());
    all.putAll(head.parameters());
    this.parameters = Collections.unmodifiableMap(all);
  }

  /** The encoder's frames per second: the sample rate over the product of the conv strides. */
  static double frameRate(FoundationModel model) {
    return FoundationModel.SAMPLE_RATE / (double) PhonePretraining.hop(model);
  }

  @Override
  public Map<String, NDArray> parameters() {
    return parameters;
  }

  @Override
  public StepOutput step(Batch batch, NDManager manager, Random random) {
    Result result = run(batch, manager, random);
    Map<String, Double> log = new LinkedHashMap<>();
    log.put("masked_loss", (double) result.prediction.loss().getFloat());
    log.put("masked_accuracy", result.prediction.accuracy());
    log.put("feature_penalty", (double) result.penalty.getFloat());
    log.put("masked_frames", (double) result.prediction.frames());
    return new StepOutput(result.loss, parameters.keySet(), log);
  }

  private record Result(NDArray loss, MaskedPredictionHead.Prediction prediction,
      NDArray penalty) {}

  private Result run(Batch batch, NDManager manager, Random random) {
    int size = batch.size();
    int samples = batch.maxLength();
    float[] flat = new float[size * samples];
    for (int b = 0; b < size; b++) {
      System.arraycopy(batch.audio()[b], 0, flat, b * samples, samples);
    }
    NDArray waves = manager.create(flat, new Shape(size, samples));
    int frames = model.frames(samples);
    int[] frameLengths = new int[size];
    for (int b = 0; b < size; b++) {
      frameLengths[b] = model.frames(batch.lengths()[b]);
    }
    boolean[][] masked = masking.sample(frameLengths, frames, random);
    ModelOutput out =
        model.forwardMasked(waves, batch.lengths(), masked, FEATURE_GRADIENT_SCALE);
    boolean[][] chosen = new boolean[size][frames];
    int[][] frameTargets = new int[size][frames];
    for (int b = 0; b < size; b++) {
      int[] labels = alignment.frameLabels(
          targets.labels(batch.utterances().get(b).file()), frameLengths[b]);
      for (int t = 0; t < labels.length; t++) {
        chosen[b][t] = masked[b][t];
        frameTargets[b][t] = labels[t];
      }
    }
    MaskedPredictionHead.Prediction prediction =
        head.predict(out.lastHiddenState(), chosen, frameTargets);
    NDArray penalty = out.features().square().mean();
    NDArray loss = prediction.loss().add(penalty.mul(Scalar.of(penalty, FEATURE_PENALTY_WEIGHT)));
    return new Result(loss, prediction, penalty);
  }

  /** Masked-prediction loss and accuracy over the dev set, averaged over masked frames. */
  @Override
  public Evaluation evaluate(BatchLoader dev) {
    double lossSum = 0;
    long frames = 0;
    long correct = 0;
    int index = 0;
    Iterator<Batch> batches = dev.epoch(0);
    while (batches.hasNext()) {
      Batch batch = batches.next();
      try (NDManager manager = Torch.newManager()) {
        Result result = run(batch, manager, new Random(evaluationSeed * 31 + index++));
        int n = result.prediction.frames();
        lossSum += result.prediction.loss().getFloat() * n;
        frames += n;
        correct += result.prediction.correct();
      }
    }
    double loss = frames == 0 ? Double.NaN : lossSum / frames;
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("masked_loss", loss);
    metrics.put("masked_accuracy", frames == 0 ? 0 : correct / (double) frames);
    metrics.put("masked_frames", (double) frames);
    return new Evaluation(METRIC, -loss, metrics);
  }
}
