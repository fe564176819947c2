package dev.icld.data.synth;

/** The kinds of corpus {@code icld synth} builds. */
public enum SynthTask {
  /** Keyword spotting on the Speech Commands v2 vocabulary, 1 s clips in noise. */
  KWS,
  /** Closed-set speaker identification, 2 to 5 s sentences, every speaker in every split. */
  SID,
  /** Speech recognition of normalised sentences, test speakers unseen in training. */
  ASR,
  /** Sound-event classification from Debian's recordings, augmented. */
  SOUND;

  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
