package dev.icld.train;

import ai.djl.ndarray.NDArray;
import dev.icld.data.BatchLoader;
import dev.icld.data.BatchSampler;
import dev.icld.data.Corpus;
import dev.icld.data.LoadOptions;
import dev.icld.data.PhoneTargets;
import dev.icld.data.TargetKind;
import dev.icld.files.AtomicFiles;
import dev.icld.model.Checkpoints;
import dev.icld.model.FoundationModel;
import dev.icld.model.ModelConfig;
import dev.icld.model.io.DType;
import dev.icld.model.io.SafeTensors;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * A whole {@code icld pretrain-phones} run: the shards' speech (held-out speakers removed) and
 * phone targets; stage 1 starts the conv front end where log-mel starts
 * ({@link FrontEndDistillation}); stage 2 freezes it and trains the transformer on masked phone
 * prediction with deep supervision ({@link PhonePretraining}). Writes a Hugging Face model
 * directory (config.json, F16 model.safetensors), the phone heads and a CARD.md. Running it again
 * with the same request resumes; {@code init} continues an earlier model (stage 1 skipped, its
 * phone heads continued).
 */
public final class PhonePretrainingRun {
  static final String TRAINING_DIR = "training";
  static final String HEADS = "phone_heads.safetensors";
  static final String FRONT_END_MODEL = "front-end-model";
  static final double DEV_SHARE = 0.02;
  static final int MAX_DEV_UTTERANCES = 240;

  /**
   * @param shards corpus folders made by icld synth-phones
   * @param excludeSpeakersOf downstream corpora whose dev and test speakers must stay unheard
   * @param architecture the backbone (ignored with {@code init})
   * @param init a model to continue (null: random weights and stage 1)
   * @param frontEndSteps stage 1 optimizer steps
   * @param steps stage 2 optimizer steps (0: stage 1 only, its model to continue with --init)
   * @param depths supervised layers, ascending, ending at the top one
   * @param depthWeights each supervised layer's loss weight
   * @param maskProbability span-mask probability (spans of 10 frames)
   * @param mixProbability chance that a training utterance gets another one's speech over part
   *     of it (WavLM's utterance mixing; 0: off)
   * @param frontEndGradientScale stage 2: 0 freezes the conv front end, more trains it with its
   *     gradient scaled
   * @param characterWeight stage 2: weight of the transcript's character CTC loss at each
   *     supervised layer, next to the phone losses' 1 (0: phones only)
   * @param checkpointEvery optimizer steps between checkpoints (and at every epoch's end)
   */
  public record Request(List<Path> shards, List<Path> excludeSpeakersOf, Path out,
      ModelConfig architecture, Path init, int frontEndSteps, int steps, double batchSeconds,
      double frontEndLearningRate, double learningRate, int[] depths, double[] depthWeights,
      double maskProbability, double mixProbability, double frontEndGradientScale,
      double characterWeight, int checkpointEvery, long seed, String command) {
    public Request {
      if (checkpointEvery < 1) {
        throw new IllegalArgumentException("--checkpoint-every must be positive, got "
            + checkpointEvery);
      }
      shards = List.copyOf(shards);
      excludeSpeakersOf = List.copyOf(excludeSpeakersOf);
      if (shards.isEmpty()) {
        throw new IllegalArgumentException("give at least one --data shard");
      }
      if (steps < 0 || frontEndSteps < 0 || steps + frontEndSteps == 0) {
        throw new IllegalArgumentException("--max-steps and --front-end-steps must be at least 0,"
            + " and one of them positive");
      }
      if (!(batchSeconds > 0) || !(learningRate > 0) || !(frontEndLearningRate > 0)) {
        throw new IllegalArgumentException("batch seconds and learning rates must be positive");
      }
      if (!(maskProbability >= 0 && maskProbability <= 1)) {
        throw new IllegalArgumentException("--mask-prob must be in [0, 1], got " + maskProbability);
      }
      if (!(mixProbability >= 0 && mixProbability <= 1)) {
        throw new IllegalArgumentException("--mix-prob must be in [0, 1], got " + mixProbability);
      }
      if (!(characterWeight >= 0)) {
        throw new IllegalArgumentException("--character-weight must be at least 0, got "
            + characterWeight);
      }
      if (depths.length != depthWeights.length) {
        throw new IllegalArgumentException("--supervised-layers and --layer-weights need as many"
            + " values each");
      }
    }
  }

  private final PrintWriter out;

  public PhonePretrainingRun(PrintWriter out) {
    this.out = out;
  }

  public void run(Request request) throws IOException {
    Path trainingDir = request.out().resolve(TRAINING_DIR);
    HeldOutSpeakers heldOut = HeldOutSpeakers.of(request.excludeSpeakersOf());
    PretrainingData data = PretrainingData.select(request.shards(), heldOut, DEV_SHARE,
        MAX_DEV_UTTERANCES, request.seed());
    out.println("data: " + data.summary());
    Path dataDir = trainingDir.resolve("data");
    data.write(dataDir);
    Map<Path, PhoneTargets.Entry> targets = new HashMap<>();
    for (Path shard : request.shards()) {
      targets.putAll(PhoneTargets.read(shard));
    }
    long timed = targets.values().stream().filter(PhoneTargets.Entry::timed).count();
    out.printf(Locale.ROOT, "targets: %d utterances with phone times, %d with phone sequences%n",
        timed, targets.size() - timed);
    Corpus train = Corpus.load(dataDir.resolve(PretrainingData.TRAIN),
        LoadOptions.of(TargetKind.NONE));
    Corpus dev = Corpus.load(dataDir.resolve(PretrainingData.DEV), LoadOptions.of(TargetKind.NONE));
    out.flush();

    Path frontEndModel = trainingDir.resolve(FRONT_END_MODEL);
    TrainingSummary frontEnd = null;
    if (request.init() == null && request.frontEndSteps() > 0
        && !request.architecture().logMelFrontEnd()
        && !Files.exists(frontEndModel.resolve("config.json"))) {
      try (FoundationModel model = Checkpoints.randomlyInitialised(request.architecture(),
              request.seed());
          FrontEndDistillation objective = new FrontEndDistillation(model, request.seed());
          BatchLoader trainLoader = loader(train, request, true);
          BatchLoader devLoader = loader(dev, request, false)) {
        out.println("stage 1: the conv front end learns log-mel ("
            + request.frontEndSteps() + " steps)");
        out.flush();
        frontEnd = new Trainer(out).fit(objective, trainLoader, devLoader,
            trainingDir.resolve("front-end"), options(request.frontEndSteps(),
                request.frontEndLearningRate(), request, trainLoader));
        Checkpoints.save(model, frontEndModel, DType.F32);
      }
    }
    if (request.steps() == 0) {
      out.println("stage 1 only (--max-steps 0): the front end is in " + frontEndModel
          + "; continue with --init " + frontEndModel);
      return;
    }
    Path start = request.init() != null ? request.init()
        : Files.exists(frontEndModel.resolve("config.json")) ? frontEndModel : null;
    try (FoundationModel model = start == null
            ? Checkpoints.randomlyInitialised(request.architecture(), request.seed())
            : Checkpoints.load(start);
        PhoneHeads heads = phoneHeads(request, model);
        BatchLoader trainLoader = loader(train, request, true);
        BatchLoader devLoader = loader(dev, request, false)) {
      PhonePretraining objective = new PhonePretraining(model, heads, targets, request.depths(),
          request.depthWeights(), new SpanMasking(request.maskProbability(), 10, 0),
          new UtteranceMixing(request.mixProbability()),
          request.seed(), request.frontEndGradientScale(), request.characterWeight());
      out.println("stage 2: masked phone prediction at layers "
          + Arrays.toString(request.depths())
          + (request.characterWeight() > 0
              ? ", and characters (weight " + request.characterWeight() + ")" : "")
          + " (" + request.steps() + " steps)");
      out.flush();
      TrainingSummary summary = new Trainer(out).fit(objective, trainLoader, devLoader,
          trainingDir.resolve("phones"), options(request.steps(), request.learningRate(),
              request, trainLoader));
      Checkpoints.save(model, request.out(), DType.F16);
      SafeTensors.write(trainingDir.resolve(HEADS), heads.tensors());
      AtomicFiles.writeString(request.out().resolve("PRETRAINING.md"),
          card(request, data, timed, targets.size() - timed, model, frontEnd, summary));
      out.printf(Locale.ROOT, "wrote %s (model.safetensors %.1f MB); log %s%n", request.out(),
          Files.size(request.out().resolve("model.safetensors")) / 1e6,
          request.out().resolve("PRETRAINING.md"));
    }
  }

  private PhoneHeads phoneHeads(Request request, FoundationModel model) throws IOException {
    int hidden = model.config().hiddenSize();
    boolean characters = request.characterWeight() > 0;
    Random random = new Random(request.seed());
    if (request.init() != null) {
      Path saved = request.init().resolve(TRAINING_DIR).resolve(HEADS);
      if (Files.exists(saved)) {
        PhoneHeads heads = PhoneHeads.fromTensors(SafeTensors.read(saved), hidden, characters,
            random);
        out.println("phone heads: continued from " + saved);
        return heads;
      }
    }
    return PhoneHeads.initialise(hidden, characters, random);
  }

  private static BatchLoader loader(Corpus corpus, Request request, boolean training) {
    return new BatchLoader(corpus, null, training
        ? BatchSampler.Options.training(0, request.batchSeconds(), request.seed())
        : BatchSampler.Options.evaluation(0, request.batchSeconds()), training ? 2 : 0);
  }

  private static TrainerOptions options(int steps, double learningRate, Request request,
      BatchLoader train) {
    int perEpoch = train.plan(0).size();
    return TrainerOptions.defaults()
        .withEpochs((steps + perEpoch - 1) / perEpoch)
        .withMaxSteps(steps)
        .withLearningRate(learningRate)
        .withWarmupFraction(0.05)
        .withMaxGradNorm(1.0)
        .withCheckpointEvery(request.checkpointEvery())
        .withSeed(request.seed());
  }

  private static String card(Request request, PretrainingData data, long timed, long sequences,
      FoundationModel model, TrainingSummary frontEnd, TrainingSummary summary) {
    ModelConfig c = model.config();
    long parameters = model.parameters().values().stream().mapToLong(NDArray::size).sum();
    StringBuilder s = new StringBuilder();
    s.append("# Phone-target pretraining log\n\n```\n").append(request.command())
        .append("\n```\n\n");
    s.append("- data: ").append(data.summary()).append('\n');
    s.append(String.format(Locale.ROOT, "- targets: %d utterances with phone times (frame "
        + "labels and CTC), %d with phone sequences only (CTC)%n", timed, sequences));
    String frontEndKind = c.logMelFrontEnd()
        ? "log-mel front end, " + c.convDim().get(0) + " mel bins"
        : "conv " + c.convDim();
    s.append(String.format(Locale.ROOT, "- model: %s, %d layers (%s), hidden %d, %d heads, FFN "
        + "%d, %s; %,d parameters%n", c.modelType().id(), c.numHiddenLayers(), c.variant(),
        c.hiddenSize(), c.numAttentionHeads(), c.intermediateSize(), frontEndKind, parameters));
    if (request.init() != null) {
      s.append("- continued from ").append(request.init()).append('\n');
    }
    if (frontEnd != null) {
      s.append(String.format(Locale.ROOT, "- stage 1 (conv front end regresses 80-bin log-mel):"
          + " %d steps in %.1f min, dev %s%n", frontEnd.steps(), frontEnd.trainSeconds() / 60,
          frontEnd.best() == null ? "-" : frontEnd.best().metrics()));
    }
    s.append(String.format(Locale.ROOT, "- stage 2 (masked phone prediction%s, span mask p=%.2f, "
        + "utterance mixing p=%.2f, supervised layers %s with weights %s, conv front end %s): %d "
        + "steps in %.1f min (stopped: %s)%n",
        request.characterWeight() > 0 ? String.format(Locale.ROOT,
            " and the transcript's characters by CTC, weight %.2f", request.characterWeight()) : "",
        request.maskProbability(),
        request.mixProbability(), Arrays.toString(request.depths()),
        Arrays.stream(request.depthWeights()).mapToObj(w -> String.format(Locale.ROOT, "%.2f", w))
            .collect(Collectors.joining(", ", "[", "]")),
        c.logMelFrontEnd() ? "fixed (log-mel)"
            : request.frontEndGradientScale() > 0
            ? String.format(Locale.ROOT, "trained, gradient x %.2f", request.frontEndGradientScale())
            : "frozen",
        summary.steps(), summary.trainSeconds() / 60, summary.stopReason()));
    if (summary.best() != null) {
      s.append("- dev at step ").append(summary.bestStep()).append(": ");
      summary.best().metrics().forEach((k, v) ->
          s.append(String.format(Locale.ROOT, "%s %.4f; ", k, v)));
      s.append('\n');
    }
    s.append("- every step: training/phones/metrics.jsonl\n");
    return s.toString();
  }
}
