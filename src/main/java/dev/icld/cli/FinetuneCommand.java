package dev.icld.cli;

import dev.icld.data.SpeedPerturbation;
import dev.icld.model.LayerDrop;
import dev.icld.model.Task;
import dev.icld.recipes.FineTuningJob;
import dev.icld.train.SpecAugment;
import dev.icld.train.TrainerOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code icld finetune}: trains a task head (and the backbone) on a corpus directory, with a
 * layer-drop mode, and writes a model directory. Rerunning the same command after a crash
 * resumes from the last checkpoint in OUT/training.
 */
@Command(
    name = "finetune",
    mixinStandardHelpOptions = true,
    description = "Fine-tune a foundation model on kws, sid, sound (classification) or asr (CTC), "
        + "with optional layer dropping; writes a model directory (backbone in Hugging Face "
        + "format, heads, icld.json) and OUT/training (checkpoints, metrics.jsonl, summary.json). "
        + "Rerun the same command to resume an interrupted run.")
final class FinetuneCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "backbone: a Hugging Face model directory (wav2vec2, HuBERT, WavLM)")
  Path model;

  @Option(names = "--task", required = true, paramLabel = "TASK",
      description = "kws, sid, sound or asr")
  String task;

  @Option(names = "--data", required = true, paramLabel = "DIR",
      description = "corpus directory with train.jsonl and dev.jsonl (and test.jsonl)")
  Path data;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "model directory to write")
  Path out;

  @Option(names = "--layer-drop", defaultValue = "none", paramLabel = "MODE",
      description = "none, random or early-exit (default: ${DEFAULT-VALUE})")
  String layerDrop;

  @Option(names = "--depth-sampling", defaultValue = "bernoulli", paramLabel = "HOW",
      description = "random layer drop: bernoulli (each layer kept with --keep-prob) or uniform-k "
          + "(with --subset-prob, k uniform in 1..L random layers, otherwise all L) "
          + "(default: ${DEFAULT-VALUE})")
  String depthSampling;

  @Option(names = "--keep-prob", defaultValue = "0.5", paramLabel = "P",
      description = "bernoulli depth sampling: probability that a layer runs "
          + "(default: ${DEFAULT-VALUE})")
  double keepProbability;

  @Option(names = "--subset-prob", defaultValue = "0.75", paramLabel = "Q",
      description = "uniform-k depth sampling: probability that a batch (or utterance) runs k "
          + "random layers rather than all (default: ${DEFAULT-VALUE})")
  double subsetProbability;

  @Option(names = "--per-utterance",
      description = "random layer drop: a mask per utterance instead of per batch")
  boolean perUtterance;

  @Option(names = "--epochs", defaultValue = "10", paramLabel = "N",
      description = "default: ${DEFAULT-VALUE}")
  int epochs;

  @Option(names = "--max-steps", defaultValue = "0", paramLabel = "N",
      description = "stop after this many optimizer steps; 0 for no limit (default: ${DEFAULT-VALUE})")
  int maxSteps;

  @Mixin BatchSecondsOption batch;

  @Option(names = "--accumulate", defaultValue = "1", paramLabel = "N",
      description = "batches per optimizer step (default: ${DEFAULT-VALUE})")
  int accumulation;

  @Option(names = "--lr", defaultValue = "1e-4", paramLabel = "X",
      description = "peak learning rate (default: ${DEFAULT-VALUE})")
  double learningRate;

  @Option(names = "--head-lr", paramLabel = "X",
      description = "peak learning rate of the task head(s), same warm-up and decay "
          + "(default: --lr); a fresh head wants a larger one than the pretrained encoder")
  Double headLearningRate;

  @Option(names = "--mask-time-prob", defaultValue = "0", paramLabel = "P",
      description = "SpecAugment in training: about this fraction of each utterance's frames "
          + "starts a span replaced by the mask embedding, at least 2 spans when > 0, as Hugging "
          + "Face's mask_time_prob (default: ${DEFAULT-VALUE}, off)")
  double maskTimeProbability;

  @Option(names = "--mask-time-length", defaultValue = "10", paramLabel = "N",
      description = "frames per time-mask span (default: ${DEFAULT-VALUE})")
  int maskTimeLength;

  @Option(names = "--mask-feature-prob", defaultValue = "0", paramLabel = "P",
      description = "SpecAugment in training: about this fraction of the channels starts a span "
          + "zeroed in every frame, as Hugging Face's mask_feature_prob "
          + "(default: ${DEFAULT-VALUE}, off)")
  double maskFeatureProbability;

  @Option(names = "--mask-feature-length", defaultValue = "10", paramLabel = "N",
      description = "channels per channel-mask span (default: ${DEFAULT-VALUE})")
  int maskFeatureLength;

  @Option(names = "--speed-perturb", paramLabel = "MIN,MAX",
      description = "play each training utterance at a speed drawn from [MIN, MAX] anew every "
          + "epoch (0.9,1.1 shifts pitch and formants by up to 10%%, new-sounding speakers); "
          + "default: off")
  String speedPerturb;

  @Option(names = "--warmup", defaultValue = "0.1", paramLabel = "F",
      description = "fraction of steps spent warming up (default: ${DEFAULT-VALUE})")
  double warmup;

  @Option(names = "--cosine", description = "cosine decay after warm-up instead of linear")
  boolean cosine;

  @Option(names = "--patience", defaultValue = "0", paramLabel = "N",
      description = "stop after N epochs without dev improvement; 0 never (default: ${DEFAULT-VALUE})")
  int patience;

  @Option(names = "--checkpoint-every", defaultValue = "200", paramLabel = "N",
      description = "checkpoint every N steps, besides every epoch end (default: ${DEFAULT-VALUE})")
  int checkpointEvery;

  @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
      description = "default: ${DEFAULT-VALUE}")
  long seed;

  @Option(names = "--unfreeze-feature-encoder", description = "train the conv feature encoder too")
  boolean unfreezeFeatureEncoder;

  @Option(names = "--skip-bad", description = "leave out bad manifest lines instead of failing")
  boolean skipBad;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Task chosen = Task.fromId(task);
    LayerDrop drop = layerDrop();
    SpecAugment specAugment = new SpecAugment(maskTimeProbability, maskTimeLength,
        maskFeatureProbability, maskFeatureLength);
    SpeedPerturbation perturbation =
        speedPerturb == null ? null : SpeedPerturbation.parse(speedPerturb, seed);
    batch.validate();
    if (headLearningRate != null && !(headLearningRate > 0)) {
      throw new IllegalArgumentException("--head-lr must be positive, got " + headLearningRate);
    }
    TrainerOptions options = TrainerOptions.defaults().withEpochs(epochs).withMaxSteps(maxSteps)
        .withLearningRate(learningRate)
        .withHeadLearningRate(headLearningRate == null ? 0 : headLearningRate)
        .withWarmupFraction(warmup).withAccumulation(accumulation)
        .withPatience(patience).withCheckpointEvery(checkpointEvery).withSeed(seed)
        .withDecay(cosine ? dev.icld.train.LearningRateSchedule.Decay.COSINE
            : dev.icld.train.LearningRateSchedule.Decay.LINEAR);
    new FineTuningJob(spec.commandLine().getOut()).run(new FineTuningJob.Request(model, chosen,
        data, out, drop, specAugment, perturbation, options, batch.seconds,
        unfreezeFeatureEncoder, skipBad, settings()));
    return 0;
  }

  private LayerDrop layerDrop() {
    LayerDrop.Mode mode = LayerDrop.Mode.fromId(layerDrop);
    LayerDrop.DepthSampling sampling = LayerDrop.DepthSampling.fromId(depthSampling);
    if (!(keepProbability > 0 && keepProbability <= 1)) {
      throw new IllegalArgumentException("--keep-prob must be in (0, 1], got " + keepProbability);
    }
    if (!(subsetProbability >= 0 && subsetProbability <= 1)) {
      throw new IllegalArgumentException(
          "--subset-prob must be in [0, 1], got " + subsetProbability);
    }
    if (sampling != LayerDrop.DepthSampling.BERNOULLI && mode != LayerDrop.Mode.RANDOM) {
      throw new IllegalArgumentException("--depth-sampling " + sampling.id()
          + " needs --layer-drop random, got --layer-drop " + mode.id());
    }
    if (mode != LayerDrop.Mode.RANDOM) {
      return new LayerDrop(mode, 1, perUtterance);
    }
    return new LayerDrop(mode,
        sampling == LayerDrop.DepthSampling.BERNOULLI ? keepProbability : 1, perUtterance,
        sampling, subsetProbability);
  }

  /** Everything that changes what the run trains (not where it checkpoints, or how often). */
  private String settings() {
    String settings = String.format("model %s, task %s, data %s, layer drop %s, keep %s, "
        + "per utterance %s, epochs %d, max steps %d, batch seconds %s, accumulate %d, lr %s, "
        + "warmup %s, cosine %s, patience %d, seed %d, feature encoder %s",
        model.toAbsolutePath().normalize(), task, data.toAbsolutePath().normalize(), layerDrop,
        keepProbability, perUtterance, epochs, maxSteps, batch.seconds, accumulation, learningRate,
        warmup, cosine, patience, seed, unfreezeFeatureEncoder ? "trained" : "frozen");
    // Named only when set, so that runs recorded before these options existed still resume.
    if (!depthSampling.equals("bernoulli")) {
      settings += ", depth sampling " + depthSampling + ", subset prob " + subsetProbability;
    }
    if (headLearningRate != null) {
      settings += ", head lr " + headLearningRate;
    }
    if (maskTimeProbability > 0) {
      settings += ", mask time " + maskTimeProbability + " x " + maskTimeLength;
    }
    if (maskFeatureProbability > 0) {
      settings += ", mask feature " + maskFeatureProbability + " x " + maskFeatureLength;
    }
    if (speedPerturb != null) {
      settings += ", speed perturb " + speedPerturb;
    }
    return settings;
  }
}
