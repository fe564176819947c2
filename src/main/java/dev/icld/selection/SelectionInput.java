package dev.icld.selection;

import ai.djl.ndarray.NDArray;
import dev.icld.model.ModelOutput;

/**
 * What a policy may look at for a batch: its size, and optionally the feature encoder's output
 * (the selector's default input, already computed by the backbone), log-mel filterbanks of the
 * waveforms (see {@link LogMelFilterbanks}) and the entropy of every exit head's prediction
 * (what a dynamic exit stops on). Frames past an utterance's length are padding.
 */
public final class SelectionInput {
  /** What a policy can read beyond the batch size ({@link LayerSelectionPolicy#reads()}). */
  public enum Part {
    FEATURES,
    LOG_MEL,
    EXIT_ENTROPIES
  }

  private final int batchSize;
  private final NDArray features;
  private final int[] featureLengths;
  private final NDArray logMel;
  private final int[] logMelLengths;
  private final double[][] exitEntropies;

  private SelectionInput(int batchSize, NDArray features, int[] featureLengths, NDArray logMel,
      int[] logMelLengths, double[][] exitEntropies) {
    this.batchSize = batchSize;
    this.features = features;
    this.featureLengths = featureLengths;
    this.logMel = logMel;
    this.logMelLengths = logMelLengths;
    this.exitEntropies = exitEntropies;
  }

  /** Only the batch size: enough for every policy that ignores the input. */
  public static SelectionInput ofBatchSize(int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
    }
    return new SelectionInput(batchSize, null, null, null, null, null);
  }

  /**
   * @param features the feature encoder's output [B, T, C]
   * @param frameLengths valid frames per utterance
   */
  public static SelectionInput ofFeatures(NDArray features, int[] frameLengths) {
    checkFrames("features", features, frameLengths);
    return new SelectionInput(frameLengths.length, features, frameLengths.clone(), null, null,
        null);
  }

  /** The feature encoder's output of a forward pass. */
  public static SelectionInput ofModelOutput(ModelOutput output) {
    return ofFeatures(output.features(), output.frameLengths());
  }

  /**
   * @param logMel log-mel filterbanks [B, T, bins]
   * @param frameLengths valid filterbank frames per utterance
   */
  public static SelectionInput ofLogMel(NDArray logMel, int[] frameLengths) {
    checkFrames("log-mel filterbanks", logMel, frameLengths);
    return new SelectionInput(frameLengths.length, null, null, logMel, frameLengths.clone(),
        null);
  }

  /** This input with log-mel filterbanks of the same utterances added. */
  public SelectionInput withLogMel(NDArray logMel, int[] frameLengths) {
    checkFrames("log-mel filterbanks", logMel, frameLengths);
    if (frameLengths.length != batchSize) {
      throw new IllegalArgumentException("log-mel filterbanks for " + frameLengths.length
          + " utterances added to an input of " + batchSize);
    }
    return new SelectionInput(batchSize, features, featureLengths, logMel, frameLengths.clone(),
        exitEntropies);
  }

  /**
   * This input with the entropy (nats) of every exit head's prediction for each utterance:
   * {@code entropies[b][e]} belongs to the head after layer e + 1, read at full depth.
   */
  public SelectionInput withExitEntropies(double[][] entropies) {
    if (entropies.length != batchSize) {
      throw new IllegalArgumentException("exit entropies for " + entropies.length
          + " utterances added to an input of " + batchSize);
    }
    double[][] copy = new double[batchSize][];
    for (int b = 0; b < batchSize; b++) {
      copy[b] = entropies[b].clone();
    }
    return new SelectionInput(batchSize, features, featureLengths, logMel, logMelLengths, copy);
  }

  private static void checkFrames(String what, NDArray values, int[] lengths) {
    long[] shape = values.getShape().getShape();
    if (shape.length != 3 || shape[0] != lengths.length || lengths.length == 0) {
      throw new IllegalArgumentException(what + " must be [batch, frames, channels] with one length "
          + "per utterance, got " + values.getShape() + " and " + lengths.length + " lengths");
    }
    for (int b = 0; b < lengths.length; b++) {
      if (lengths[b] < 1 || lengths[b] > shape[1]) {
        throw new IllegalArgumentException(what + ": utterance " + b + " has " + lengths[b]
            + " valid frames, outside 1.." + shape[1]);
      }
    }
  }

  public int batchSize() {
    return batchSize;
  }

  public boolean hasFeatures() {
    return features != null;
  }

  public boolean hasLogMel() {
    return logMel != null;
  }

  /** The feature encoder's output [B, T, C]. */
  public NDArray features() {
    if (features == null) {
      throw new IllegalStateException("this selection input carries no feature-encoder output");
    }
    return features;
  }

  public int[] featureLengths() {
    features();
    return featureLengths.clone();
  }

  /** Log-mel filterbanks [B, T, bins]. */
  public NDArray logMel() {
    if (logMel == null) {
      throw new IllegalStateException("this selection input carries no log-mel filterbanks");
    }
    return logMel;
  }

  public int[] logMelLengths() {
    logMel();
    return logMelLengths.clone();
  }

  /** The entropy at every exit of utterance {@code b}, the first exit first. */
  public double[] exitEntropies(int b) {
    if (exitEntropies == null) {
      throw new IllegalStateException("this selection input carries no exit entropies");
    }
    return exitEntropies[b].clone();
  }
}
