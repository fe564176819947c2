package dev.icld.data;

/** What a task learns from each utterance, and so which manifest field every line must carry. */
public enum TargetKind {
  /** A class label (keyword spotting, speaker identification, sound events): field "label". */
  LABEL,
  /** A transcript for CTC on characters (ASR): field "transcript", see {@link CharacterVocabulary}. */
  TRANSCRIPT,
  /** Audio only (self-supervised pretraining): no target field is required. */
  NONE
}
