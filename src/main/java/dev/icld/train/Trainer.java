package dev.icld.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.icld.data.Batch;
import dev.icld.data.BatchLoader;
import dev.icld.data.ProgressBar;
import dev.icld.files.AtomicFiles;
import dev.icld.files.FileDigests;
import dev.icld.model.Scalar;
import dev.icld.model.Torch;
import dev.icld.model.io.SafeTensors;
import dev.icld.model.io.TensorData;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Trains a {@link TrainingObjective}: AdamW with warm-up and decay, gradient accumulation and
 * clipping, dev evaluation at each epoch end with best-parameter keeping and early stopping, and
 * crash-safe checkpoints.
 *
 * <p>Resume is exact: a run restarted with the same arguments after being killed at any point
 * continues from its last checkpoint and ends with bit-identical parameters to a run that was
 * never interrupted. That holds because everything random is a function of saved state: batch
 * order of (seed, epoch) through the loader's sampler, the objective's randomness of (seed, step,
 * micro-batch), the learning rate of the step.
 *
 * <p>Files in the run directory: checkpoints/ (see {@link CheckpointStore}), metrics.jsonl (one
 * JSON object per optimizer step and per dev evaluation), best.safetensors (the trainable
 * parameters of the best dev evaluation) and, at the end, summary.json.
 */
public final class Trainer {
  static final String METRICS = "metrics.jsonl";
  static final String BEST = "best.safetensors";
  static final String SUMMARY = "summary.json";
  private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();

  private final PrintWriter out;

  /** A trainer that prints its summary on stdout. */
  public Trainer() {
    this(new PrintWriter(System.out, true));
  }

  /** A trainer that prints its summary to {@code out} (the progress bar stays on stderr). */
  public Trainer(PrintWriter out) {
    this.out = out;
  }

  /**
   * Trains until the epochs, the step limit or the patience run out, or resumes a run in
   * {@code runDir} where its last checkpoint left it. On return the objective's parameters hold
   * the best dev evaluation's values (the last values without a dev set).
   *
   * @param dev the dev set, or null to train without evaluation (no best keeping, no early stop)
   */
  public TrainingSummary fit(TrainingObjective objective, BatchLoader train, BatchLoader dev,
      Path runDir, TrainerOptions options) throws IOException {
    Files.createDirectories(runDir);
    Map<String, NDArray> parameters = objective.parameters();
    AdamW optimizer = new AdamW(options.adam());
    CheckpointStore store =
        new CheckpointStore(runDir.resolve("checkpoints"), options.keepCheckpoints());
    Path metricsFile = runDir.resolve(METRICS);
    TrainingState state = resumeOrStart(store, parameters, optimizer, metricsFile, out);
    if (state.globalStep > 0 && options.progress()) {
      out.printf("resuming     %s from its checkpoint at step %d (epoch %d)%n", runDir,
          state.globalStep, state.epoch + 1);
      out.flush();
    }
    if (state.stopReason != null) {
      return finish(state, parameters, runDir, options);
    }
    LearningRateSchedule schedule = schedule(train, options);
    LearningRateSchedule headSchedule = new LearningRateSchedule(options.headPeakRate(),
        schedule.warmupSteps(), schedule.totalSteps(), schedule.decay());
    Set<String> heads = objective.headParameterNames();
    for (NDArray p : parameters.values()) {
      p.setRequiresGradient(true);
    }
    long sessionStart = System.nanoTime();
    double secondsBefore = state.trainSeconds;
    long utterances = 0;
    try (NDManager root = Torch.newManager();
        BufferedWriter metrics = Files.newBufferedWriter(metricsFile, StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ProgressBar bar = options.progress()
            ? new ProgressBar("train", schedule.totalSteps() - state.globalStep) : null) {
      while (state.stopReason == null) {
        List<int[]> plan = train.plan(state.epoch);
        boolean stepLimitReached = false;
        while (state.batchInEpoch < plan.size() && !stepLimitReached) {
          int end = Math.min(plan.size(), state.batchInEpoch + options.accumulation());
          double rate = schedule.rate(state.globalStep);
          double headRate = headSchedule.rate(state.globalStep);
          StepStats stats = optimizerStep(objective, parameters, optimizer, train,
              plan.subList(state.batchInEpoch, end), state.epoch, state.globalStep,
              name -> heads.contains(name) ? headRate : rate, root, options);
          state.batchInEpoch = end;
          state.globalStep++;
          state.lastLoss = stats.loss;
          utterances += stats.utterances;
          double elapsed = (System.nanoTime() - sessionStart) / 1e9;
          JsonObject record = stepRecord(state, stats, rate, utterances / elapsed);
          if (options.headLearningRate() > 0) {
            record.addProperty("head_learning_rate", headRate);
          }
          log(metrics, record);
          if (bar != null) {
            bar.status(String.format("loss %.4f lr %.2e %.1f utt/s", stats.loss, rate,
                utterances / elapsed));
            bar.step();
          }
          if (state.globalStep == options.haltAfterSteps()) {
            return summary(state, "halted");
          }
          stepLimitReached = options.maxSteps() > 0 && state.globalStep >= options.maxSteps();
          if (!stepLimitReached && end < plan.size() && options.checkpointEvery() > 0
              && state.globalStep % options.checkpointEvery() == 0) {
            checkpoint(store, state, parameters, optimizer, metrics, metricsFile,
                secondsBefore + elapsed);
          }
        }
        if (state.batchInEpoch >= plan.size()) {
          state.epoch++;
          state.batchInEpoch = 0;
        }
        if (dev != null) {
          evaluate(objective, dev, state, parameters, runDir, metrics);
        }
        if (stepLimitReached) {
          state.stopReason = "max steps";
        } else if (state.epoch >= options.epochs()) {
          state.stopReason = "epochs";
        } else if (options.patience() > 0
            && state.evaluationsWithoutImprovement >= options.patience()) {
          state.stopReason = "early stopping";
        }
        checkpoint(store, state, parameters, optimizer, metrics, metricsFile,
            secondsBefore + (System.nanoTime() - sessionStart) / 1e9);
      }
    } finally {
      for (NDArray p : parameters.values()) {
        p.setRequiresGradient(false);
      }
    }
    return finish(state, parameters, runDir, options);
  }

  /** Per-step numbers for the log. */
  private record StepStats(double loss, double gradientNorm, int utterances,
      Map<String, Double> logValues) {}

  /** Reads the last checkpoint into the parameters and optimizer, or starts afresh. */
  private static TrainingState resumeOrStart(CheckpointStore store,
      Map<String, NDArray> parameters, AdamW optimizer, Path metricsFile, PrintWriter out)
      throws IOException {
    CheckpointStore.Restored restored = store.readLatest();
    if (restored == null) {
      Files.deleteIfExists(metricsFile);
      return new TrainingState();
    }
    if (!restored.verified()) {
      out.printf("warning: %s has no %s (written before icld checksummed checkpoints): "
          + "resuming from it unverified%n", restored.dir(), CheckpointStore.CHECKSUMS);
      out.flush();
    }
    copyInto(parameters, restored.parameters(), "checkpoint");
    optimizer.restore(restored.optimizer(), parameters);
    if (Files.exists(metricsFile)) {
      try (FileChannel channel = FileChannel.open(metricsFile, StandardOpenOption.WRITE)) {
        channel.truncate(restored.state().metricsBytes);
      }
    }
    return restored.state();
  }

  /** Overwrites each parameter with its saved values; names and shapes must match exactly. */
  private static void copyInto(Map<String, NDArray> parameters, Map<String, TensorData> saved,
      String what) {
    if (!saved.keySet().equals(parameters.keySet())) {
      Set<String> missing = new HashSet<>(parameters.keySet());
      missing.removeAll(saved.keySet());
      Set<String> extra = new HashSet<>(saved.keySet());
      extra.removeAll(parameters.keySet());
      throw new IllegalArgumentException("the " + what + " does not match the model being trained"
          + " (different model or options?): missing " + missing + ", unexpected " + extra);
    }
    for (Map.Entry<String, NDArray> p : parameters.entrySet()) {
      TensorData data = saved.get(p.getKey());
      if (!Arrays.equals(data.shape(), p.getValue().getShape().getShape())) {
        throw new IllegalArgumentException("the " + what + " has " + p.getKey() + " of shape "
            + data.shapeString() + ", the model " + p.getValue().getShape());
      }
      p.getValue().set(FloatBuffer.wrap(data.values()));
    }
  }

  /** Steps over every epoch (or up to the step limit): the schedule's length. */
  private static LearningRateSchedule schedule(BatchLoader train, TrainerOptions options) {
    int steps = 0;
    for (int epoch = 0; epoch < options.epochs(); epoch++) {
      steps += (train.plan(epoch).size() + options.accumulation() - 1) / options.accumulation();
    }
    if (options.maxSteps() > 0) {
      steps = Math.min(steps, options.maxSteps());
    }
    if (steps == 0) {
      throw new IllegalArgumentException(train.corpus().manifest() + ": no training batches");
    }
    int warmup = (int) Math.round(options.warmupFraction() * steps);
    return new LearningRateSchedule(options.learningRate(), warmup, steps, options.decay());
  }

  /**
   * One optimizer step over a group of batches: backward on each (gradients add up, each loss
   * scaled by 1 / group size), clip, AdamW on the parameters that took part, zero the gradients.
   */
  private static StepStats optimizerStep(TrainingObjective objective,
      Map<String, NDArray> parameters, AdamW optimizer, BatchLoader train, List<int[]> group,
      int epoch, int step, ToDoubleFunction<String> rate, NDManager root, TrainerOptions options)
      throws IOException {
    Set<String> active = new HashSet<>();
    Map<String, Double> logSums = new LinkedHashMap<>();
    double lossSum = 0;
    int utterances = 0;
    for (int micro = 0; micro < group.size(); micro++) {
      Batch batch = train.load(group.get(micro), epoch);
      utterances += batch.size();
      try (NDManager manager = root.newSubManager();
          GradientCollector collector = Torch.engine().newGradientCollector()) {
        StepOutput output =
            objective.step(batch, manager, stepRandom(options.seed(), step, micro));
        float loss = output.loss().getFloat();
        if (!Float.isFinite(loss)) {
          throw new TrainingDivergedException("training loss is " + loss + " at step "
              + (step + 1) + ": lower the learning rate (--lr) and start again in a new --out "
              + "(the checkpoints there hold the run before it diverged)");
        }
        lossSum += loss;
        NDArray total = output.loss();
        collector.backward(group.size() == 1 ? total : total.div(Scalar.of(total, group.size())));
        active.addAll(output.activeParameters());
        output.logValues().forEach((name, value) -> logSums.merge(name, value, Double::sum));
      }
    }
    if (!parameters.keySet().containsAll(active)) {
      Set<String> unknown = new HashSet<>(active);
      unknown.removeAll(parameters.keySet());
      throw new IllegalStateException("active parameters that are not trainable: " + unknown);
    }
    Map<String, NDArray> gradients = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, NDArray> p : parameters.entrySet()) {
        if (active.contains(p.getKey())) {
          gradients.put(p.getKey(), p.getValue().getGradient());
        }
      }
      double norm = GradientClipping.clipGlobalNorm(gradients.values(),
          options.maxGradNorm() > 0 ? options.maxGradNorm() : Double.POSITIVE_INFINITY);
      optimizer.step(parameters, gradients, rate);
      Map<String, Double> means = new LinkedHashMap<>();
      logSums.forEach((name, sum) -> means.put(name, sum / group.size()));
      return new StepStats(lossSum / group.size(), norm, utterances, means);
    } finally {
      gradients.values().forEach(NDArray::close);
      zeroGradients(parameters);
    }
  }

  private static void zeroGradients(Map<String, NDArray> parameters) {
    for (NDArray p : parameters.values()) {
      // getGradient() returns a new handle on the gradient, owned by the parameter's manager.
      try (NDArray gradient = p.getGradient()) {
        gradient.subi(gradient);
      }
    }
  }

  /** The randomness of one micro-batch: a function of the seed and its place in the run. */
  static Random stepRandom(long seed, int step, int micro) {
    long mixed = seed * 0x9E3779B97F4A7C15L + step;
    mixed = mixed * 0xBF58476D1CE4E5B9L + micro;
    return new Random(mixed);
  }

  private static void evaluate(TrainingObjective objective, BatchLoader dev, TrainingState state,
      Map<String, NDArray> parameters, Path runDir, BufferedWriter metrics) throws IOException {
    Evaluation evaluation = objective.evaluate(dev);
    TrainingState.DevResult result = new TrainingState.DevResult();
    result.step = state.globalStep;
    result.epoch = state.epoch;
    result.metric = evaluation.metric();
    result.score = evaluation.score();
    result.metrics.putAll(evaluation.metrics());
    state.evaluations.add(result);
    if (state.bestScore == null || evaluation.score() > state.bestScore) {
      state.bestScore = evaluation.score();
      state.bestStep = state.globalStep;
      state.evaluationsWithoutImprovement = 0;
      SafeTensors.write(runDir.resolve(BEST), CheckpointStore.snapshot(parameters));
      state.bestSha256 = FileDigests.sha256(runDir.resolve(BEST));
    } else {
      state.evaluationsWithoutImprovement++;
    }
    JsonObject line = new JsonObject();
    line.addProperty("event", "dev");
    line.addProperty("step", result.step);
    line.addProperty("epoch", result.epoch);
    line.addProperty(result.metric, result.score);
    result.metrics.forEach(line::addProperty);
    line.addProperty("best", state.bestStep == state.globalStep);
    log(metrics, line);
  }

  private static JsonObject stepRecord(TrainingState state, StepStats stats, double rate,
      double utterancesPerSecond) {
    JsonObject line = new JsonObject();
    line.addProperty("event", "step");
    line.addProperty("step", state.globalStep);
    line.addProperty("epoch", state.epoch);
    line.addProperty("loss", stats.loss);
    line.addProperty("learning_rate", rate);
    line.addProperty("gradient_norm", stats.gradientNorm);
    line.addProperty("utterances", stats.utterances);
    line.addProperty("utterances_per_second", utterancesPerSecond);
    stats.logValues.forEach(line::addProperty);
    return line;
  }

  private static void log(BufferedWriter metrics, JsonObject line) throws IOException {
    metrics.write(GSON.toJson(line));
    metrics.newLine();
  }

  private static void checkpoint(CheckpointStore store, TrainingState state,
      Map<String, NDArray> parameters, AdamW optimizer, BufferedWriter metrics, Path metricsFile,
      double trainSeconds) throws IOException {
    metrics.flush();
    state.metricsBytes = Files.size(metricsFile);
    state.trainSeconds = trainSeconds;
    store.write(state, parameters, optimizer);
  }

  /** Restores the best parameters, writes summary.json and prints the summary. */
  private TrainingSummary finish(TrainingState state, Map<String, NDArray> parameters,
      Path runDir, TrainerOptions options) throws IOException {
    Path best = runDir.resolve(BEST);
    if (state.bestScore != null && Files.exists(best)) {
      if (state.bestSha256 != null && !state.bestSha256.equals(FileDigests.sha256(best))) {
        throw new IOException(best + ": corrupted: its SHA-256 is not the " + state.bestSha256
            + " it was written with at step " + state.bestStep + "; refusing to use it as the "
            + "run's best parameters. Delete " + runDir + " to train from the start");
      }
      copyInto(parameters, SafeTensors.read(best), "best checkpoint " + best);
    }
    TrainingSummary summary = summary(state, state.stopReason);
    JsonObject json = new JsonObject();
    json.addProperty("steps", summary.steps());
    json.addProperty("epochs", summary.epochs());
    json.addProperty("stop_reason", summary.stopReason());
    json.addProperty("last_loss", summary.lastLoss());
    json.addProperty("train_seconds", summary.trainSeconds());
    if (summary.best() != null) {
      json.addProperty("best_step", summary.bestStep());
      json.addProperty("best_metric", summary.best().metric());
      json.addProperty("best_score", summary.best().score());
      JsonObject bestMetrics = new JsonObject();
      summary.best().metrics().forEach(bestMetrics::addProperty);
      json.add("best_metrics", bestMetrics);
    }
    json.add("evaluations", GSON.toJsonTree(state.evaluations));
    AtomicFiles.writeString(runDir.resolve(SUMMARY),
        new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create()
            .toJson(json) + "\n");
    if (options.progress()) {
      out.printf("trained %d steps over %d epochs in %.1f s (stopped: %s), last loss %.4f%n",
          summary.steps(), summary.epochs(), summary.trainSeconds(), summary.stopReason(),
          summary.lastLoss());
      if (summary.best() != null) {
        out.printf("best dev %s %.4f at step %d %s%n", summary.best().metric(),
            summary.best().score(), summary.bestStep(), summary.best().metrics());
      }
      out.flush();
    }
    return summary;
  }

  private static TrainingSummary summary(TrainingState state, String stopReason) {
    Evaluation best = null;
    for (TrainingState.DevResult r : state.evaluations) {
      if (state.bestScore != null && r.step == state.bestStep && r.score == state.bestScore) {
        best = new Evaluation(r.metric, r.score, r.metrics);
      }
    }
    return new TrainingSummary(state.globalStep, state.epoch, stopReason, best, state.bestStep,
        state.lastLoss, state.trainSeconds);
  }
}
