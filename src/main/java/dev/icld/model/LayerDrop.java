package dev.icld.model;

/**
 * How a {@link TaskModel} is trained to tolerate missing layers (METHOD stage 1 and the early-exit
 * baseline).
 *
 * @param mode none, random LayerDrop, or early exit
 * @param keepProbability for random LayerDrop: the chance that each layer runs
 * @param perUtterance for random LayerDrop: draw a mask per utterance instead of per batch
 */
public record LayerDrop(Mode mode, double keepProbability, boolean perUtterance) {
  public enum Mode {
    /** Every layer runs; one head on the last. */
    NONE("none"),
    /** Each layer is kept with a probability, the mask resampled per batch (or utterance). */
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

  public LayerDrop {
    if (!(keepProbability > 0 && keepProbability <= 1)) {
      throw new IllegalArgumentException("keep probability must be in (0, 1], got " + keepProbability);
    }
    if (perUtterance && mode != Mode.RANDOM) {
      throw new IllegalArgumentException("per-utterance masks only apply to random layer drop");
    }
  }

  public static LayerDrop none() {
    return new LayerDrop(Mode.NONE, 1, false);
  }
}
