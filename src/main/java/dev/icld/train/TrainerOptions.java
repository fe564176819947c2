package dev.icld.train;

/**
 * How the {@link Trainer} runs. Build from {@link #defaults()} with the {@code with...} methods.
 *
 * @param epochs passes over the training set
 * @param maxSteps stop after this many optimizer steps (0: no limit); the schedule spans
 *     min(maxSteps, the epochs' steps)
 * @param learningRate the peak rate
 * @param headLearningRate the peak rate of the objective's {@linkplain
 *     TrainingObjective#headParameterNames() head parameters}, on the same warm-up and decay; 0
 *     for the learning rate
 * @param warmupFraction fraction of all steps spent warming up linearly from 0
 * @param decay what the rate does after warm-up
 * @param adam AdamW's other hyper-parameters
 * @param maxGradNorm global gradient-norm bound (0: no clipping)
 * @param accumulation batches whose gradients add up into one optimizer step
 * @param patience stop after this many dev evaluations without improvement (0: never)
 * @param checkpointEvery write a checkpoint every this many optimizer steps (0: only at epoch
 *     ends); a checkpoint is always written at each epoch end
 * @param keepCheckpoints how many checkpoints to keep on disk (at least 1)
 * @param seed every random number of a run derives from it
 * @param haltAfterSteps return right after this optimizer step without writing anything more, as
 *     if the process had been killed there (0: never); for crash-safety tests
 * @param progress draw a progress bar on stderr and print the summary on stdout
 */
public record TrainerOptions(
    int epochs,
    int maxSteps,
    double learningRate,
    double headLearningRate,
    double warmupFraction,
    LearningRateSchedule.Decay decay,
    AdamW.Options adam,
    double maxGradNorm,
    int accumulation,
    int patience,
    int checkpointEvery,
    int keepCheckpoints,
    long seed,
    int haltAfterSteps,
    boolean progress) {

  public TrainerOptions {
    if (epochs <= 0 || maxSteps < 0 || accumulation <= 0 || patience < 0 || checkpointEvery < 0
        || keepCheckpoints <= 0 || haltAfterSteps < 0) {
      throw new IllegalArgumentException("epochs, accumulation and checkpoints to keep must be "
          + "positive; max steps, patience, checkpoint interval and halt step not negative");
    }
    if (!(headLearningRate >= 0)) {
      throw new IllegalArgumentException(
          "head learning rate must be > 0 (or 0 for the learning rate), got " + headLearningRate);
    }
    if (!(learningRate > 0) || warmupFraction < 0 || warmupFraction > 1 || maxGradNorm < 0) {
      throw new IllegalArgumentException("need learning rate > 0, warm-up fraction in [0, 1] and "
          + "max gradient norm >= 0, got " + learningRate + ", " + warmupFraction + ", "
          + maxGradNorm);
    }
  }

  /** Fine-tuning defaults: 10 epochs, 5e-5 peak for all, 10% warm-up, linear decay, clip at 1. */
  public static TrainerOptions defaults() {
    return new TrainerOptions(10, 0, 5e-5, 0, 0.1, LearningRateSchedule.Decay.LINEAR,
        AdamW.Options.defaults(), 1.0, 1, 0, 200, 2, 0, 0, true);
  }

  /** The head parameters' peak rate: {@link #headLearningRate()}, or the learning rate. */
  public double headPeakRate() {
    return headLearningRate > 0 ? headLearningRate : learningRate;
  }

  public TrainerOptions withEpochs(int value) {
    return new TrainerOptions(value, maxSteps, learningRate, headLearningRate, warmupFraction,
        decay, adam, maxGradNorm, accumulation, patience, checkpointEvery, keepCheckpoints, seed,
        haltAfterSteps, progress);
  }

  public TrainerOptions withMaxSteps(int value) {
    return new TrainerOptions(epochs, value, learningRate, headLearningRate, warmupFraction, decay,
        adam, maxGradNorm, accumulation, patience, checkpointEvery, keepCheckpoints, seed,
        haltAfterSteps, progress);
  }

  public TrainerOptions withLearningRate(double value) {
    return new TrainerOptions(epochs, maxSteps, value, headLearningRate, warmupFraction, decay,
        adam, maxGradNorm, accumulation, patience, checkpointEvery, keepCheckpoints, seed,
        haltAfterSteps, progress);
  }

  public TrainerOptions withHeadLearningRate(double value) {
    return new TrainerOptions(epochs, maxSteps, learningRate, value, warmupFraction, decay, adam,
        maxGradNorm, accumulation, patience, checkpointEvery, keepCheckpoints, seed, haltAfterSteps,
        progress);
  }

  public TrainerOptions withWarmupFraction(double value) {
    return new TrainerOptions(epochs, maxSteps, learningRate, headLearningRate, value, decay, adam,
        maxGradNorm, accumulation, patience, checkpointEvery, keepCheckpoints, seed, haltAfterSteps,
        progress);
  }

  public TrainerOptions withDecay(LearningRateSchedule.Decay value) {
    return new TrainerOptions(epochs, maxSteps, learningRate, headLearningRate, warmupFraction,
        value, adam, maxGradNorm, accumulation, patience, checkpointEvery, keepCheckpoints, seed,
        haltAfterSteps, progress);
  }

  public TrainerOptions withAdam(AdamW.Options value) {
    return new TrainerOptions(epochs, maxSteps, learningRate, headLearningRate, warmupFraction,
        decay, value, maxGradNorm, accumulation, patience, checkpointEvery, keepCheckpoints, seed,
        haltAfterSteps, progress);
  }

  public TrainerOptions withMaxGradNorm(double value) {
    return new TrainerOptions(epochs, maxSteps, learningRate, headLearningRate, warmupFraction,
        decay, adam, value, accumulation, patience, checkpointEvery, keepCheckpoints, seed,
        haltAfterSteps, progress);
  }

  public TrainerOptions withAccumulation(int value) {
    return new TrainerOptions(epochs, maxSteps, learningRate, headLearningRate, warmupFraction,
        decay, adam, maxGradNorm, value, patience, checkpointEvery, keepCheckpoints, seed,
        haltAfterSteps, progress);
  }

  public TrainerOptions withPatience(int value) {
    return new TrainerOptions(epochs, maxSteps, learningRate, headLearningRate, warmupFraction,
        decay, adam, maxGradNorm, accumulation, value, checkpointEvery, keepCheckpoints, seed,
        haltAfterSteps, progress);
  }

  public TrainerOptions withCheckpointEvery(int value) {
    return new TrainerOptions(epochs, maxSteps, learningRate, headLearningRate, warmupFraction,
        decay, adam, maxGradNorm, accumulation, patience, value, keepCheckpoints, seed,
        haltAfterSteps, progress);
  }

  public TrainerOptions withKeepCheckpoints(int value) {
    return new TrainerOptions(epochs, maxSteps, learningRate, headLearningRate, warmupFraction,
        decay, adam, maxGradNorm, accumulation, patience, checkpointEvery, value, seed,
        haltAfterSteps, progress);
  }

  public TrainerOptions withSeed(long value) {
    return new TrainerOptions(epochs, maxSteps, learningRate, headLearningRate, warmupFraction,
        decay, adam, maxGradNorm, accumulation, patience, checkpointEvery, keepCheckpoints, value,
        haltAfterSteps, progress);
  }

  public TrainerOptions withHaltAfterSteps(int value) {
    return new TrainerOptions(epochs, maxSteps, learningRate, headLearningRate, warmupFraction,
        decay, adam, maxGradNorm, accumulation, patience, checkpointEvery, keepCheckpoints, seed,
        value, progress);
  }

  public TrainerOptions withProgress(boolean value) {
    return new TrainerOptions(epochs, maxSteps, learningRate, headLearningRate, warmupFraction,
        decay, adam, maxGradNorm, accumulation, patience, checkpointEvery, keepCheckpoints, seed,
        haltAfterSteps, value);
  }
}
