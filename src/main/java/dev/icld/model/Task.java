package dev.icld.model;

/** The downstream tasks a {@link TaskModel} is fine-tuned for, and the head each one needs. */
public enum Task {
  /** Keyword spotting: one label per utterance. */
  KWS("kws", true),
  /** Speaker identification: one label per utterance. */
  SID("sid", true),
  /** Sound event classification: one label per clip. */
  SOUND("sound", true),
  /** Speech recognition: CTC over characters. */
  ASR("asr", false);

  private final String id;
  private final boolean classification;

  Task(String id, boolean classification) {
    this.id = id;
    this.classification = classification;
  }

  public String id() {
    return id;
  }

  /** True for utterance classification (pooled head), false for CTC transcription. */
  public boolean classification() {
    return classification;
  }

  public static Task fromId(String id) {
    for (Task t : values()) {
      if (t.id.equals(id)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown task \"" + id + "\" (expected kws, sid, sound or asr)");
  }
}
