package dev.icld.data.synth;

/** How big a corpus to build: tiny for tests (seconds), small (about a minute), full (the spec). */
public enum CorpusSize {
  TINY,
  SMALL,
  FULL;

  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
