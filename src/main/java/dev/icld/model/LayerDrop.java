package dev.icld.model;

/**
 * How a {@link TaskModel} is trained to tolerate missing layers (METHOD stage 1 and the early-exit
 * baseline).
 *
 * @param mode none, random LayerDrop, or early exit
 * @param keepProbability for random LayerDrop with {@link DepthSampling#BERNOULLI}: the chance
 *     that each layer runs
 * @param perUtterance for random LayerDrop: draw a mask per utterance instead of per batch
 * @param sampling for random LayerDrop: how a mask is drawn
 * @param subsetProbability for random LayerDrop with {@link DepthSampling#UNIFORM_K}: the chance
 *     that a mask keeps a random k of the L layers rather than all of them
 */
public record LayerDrop(Mode mode, double keepProbability, boolean perUtterance,
    DepthSampling sampling, double subsetProbability) {
  public enum Mode {
    /** Every layer runs; one head on the last. */
    NONE("none"),
    /** Random layers are skipped, the mask resampled per batch (or utterance). */
    RANDOM("random"),
    /** A head after every layer; the loss is the sum of every exit's loss; all layers run. */
    EARLY_EXIT("early-exit");

    private final String id;

    Mode(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    public static Mode fromId(String id) {
      for (Mode m : values()) {
        if (m.id.equals(id)) {
          return m;
        }
      }
      throw new IllegalArgumentException(
          "unknown layer-drop mode \"" + id + "\" (expected none, random or early-exit)");
    }
  }

  /** How random LayerDrop draws the layers a mask keeps. */
  public enum DepthSampling {
    /** Each layer kept independently with the keep probability (at least one kept). */
    BERNOULLI("bernoulli"),
    /**
     * With the subset probability, k uniform in 1..L and k distinct layers drawn uniformly;
     * otherwise all L. Bernoulli sampling with p = 0.5 almost never shows the model its full
     * stack (0.5^12 for 12 layers) nor very shallow ones, yet inference runs both.
     */
    UNIFORM_K("uniform-k");

    private final String id;

    DepthSampling(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    public static DepthSampling fromId(String id) {
      for (DepthSampling s : values()) {
        if (s.id.equals(id)) {
          return s;
        }
      }
      throw new IllegalArgumentException(
          "unknown depth sampling \"" + id + "\" (expected bernoulli or uniform-k)");
    }
  }

  /** Uniform-k's subset probability unless another is given. */
  public static final double DEFAULT_SUBSET_PROBABILITY = 0.75;

  public LayerDrop {
    if (!(keepProbability > 0 && keepProbability <= 1)) {
      throw new IllegalArgumentException("keep probability must be in (0, 1], got " + keepProbability);
    }
    if (!(subsetProbability >= 0 && subsetProbability <= 1)) {
      throw new IllegalArgumentException(
          "subset probability must be in [0, 1], got " + subsetProbability);
    }
    if (perUtterance && mode != Mode.RANDOM) {
      throw new IllegalArgumentException("per-utterance masks only apply to random layer drop");
    }
    if (sampling != DepthSampling.BERNOULLI && mode != Mode.RANDOM) {
      throw new IllegalArgumentException(
          "depth sampling " + sampling.id() + " only applies to random layer drop");
    }
  }

  /** Bernoulli sampling, as every model fine-tuned before uniform-k was. */
  public LayerDrop(Mode mode, double keepProbability, boolean perUtterance) {
    this(mode, keepProbability, perUtterance, DepthSampling.BERNOULLI, DEFAULT_SUBSET_PROBABILITY);
  }

  public static LayerDrop none() {
    return new LayerDrop(Mode.NONE, 1, false);
  }

  /** For printing: the mode and, for random LayerDrop, how its masks are drawn. */
  public String describe() {
    if (mode != Mode.RANDOM) {
      return mode.id();
    }
    String how = sampling == DepthSampling.BERNOULLI
        ? "bernoulli, keep " + keepProbability
        : "uniform-k, subset " + subsetProbability;
    return mode.id() + " (" + how + (perUtterance ? ", per utterance)" : ", per batch)");
  }
}
