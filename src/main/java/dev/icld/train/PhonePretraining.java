package dev.icld.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.icld.data.Batch;
import dev.icld.data.BatchLoader;
import dev.icld.data.CharacterVocabulary;
import dev.icld.data.PhoneTargets;
import dev.icld.data.Utterance;
import dev.icld.inference.CtcGreedyDecoder;
import dev.icld.metrics.ErrorRates;
import dev.icld.model.FoundationModel;
import dev.icld.model.ModelOutput;
import dev.icld.model.Scalar;
import dev.icld.model.Torch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Masked phone prediction with deep supervision, a {@link TrainingObjective}: span masks over the
 * frames (replaced by the learned mask embedding, as in HuBERT), then at each supervised depth the
 * cross-entropy of the frame phone labels (utterances whose engine gave phone times) and the CTC
 * loss of the phone sequence (every utterance), through one pair of {@link PhoneHeads}, and
 * optionally the CTC loss of the transcript's characters through a third head. Targets
 * are phones, not clusters: HuBERT's iterations aim at phonetic units, and the TTS engines give
 * them exactly. The conv feature encoder was trained before ({@link FrontEndDistillation}); it
 * stays frozen (its backward pass then costs nothing) or trains with its gradient scaled, as
 * fairseq's feature_grad_mult.
 */
public final class PhonePretraining implements TrainingObjective {
  static final String METRIC = "negative_phone_loss";

  private final FoundationModel model;
  private final PhoneHeads heads;
  private final Map<Path, PhoneTargets.Entry> targets;
  private final int[] depths;
  private final double[] weights;
  private final SpanMasking masking;
  private final UtteranceMixing mixing;
  private final long evaluationSeed;
  private final double frontEndGradientScale;
  private final double characterWeight;
  private final Map<String, NDArray> parameters;
  private final int hop;
  private final int window;
  private final CtcLoss ctc = new CtcLoss(0, true, CtcLoss.Reduction.MEAN);

  /**
   * @param depths supervised layers, 1-based, ascending, the last one the top layer
   * @param weights each depth's loss weight
   * @param mixing overlaps added to training utterances (WavLM's denoising), or none
   * @param frontEndGradientScale 0 keeps the conv feature encoder frozen; in (0, 1] trains it
   *     with its gradient scaled by this
   * @param characterWeight at each depth, the character CTC loss's weight next to the phone
   *     losses' 1 (0: no character targets; more needs heads with a character head)
   */
  PhonePretraining(FoundationModel model, PhoneHeads heads, Map<Path, PhoneTargets.Entry> targets,
      int[] depths, double[] weights, SpanMasking masking, UtteranceMixing mixing,
      long evaluationSeed, double frontEndGradientScale, double characterWeight) {
    if (!(frontEndGradientScale >= 0 && frontEndGradientScale <= 1)) {
      throw new IllegalArgumentException("the front end's gradient scale must be in [0, 1], got "
          + frontEndGradientScale);
    }
    if (!(characterWeight >= 0) || (characterWeight > 0 && !heads.hasCharacterHead())) {
      throw new IllegalArgumentException("the character loss weight must be at least 0, and "
          + "above 0 only with a character head, got " + characterWeight);
    }
    if (depths.length == 0 || depths.length != weights.length) {
      throw new IllegalArgumentException("give one weight per supervised layer");
    }
    for (int i = 0; i < depths.length; i++) {
      if (depths[i] < 1 || depths[i] > model.layerCount() || (i > 0 && depths[i] <= depths[i - 1])) {
        throw new IllegalArgumentException("supervised layers must ascend within 1.."
            + model.layerCount() + ", got " + Arrays.toString(depths));
      }
    }
    this.model = model;
    this.heads = heads;
    this.targets = targets;
    this.depths = depths.clone();
    this.weights = weights.clone();
    this.masking = masking;
    this.mixing = mixing;
    this.evaluationSeed = evaluationSeed;
    this.frontEndGradientScale = frontEndGradientScale;
    this.characterWeight = characterWeight;
    this.hop = hop(model);
    this.window = receptiveField(model);
    Map<String, NDArray> all = new LinkedHashMap<>();
    model.parameters().forEach((name, p) -> {
      if (frontEndGradientScale > 0 || !model.featureEncoderParameterNames().contains(name)) {
        all.put(name, p);
      }
    });
    all.putAll(heads.parameters());
    this.parameters = Collections.unmodifiableMap(all);
  }

  /** Samples between the starts of two encoder frames. */
  static int hop(FoundationModel model) {
    int hop = 1;
    for (int stride : model.config().convStride()) {
      hop *= stride;
    }
    return hop;
  }

  /** Samples one encoder frame sees. */
  static int receptiveField(FoundationModel model) {
    List<Integer> kernels = model.config().convKernel();
    List<Integer> strides = model.config().convStride();
    int field = 1;
    int jump = 1;
    for (int i = 0; i < kernels.size(); i++) {
      field += (kernels.get(i) - 1) * jump;
      jump *= strides.get(i);
    }
    return field;
  }

  @Override
  public Map<String, NDArray> parameters() {
    return parameters;
  }

  @Override
  public StepOutput step(Batch batch, NDManager manager, Random random) {
    Result r = run(batch, manager, random, true);
    Map<String, Double> log = new LinkedHashMap<>();
    int top = depths.length - 1;
    // A batch of espeak-ng utterances only has no frame labels: its log says nothing of them.
    if (r.frames > 0) {
      log.put("frame_loss", r.frameLoss[top]);
      log.put("frame_accuracy", r.accuracy(top));
      if (depths.length > 1) {
        log.put("frame_accuracy_layer_" + depths[0], r.accuracy(0));
      }
    }
    log.put("ctc_loss", r.ctcLoss[top]);
    if (characterWeight > 0) {
      log.put("character_ctc_loss", r.characterLoss[top]);
    }
    log.put("masked_share", r.maskedShare);
    return new StepOutput(r.loss, parameters.keySet(), log);
  }

  private static final class Result {
    NDArray loss;
    double[] frameLoss;
    double[] ctcLoss;
    double[] characterLoss;
    /** Greedy character decodes at the top depth, when characters are trained. */
    String[] spelled;
    long[] correct;
    long frames;
    double maskedShare;

    double accuracy(int depth) {
      return frames == 0 ? Double.NaN : correct[depth] / (double) frames;
    }
  }

  private Result run(Batch batch, NDManager manager, Random random, boolean mask) {
    int size = batch.size();
    int frames = model.frames(batch.maxLength());
    int[] frameLengths = new int[size];
    for (int b = 0; b < size; b++) {
      frameLengths[b] = model.frames(batch.lengths()[b]);
    }
    boolean[][] masked = mask ? masking.sample(frameLengths, frames, random)
        : new boolean[size][frames];
    // Training batches only (mask is true exactly then): dev scores the clean utterances.
    NDArray waves = manager.create(mask ? mixing.mix(batch.audio(), batch.lengths(), random)
        : batch.audio());
    // Frozen: the conv parameters are not trained, so autograd never enters the front end.
    ModelOutput out = model.forwardMasked(waves, batch.lengths(), masked,
        frontEndGradientScale > 0 ? frontEndGradientScale : 1.0);

    float[] oneHot = new float[size * frames * PhoneTargets.INVENTORY.size()];
    int[] labels = new int[size * frames];
    Arrays.fill(labels, -1);
    int[][] sequences = new int[size][];
    int[][] characters = new int[size][];
    long labelled = 0;
    long maskedCount = 0;
    long valid = 0;
    for (int b = 0; b < size; b++) {
      PhoneTargets.Entry entry = entryOf(batch.utterances().get(b));
      List<String> sequence = entry.timed()
          ? entry.segments().stream().map(PhoneTargets.Segment::phone)
              .filter(p -> !p.equals("pau")).toList()
          : entry.sequence();
      sequences[b] = PhoneTargets.ctcTargets(sequence);
      if (characterWeight > 0) {
        characters[b] = characterTargets(batch.utterances().get(b));
      }
      for (int t = 0; t < frameLengths[b]; t++) {
        valid++;
        maskedCount += masked[b][t] ? 1 : 0;
      }
      if (entry.timed()) {
        int[] frameLabels = PhoneTargets.frameLabels(entry.segments(), frameLengths[b], hop,
            window, FoundationModel.SAMPLE_RATE);
        for (int t = 0; t < frameLabels.length; t++) {
          int row = b * frames + t;
          labels[row] = frameLabels[t];
          oneHot[row * PhoneTargets.INVENTORY.size() + frameLabels[t]] = 1;
          labelled++;
        }
      }
    }
    NDArray targetsArray = manager.create(oneHot,
        new Shape(size, frames, PhoneTargets.INVENTORY.size()));
    Result r = new Result();
    r.frameLoss = new double[depths.length];
    r.ctcLoss = new double[depths.length];
    r.characterLoss = new double[depths.length];
    r.correct = new long[depths.length];
    r.frames = labelled;
    r.maskedShare = valid == 0 ? 0 : maskedCount / (double) valid;
    double weightSum = 0;
    for (double w : weights) {
      weightSum += w;
    }
    NDArray total = null;
    for (int d = 0; d < depths.length; d++) {
      NDArray states = depths[d] == model.layerCount() ? out.lastHiddenState()
          : model.finish(out.hiddenStates().get(depths[d]));
      NDArray depthLoss = null;
      if (labelled > 0) {
        NDArray logits = heads.frameLogits(states);
        NDArray frameLoss = logits.logSoftmax(-1).mul(targetsArray).sum().neg()
            .div(Scalar.of(logits, labelled));
        r.frameLoss[d] = frameLoss.getFloat();
        long[] predicted = logits.argMax(-1).toLongArray();
        for (int row = 0; row < predicted.length; row++) {
          if (labels[row] >= 0 && predicted[row] == labels[row]) {
            r.correct[d]++;
          }
        }
        depthLoss = frameLoss;
      } else {
        r.frameLoss[d] = Double.NaN;
      }
      NDArray ctcLoss = ctcLoss(heads.ctcLogits(states), frameLengths, sequences, manager);
      r.ctcLoss[d] = ctcLoss.getFloat();
      depthLoss = depthLoss == null ? ctcLoss : depthLoss.add(ctcLoss);
      if (characterWeight > 0) {
        NDArray characterLogits = heads.characterLogits(states);
        NDArray characterLoss = ctcLoss(characterLogits, frameLengths, characters, manager);
        r.characterLoss[d] = characterLoss.getFloat();
        depthLoss = depthLoss.add(characterLoss.mul(Scalar.of(characterLoss, characterWeight)));
        if (d == depths.length - 1 && !mask) {
          r.spelled = greedy(characterLogits, frameLengths);
        }
      }
      NDArray weighted = depthLoss.mul(Scalar.of(depthLoss, weights[d] / weightSum));
      total = total == null ? weighted : total.add(weighted);
    }
    r.loss = total;
    return r;
  }

  /** CTC through the Java forward-backward, as a scalar whose gradient is the CTC gradient. */
  private NDArray ctcLoss(NDArray logits, int[] frameLengths, int[][] sequences,
      NDManager manager) {
    Shape shape = logits.getShape();
    NDArray logProbs = logits.logSoftmax(-1);
    CtcLoss.Result result = ctc.compute(logProbs.toFloatArray(), (int) shape.get(0),
        (int) shape.get(1), (int) shape.get(2), frameLengths, sequences);
    NDArray surrogate = logProbs.mul(manager.create(result.logitGradient(), shape)).sum();
    return surrogate.sub(surrogate.stopGradient()).add((float) result.loss());
  }

  /** Greedy CTC decodes of character logits [B, T, characters], each up to its frame length. */
  private static String[] greedy(NDArray logits, int[] frameLengths) {
    float[] scores = logits.toFloatArray();
    int frames = (int) logits.getShape().get(1);
    int classes = (int) logits.getShape().get(2);
    CtcGreedyDecoder decoder = new CtcGreedyDecoder(CharacterVocabulary.BLANK);
    String[] out = new String[frameLengths.length];
    for (int b = 0; b < out.length; b++) {
      float[] utterance = Arrays.copyOfRange(scores, b * frames * classes,
          (b * frames + frameLengths[b]) * classes);
      out[b] = CharacterVocabulary.decode(decoder.decode(utterance, classes, frameLengths[b]));
    }
    return out;
  }

  private static int[] characterTargets(Utterance utterance) {
    String transcript = utterance.entry().transcript();
    if (transcript == null || transcript.isBlank()) {
      throw new IllegalStateException(utterance.file() + " has no transcript; character targets "
          + "need one (corpora made by icld synth-phones have them)");
    }
    return CharacterVocabulary.encode(transcript);
  }

  private PhoneTargets.Entry entryOf(Utterance utterance) {
    PhoneTargets.Entry entry = targets.get(utterance.file().toAbsolutePath().normalize());
    if (entry == null) {
      throw new IllegalStateException(utterance.file() + " has no phone targets (is it from a "
          + "corpus made by icld synth-phones?)");
    }
    return entry;
  }

  /**
   * Frame accuracy, frame cross-entropy and CTC loss at every supervised depth, on dev utterances
   * without masking, with the character CTC loss and the top's greedy character and word error
   * rates when characters are trained; the score is minus the top's frame + CTC loss (frame terms
   * only where some dev utterance has phone times) + weighted character CTC loss.
   */
  @Override
  public Evaluation evaluate(BatchLoader dev) {
    int n = depths.length;
    double[] frameLoss = new double[n];
    double[] ctcLoss = new double[n];
    double[] characterLoss = new double[n];
    List<String> references = new ArrayList<>();
    List<String> spelled = new ArrayList<>();
    long[] correct = new long[n];
    long frames = 0;
    long utterances = 0;
    Iterator<Batch> batches = dev.epoch(0);
    while (batches.hasNext()) {
      Batch batch = batches.next();
      try (NDManager manager = Torch.newManager()) {
        Result r = run(batch, manager, new Random(evaluationSeed), false);
        for (int d = 0; d < n; d++) {
          if (r.frames > 0) {
            frameLoss[d] += r.frameLoss[d] * r.frames;
          }
          ctcLoss[d] += r.ctcLoss[d] * batch.size();
          characterLoss[d] += r.characterLoss[d] * batch.size();
          correct[d] += r.correct[d];
        }
        frames += r.frames;
        utterances += batch.size();
        if (r.spelled != null) {
          batch.utterances().forEach(u -> references.add(u.entry().transcript()));
          spelled.addAll(Arrays.asList(r.spelled));
        }
      }
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    for (int d = 0; d < n; d++) {
      String suffix = d == n - 1 ? "" : String.format(Locale.ROOT, "_layer_%d", depths[d]);
      if (frames > 0) {
        metrics.put("frame_accuracy" + suffix, correct[d] / (double) frames);
        metrics.put("frame_loss" + suffix, frameLoss[d] / frames);
      }
      metrics.put("ctc_loss" + suffix, ctcLoss[d] / Math.max(1, utterances));
      if (characterWeight > 0) {
        metrics.put("character_ctc_loss" + suffix, characterLoss[d] / Math.max(1, utterances));
      }
    }
    if (!spelled.isEmpty()) {
      metrics.put("character_error_rate", ErrorRates.cer(references, spelled));
      metrics.put("word_error_rate", ErrorRates.wer(references, spelled));
    }
    double score = -(metrics.getOrDefault("frame_loss", 0.0) + metrics.get("ctc_loss")
        + characterWeight * metrics.getOrDefault("character_ctc_loss", 0.0));
    return new Evaluation(METRIC, score, metrics);
  }
}
