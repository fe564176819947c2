package dev.icld.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.icld.data.Batch;
import dev.icld.data.BatchLoader;
import dev.icld.data.BatchSampler;
import dev.icld.data.Corpus;
import dev.icld.data.LoadOptions;
import dev.icld.data.TargetKind;
import dev.icld.files.AtomicFiles;
import dev.icld.model.Checkpoints;
import dev.icld.model.FoundationModel;
import dev.icld.model.LogMelFrontEnd;
import dev.icld.model.ModelConfig;
import dev.icld.model.ModelType;
import dev.icld.model.Torch;
import dev.icld.model.io.DType;
import dev.icld.model.io.SafeTensors;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A whole {@code icld pretrain} run: the unlabelled speech (held-out speakers removed), k-means
 * targets, HuBERT masked-prediction training on the {@link Trainer}, and the model directory
 * (config.json + F16 model.safetensors in Hugging Face naming, the k-means model, the training
 * log and a CARD.md). Running it again with the same request resumes from the last checkpoint.
 */
public final class Pretraining {
  /** Where the run keeps its data manifests, target cache, checkpoints and metrics. */
  public static final String TRAINING_DIR = "training";
  static final String KMEANS = "kmeans.safetensors";
  static final String HEAD = "pretraining_head.safetensors";
  static final String CARD = "CARD.md";
  /** fairseq HuBERT Base's peak learning rate. */
  public static final double DEFAULT_LEARNING_RATE = 5e-4;
  static final double WARMUP_FRACTION = 0.08;
  static final double MAX_GRADIENT_NORM = 10;
  static final int MAX_FIT_FRAMES = 200_000;
  static final int KMEANS_ITERATIONS = 50;
  static final double DEV_SHARE = 0.02;
  static final int MAX_DEV_UTTERANCES = 200;
  /** Steps timed (after one warm-up step) to turn a time limit into a step count. */
  private static final int CALIBRATION_STEPS = 3;

  /**
   * What to pretrain.
   *
   * @param data corpus directories (their train.jsonl) or manifests of unlabelled speech
   * @param excludeSpeakersOf corpora whose test and dev speakers must not be trained on
   * @param out the model directory to write
   * @param architecture the backbone (ignored with {@code init})
   * @param init a model to start from instead of random weights (null for none)
   * @param targetsFromLayer 0 for MFCC targets; else cluster this layer of {@code init}
   * @param clusters k-means clusters
   * @param maxSteps optimizer steps (0 when {@code maxMinutes} decides)
   * @param maxMinutes training time to fill, turned into steps by timing a few (0 when
   *     {@code maxSteps} decides)
   * @param batchSeconds most padded audio per batch
   * @param learningRate the peak learning rate
   * @param seed every random choice of the run
   * @param command the command line, for the card
   */
  public record Request(List<Path> data, List<Path> excludeSpeakersOf, Path out,
      ModelConfig architecture, Path init, int targetsFromLayer, int clusters, int maxSteps,
      double maxMinutes, double batchSeconds, double learningRate, long seed, String command) {
    public Request {
      data = List.copyOf(data);
      excludeSpeakersOf = List.copyOf(excludeSpeakersOf);
      if (data.isEmpty()) {
        throw new IllegalArgumentException("give at least one --data corpus");
      }
      if ((maxSteps > 0) == (maxMinutes > 0)) {
        throw new IllegalArgumentException("give exactly one of --max-steps and --max-minutes");
      }
      if (maxSteps < 0 || maxMinutes < 0 || !(batchSeconds > 0) || !(learningRate > 0)) {
        throw new IllegalArgumentException(
            "steps, minutes, batch seconds and learning rate must be positive");
      }
      if (targetsFromLayer < 0 || (targetsFromLayer > 0 && init == null)) {
        throw new IllegalArgumentException("--targets-from-layer needs --init (the model whose "
            + "layer is clustered)");
      }
    }
  }

  /**
   * The embedded default: HuBERT Base's conv stack and transformer, narrowed, in HuBERT's layout
   * or WavLM's (the same, plus a gated relative position bias); post-LN layers as in Base, or
   * pre-LN ("stable layer norm", as in Large), which trains faster from scratch.
   */
  public static ModelConfig defaultArchitecture(ModelType type, int hidden, int layers, int heads,
      int convChannels, boolean preLayerNorm) {
    return new ModelConfig(type, hidden, layers, heads, 4 * hidden, "gelu", "gelu",
        List.of(convChannels, convChannels, convChannels, convChannels, convChannels,
            convChannels, convChannels),
        List.of(10, 3, 3, 3, 3, 2, 2), List.of(5, 2, 2, 2, 2, 2, 2), false, "group", 128, 16,
        preLayerNorm, 1e-5, true, 320, 800);
  }

  /**
   * The same transformer on icld's log-mel front end ({@link LogMelFrontEnd}): 25 ms windows every
   * 20 ms (the conv stack's frame grid), {@code mels} filters, projected without a layer norm so
   * that frame energy reaches the encoder.
   */
  public static ModelConfig logMelArchitecture(ModelType type, int hidden, int layers, int heads,
      int mels, boolean preLayerNorm) {
    return new ModelConfig(type, hidden, layers, heads, 4 * hidden, "gelu", "gelu",
        List.of(mels), List.of(400), List.of(320), false, "group", 128, 16, preLayerNorm, 1e-5,
        false, 320, 800, ModelConfig.LOG_MEL_FRONT_END);
  }

  private final PrintWriter out;

  public Pretraining(PrintWriter out) {
    this.out = out;
  }

  public void run(Request request) throws IOException {
    long start = System.nanoTime();
    Path trainingDir = request.out().resolve(TRAINING_DIR);
    Path dataDir = trainingDir.resolve("data");
    HeldOutSpeakers heldOut = HeldOutSpeakers.of(request.excludeSpeakersOf());
    PretrainingData data = PretrainingData.select(request.data(), heldOut, DEV_SHARE,
        MAX_DEV_UTTERANCES, request.seed());
    out.println("held out " + heldOut.speakers().size() + " speakers of "
        + heldOut.manifests().size() + " dev/test manifests");
    out.println("data: " + data.summary());
    data.write(dataDir);
    Corpus train = Corpus.load(dataDir.resolve(PretrainingData.TRAIN),
        LoadOptions.of(TargetKind.NONE));
    Corpus dev = Corpus.load(dataDir.resolve(PretrainingData.DEV), LoadOptions.of(TargetKind.NONE));

    try (FoundationModel model = request.init() == null
            ? Checkpoints.randomlyInitialised(request.architecture(), request.seed())
            : Checkpoints.load(request.init())) {
      FrameFeatures features = request.targetsFromLayer() == 0
          ? new MfccFrameFeatures()
          : new LayerFrameFeatures(model, request.targetsFromLayer(), request.init().toString());
      ClusterTargets targets = ClusterTargets.build(train, dev, features,
          new ClusterTargets.Options(request.clusters(), MAX_FIT_FRAMES, KMEANS_ITERATIONS,
              request.seed()),
          trainingDir.resolve("targets"));
      out.printf(Locale.ROOT, "targets: %s, %d clusters (%s), %d in use%n",
          features.description(), targets.clusters(), targets.fromCache() ? "cached" : "fitted",
          countUsed(targets.clusterShares()));
      targets.saveKMeans(request.out().resolve(KMEANS));

      try (MaskedPredictionHead head = predictionHead(request, model, targets);
          BatchLoader trainLoader = new BatchLoader(train, null,
              BatchSampler.Options.training(0, request.batchSeconds(), request.seed()), 2);
          BatchLoader devLoader = new BatchLoader(dev, null,
              BatchSampler.Options.evaluation(0, request.batchSeconds()), 0)) {
        HubertPretraining objective = new HubertPretraining(model, head, targets,
            SpanMasking.hubert(), request.seed());
        int steps = request.maxSteps();
        double secondsPerStep = Double.NaN;
        if (steps == 0) {
          secondsPerStep = timeSteps(objective, trainLoader, request.seed());
          double left = request.maxMinutes() * 60 - (System.nanoTime() - start) / 1e9;
          // A little kept back for the dev evaluations and the final save.
          steps = Math.max(1, (int) (0.95 * left / secondsPerStep));
          out.printf(Locale.ROOT, "timing: %.2f s per step: %d steps fill %.1f minutes%n",
              secondsPerStep, steps, request.maxMinutes());
        }
        int batchesPerEpoch = trainLoader.plan(0).size();
        TrainerOptions options = TrainerOptions.defaults()
            .withEpochs((steps + batchesPerEpoch - 1) / batchesPerEpoch)
            .withMaxSteps(steps)
            .withLearningRate(request.learningRate())
            .withWarmupFraction(WARMUP_FRACTION)
            .withMaxGradNorm(MAX_GRADIENT_NORM)
            .withCheckpointEvery(100)
            .withSeed(request.seed());
        TrainingSummary summary =
            new Trainer(out).fit(objective, trainLoader, devLoader, trainingDir, options);
        Checkpoints.save(model, request.out(), DType.F16);
        SafeTensors.write(trainingDir.resolve(HEAD), head.tensors());
        String card = card(request, heldOut, data, features, targets, model, summary, options,
            secondsPerStep, trainingDir);
        AtomicFiles.writeString(request.out().resolve(CARD), card);
        out.printf(Locale.ROOT, "wrote %s (model.safetensors %.1f MB); card %s%n", request.out(),
            Files.size(request.out().resolve("model.safetensors")) / 1e6,
            request.out().resolve(CARD));
      }
    }
  }

  /**
   * The head of the --init run when this run continues it on the same targets (MFCC k-means
   * identical to the one it was pretrained on), so that continuing does not restart the head;
   * otherwise a new one.
   */
  private MaskedPredictionHead predictionHead(Request request, FoundationModel model,
      ClusterTargets targets) throws IOException {
    if (request.init() != null && request.targetsFromLayer() == 0) {
      Path initHead = request.init().resolve(TRAINING_DIR).resolve(HEAD);
      Path initKMeans = request.init().resolve(KMEANS);
      if (Files.exists(initHead) && Files.exists(initKMeans)
          && Files.mismatch(initKMeans, request.out().resolve(KMEANS)) == -1) {
        out.println("prediction head: continued from " + initHead);
        return MaskedPredictionHead.fromTensors(SafeTensors.read(initHead));
      }
    }
    return MaskedPredictionHead.initialise(model.config().hiddenSize(),
        MaskedPredictionHead.DEFAULT_DIMENSION, targets.clusters(), new Random(request.seed()));
  }

  private static int countUsed(double[] shares) {
    int used = 0;
    for (double s : shares) {
      used += s > 0 ? 1 : 0;
    }
    return used;
  }

  /**
   * Seconds per optimizer step, from a few forward/backward passes on the first batches of the
   * first epoch (after one untimed warm-up). Leaves every gradient at zero and every parameter
   * unchanged.
   */
  private static double timeSteps(HubertPretraining objective, BatchLoader train, long seed)
      throws IOException {
    Map<String, NDArray> parameters = objective.parameters();
    parameters.values().forEach(p -> p.setRequiresGradient(true));
    List<int[]> plan = train.plan(0);
    double seconds = 0;
    int timed = 0;
    try {
      for (int i = 0; i <= CALIBRATION_STEPS && i < plan.size(); i++) {
        long begin = System.nanoTime();
        Batch batch = train.load(plan.get(i));
        try (NDManager manager = Torch.newManager();
            GradientCollector collector = Torch.engine().newGradientCollector()) {
          collector.backward(objective.step(batch, manager, new Random(seed + i)).loss());
        }
        for (NDArray p : parameters.values()) {
          try (NDArray gradient = p.getGradient()) {
            gradient.subi(gradient);
          }
        }
        if (i > 0) {
          seconds += (System.nanoTime() - begin) / 1e9;
          timed++;
        }
      }
    } finally {
      parameters.values().forEach(p -> p.setRequiresGradient(false));
    }
    return timed == 0 ? Double.NaN : seconds / timed;
  }

  /** Mean masked loss and accuracy over the last {@code count} logged training steps. */
  private static double[] lastTrainingSteps(Path metrics, int count) throws IOException {
    List<JsonObject> steps = new ArrayList<>();
    for (String line : Files.readAllLines(metrics)) {
      JsonObject o = JsonParser.parseString(line).getAsJsonObject();
      if (o.get("event").getAsString().equals("step") && o.has("masked_loss")) {
        steps.add(o);
      }
    }
    List<JsonObject> last = steps.subList(Math.max(0, steps.size() - count), steps.size());
    double loss = last.stream().mapToDouble(o -> o.get("masked_loss").getAsDouble()).average()
        .orElse(Double.NaN);
    double accuracy = last.stream().mapToDouble(o -> o.get("masked_accuracy").getAsDouble())
        .average().orElse(Double.NaN);
    return new double[] {loss, accuracy, last.size()};
  }

  private static String card(Request request, HeldOutSpeakers heldOut, PretrainingData data,
      FrameFeatures features, ClusterTargets targets, FoundationModel model,
      TrainingSummary summary, TrainerOptions options, double secondsPerStep, Path trainingDir)
      throws IOException {
    ModelConfig c = model.config();
    long parameters = model.parameters().values().stream().mapToLong(NDArray::size).sum();
    double[] last = lastTrainingSteps(trainingDir.resolve(Trainer.METRICS), 20);
    StringBuilder s = new StringBuilder();
    s.append("# icld pretrained foundation model (HuBERT-style)\n\n");
    s.append("Rebuild it with:\n\n```\n").append(request.command()).append("\n```\n\n");
    s.append("A time limit (--max-minutes) is turned into a step count by timing steps on the "
        + "machine, so only a --max-steps run repeats exactly.\n\n");
    s.append("## Data\n\n");
    s.append("- sources: ").append(request.data()).append('\n');
    s.append("- speakers held out (every speaker of the dev and test splits of ")
        .append(request.excludeSpeakersOf()).append("): ").append(heldOut.speakers().size())
        .append('\n');
    s.append("- ").append(data.summary()).append('\n');
    s.append(String.format(Locale.ROOT, "- training audio: %.2f hours, %d utterances%n",
        data.trainHours(), data.train().size()));
    s.append("- manifests: training/data/train.jsonl, training/data/dev.jsonl\n\n");
    s.append("## Targets\n\n");
    s.append(String.format(Locale.ROOT, "- %s, k-means with %d clusters (%d in use) fitted on up "
        + "to %d frames, k-means++ seed %d; centroids in %s%n", features.description(),
        targets.clusters(), countUsed(targets.clusterShares()), MAX_FIT_FRAMES, request.seed(),
        KMEANS));
    s.append("- encoder frame t takes label floor(t * label rate / 50 Hz), frames past the last "
        + "label cropped (fairseq's HuBERT)\n\n");
    s.append("## Architecture\n\n");
    s.append(String.format(Locale.ROOT, "- model_type %s, %d %s transformer layers, hidden "
        + "%d, %d heads, FFN %d, conv channels %s, kernels %s, strides %s, group-norm conv "
        + "encoder, positional conv kernel %d in %d groups%n", c.modelType().id(),
        c.numHiddenLayers(), c.variant(), c.hiddenSize(), c.numAttentionHeads(), c.intermediateSize(),
        c.convDim(), c.convKernel(), c.convStride(), c.numConvPosEmbeddings(),
        c.numConvPosEmbeddingGroups()));
    s.append(String.format(Locale.ROOT, "- %,d parameters, stored as F16 in model.safetensors "
        + "(%.1f MB)%n%n", parameters,
        Files.size(request.out().resolve("model.safetensors")) / 1e6));
    s.append("## Training\n\n");
    s.append(String.format(Locale.ROOT, "- masked prediction (HuBERT): span masks p=0.8, length "
        + "10; cosine logits / 0.1 against learned cluster embeddings through a %d-d projection; "
        + "loss on masked frames only; feature penalty weight %.0f; conv encoder trained with "
        + "gradient x %.1f%n", MaskedPredictionHead.DEFAULT_DIMENSION,
        HubertPretraining.FEATURE_PENALTY_WEIGHT, HubertPretraining.FEATURE_GRADIENT_SCALE));
    s.append(String.format(Locale.ROOT, "- AdamW (0.9, 0.98, eps 1e-6, weight decay 0.01), peak "
        + "learning rate %.0e, %.0f%% linear warm-up then linear decay, gradient norm clipped at "
        + "%.0f, batches of at most %.0f s of padded audio%n", options.learningRate(),
        100 * options.warmupFraction(), options.maxGradNorm(), request.batchSeconds()));
    s.append(String.format(Locale.ROOT, "- %d steps over %d epochs in %.1f minutes (stopped: "
        + "%s)%s%n%n", summary.steps(), summary.epochs(), summary.trainSeconds() / 60,
        summary.stopReason(), Double.isNaN(secondsPerStep) ? ""
            : String.format(Locale.ROOT, "; timed at %.2f s per step", secondsPerStep)));
    s.append("## Results\n\n");
    s.append(String.format(Locale.ROOT, "- training, mean of the last %d steps: masked loss "
        + "%.4f, masked accuracy %.4f (chance %.4f)%n", (int) last[2], last[0], last[1],
        1.0 / targets.clusters()));
    if (summary.best() != null) {
      Map<String, Double> m = summary.best().metrics();
      s.append(String.format(Locale.ROOT, "- dev (kept, best of the evaluations): masked loss "
          + "%.4f, masked accuracy %.4f at step %d%n", m.get("masked_loss"),
          m.get("masked_accuracy"), summary.bestStep()));
    }
    s.append("- the full log: training/metrics.jsonl (one line per step and per dev "
        + "evaluation)\n");
    return s.toString();
  }
}
