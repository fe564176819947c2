package dev.icld.data.synth;

/** The three partitions of a corpus, each written to its own manifest. */
public enum Split {
  TRAIN,
  DEV,
  TEST;

  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public String manifestName() {
    return id() + ".jsonl";
  }
}
