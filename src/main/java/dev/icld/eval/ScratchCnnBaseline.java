package dev.icld.eval;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.icld.data.Batch;
import dev.icld.data.BatchLoader;
import dev.icld.data.BatchSampler;
import dev.icld.data.Corpus;
import dev.icld.data.LabelVocabulary;
import dev.icld.data.ProgressBar;
import dev.icld.files.FileDigests;
import dev.icld.files.RunSettings;
import dev.icld.inference.OutputDecoder;
import dev.icld.metrics.ClassificationMetrics;
import dev.icld.metrics.Outcome;
import dev.icld.model.LogMelCnn;
import dev.icld.model.Torch;
import dev.icld.train.Evaluation;
import dev.icld.train.ScratchCnnTraining;
import dev.icld.train.Trainer;
import dev.icld.train.TrainingSummary;
import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scratch-cnn reference of icld eval: a {@link LogMelCnn} trained from scratch on the
 * corpus's train split with a fixed recipe and seed (the best dev epoch kept), then run on the
 * test set one utterance at a time like the layer-dropping methods. It shows what the foundation
 * model buys; it has no budget and drops no layers.
 *
 * <p>It is trained once per corpus: its directory keeps the network, the trainer's run (resumed
 * if interrupted) and the settings it was trained with (the recipe and the SHA-256 of train.jsonl
 * and dev.jsonl). A later eval with the same settings reuses the network; other settings are
 * refused rather than silently mixed.
 */
public final class ScratchCnnBaseline {
  public static final String METHOD = "scratch-cnn";
  /** Its line in the report's plots. */
  public static final Color COLOUR = new Color(0, 140, 140);
  private static final String RUN_DIR = "training";

  /** A split of the corpus, its labels checked against {@code labels} (null: the train split). */
  @FunctionalInterface
  public interface Splits {
    Corpus load(String split, LabelVocabulary labels) throws IOException;
  }

  private final Path dir;
  private final Path data;
  private final Splits splits;
  private final ScratchCnnTraining.Recipe recipe;
  private final PrintWriter out;

  /**
   * @param dir where the network is trained and kept
   * @param data the corpus directory (train.jsonl and dev.jsonl)
   * @param out where training and reuse are reported (progress bars go to stderr)
   */
  public ScratchCnnBaseline(Path dir, Path data, Splits splits, ScratchCnnTraining.Recipe recipe,
      PrintWriter out) {
    this.dir = dir;
    this.data = data;
    this.splits = splits;
    this.recipe = recipe;
    this.out = out;
  }

  /** Why it cannot run on this corpus, or null when it can. */
  String unavailable() {
    for (String split : List.of("train", "dev")) {
      if (!Files.isRegularFile(data.resolve(split + ".jsonl"))) {
        return "needs train.jsonl and dev.jsonl in " + data + " to train on";
      }
    }
    return null;
  }

  /** Trains the network (or reuses the one trained earlier) and runs it on the test set. */
  ReferenceResult run(Corpus test, MethodComparison.Options options) throws IOException {
    RunSettings.guard(dir, settings(), "a scratch-cnn",
        "delete it, or give icld eval another --scratch-cnn directory");
    boolean reused = LogMelCnn.existsIn(dir);
    try (LogMelCnn cnn = reused ? LogMelCnn.load(dir) : train()) {
      JsonObject training = trainingRecord();
      out.printf("scratch-cnn  %s %s: dev accuracy %.4f (epoch %d of %d), trained in %.1f s%n",
          reused ? "reusing" : "trained", dir, training.get("dev_accuracy").getAsDouble(),
          training.get("best_epoch").getAsInt(), training.get("epochs").getAsInt(),
          training.get("train_seconds").getAsDouble());
      out.flush();
      return evaluate(cnn, test, options, training, reused);
    }
  }

  /** The recipe and the manifests' digests: what makes a trained network reusable. */
  private String settings() throws IOException {
    return String.format("recipe %s, network %d mel bins, channels %s, train.jsonl sha256 %s, "
        + "dev.jsonl sha256 %s", recipe, LogMelCnn.MEL_BINS, LogMelCnn.CHANNELS,
        FileDigests.sha256(data.resolve("train.jsonl")),
        FileDigests.sha256(data.resolve("dev.jsonl")));
  }

  private LogMelCnn train() throws IOException {
    Corpus train = splits.load("train", null);
    LabelVocabulary labels = LabelVocabulary.fromTraining(train.utterances());
    Corpus dev = splits.load("dev", labels);
    out.printf("scratch-cnn  training in %s: train %d (%.1f min), dev %d, %d classes%n", dir,
        train.size(), train.totalSeconds() / 60, dev.size(), labels.size());
    out.flush();
    LogMelCnn cnn = LogMelCnn.initialise(labels, recipe.seed());
    try (BatchLoader trainLoader = new BatchLoader(train, labels,
            BatchSampler.Options.training(recipe.batchUtterances(), 0, recipe.seed()), 0);
        BatchLoader devLoader = new BatchLoader(dev, labels,
            BatchSampler.Options.evaluation(64, 0), 0)) {
      TrainingSummary summary = new Trainer(out).fit(
          new ScratchCnnTraining(cnn, loader -> accuracy(cnn, loader)), trainLoader,
          devLoader, dir.resolve(RUN_DIR), recipe.trainerOptions());
      JsonObject training = recipe.toJson();
      training.addProperty("train_utterances", train.size());
      training.addProperty("dev_utterances", dev.size());
      training.addProperty("dev_accuracy", summary.best().metrics().get("accuracy"));
      training.addProperty("dev_macro_f1", summary.best().metrics().get("macro_f1"));
      // Dev evaluations come at epoch ends, so the best step is a whole number of epochs.
      training.addProperty("best_epoch", summary.bestStep() / trainLoader.plan(0).size());
      training.addProperty("steps", summary.steps());
      training.addProperty("train_seconds", summary.trainSeconds());
      JsonObject extra = new JsonObject();
      extra.add("training", training);
      cnn.save(dir, extra);
      return cnn;
    } catch (IOException | RuntimeException e) {
      cnn.close();
      throw e;
    }
  }

  /** How the network in the directory was trained, as recorded beside it. */
  private JsonObject trainingRecord() throws IOException {
    Path config = dir.resolve(LogMelCnn.CONFIG);
    try {
      return JsonParser.parseString(Files.readString(config, StandardCharsets.UTF_8))
          .getAsJsonObject().getAsJsonObject("training").deepCopy();
    } catch (JsonParseException | IllegalStateException | ClassCastException e) {
      throw new IOException(config + ": no training record: " + e.getMessage());
    }
  }

  /** Dev accuracy (and macro-F1) of the current parameters, in batches, without augmentation. */
  private static Evaluation accuracy(LogMelCnn cnn, BatchLoader loader) {
    List<Integer> labels = new ArrayList<>();
    List<Integer> predictions = new ArrayList<>();
    try (NDManager root = Torch.newManager()) {
      for (int[] indices : loader.plan(0)) {
        Batch batch = loader.load(indices);
        List<float[][]> features = new ArrayList<>();
        for (int b = 0; b < batch.size(); b++) {
          features.add(cnn.features(Arrays.copyOf(batch.audio()[b], batch.lengths()[b])));
        }
        try (NDManager manager = root.newSubManager()) {
          float[] scores = cnn.logits(features, manager).toFloatArray();
          int classes = cnn.labels().size();
          for (int b = 0; b < batch.size(); b++) {
            labels.add(batch.labels()[b]);
            predictions.add(OutputDecoder.argmax(scores, b * classes, classes));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
    int[] p = predictions.stream().mapToInt(Integer::intValue).toArray();
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("accuracy", ClassificationMetrics.accuracy(y, p));
    metrics.put("macro_f1", ClassificationMetrics.macroF1(y, p, cnn.labels().size()));
    return new Evaluation("accuracy", metrics.get("accuracy"), metrics);
  }


  /**
   * Each test utterance alone, timed from the waveform (features included) to the label, after
   * the same untimed warm-up as the other methods.
   */
  private ReferenceResult evaluate(LogMelCnn cnn, Corpus test, MethodComparison.Options options,
      JsonObject training, boolean reused) throws IOException {
    List<Outcome> outcomes = new ArrayList<>();
    long flops = 0;
    double seconds = 0;
    try (NDManager root = Torch.newManager();
        ProgressBar bar = new ProgressBar("eval " + METHOD, test.size())) {
      for (int u = 0; u < Math.min(options.warmup(), test.size()); u++) {
        classify(cnn, test.samples(u), root);
      }
      for (int u = 0; u < test.size(); u++) {
        float[] samples = test.samples(u);
        long start = System.nanoTime();
        String predicted = classify(cnn, samples, root);
        long nanos = System.nanoTime() - start;
        outcomes.add(new Outcome(u, new boolean[0], 0,
            predicted.equals(test.get(u).entry().label()), null, null, nanos));
        flops += cnn.flops(samples.length);
        seconds += test.get(u).durationSeconds();
        bar.step();
      }
    }
    UtteranceRatios ratios = UtteranceRatios.of(outcomes, "accuracy", test.size(), METHOD);
    double[] interval = Bootstrap.interval(ratios.numerators(), ratios.denominators(),
        options.resamples(), 0.95, options.seed() * 1_000_003L + 131L * METHOD.hashCode());
    long[] sorted = outcomes.stream().mapToLong(Outcome::nanos).sorted().toArray();
    double medianNanos = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2.0;
    return new ReferenceResult(METHOD, ratios.ratio(), interval, cnn.parameterCount(),
        flops / seconds / 1e9, medianNanos / 1e6, dir, training, reused, outcomes);
  }

  private static String classify(LogMelCnn cnn, float[] samples, NDManager root) {
    try (NDManager manager = root.newSubManager()) {
      float[] scores =
          cnn.logits(List.<float[][]>of(cnn.features(samples)), manager).toFloatArray();
      return cnn.labels().label(OutputDecoder.argmax(scores, 0, scores.length));
    }
  }
}
