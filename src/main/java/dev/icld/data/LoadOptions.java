package dev.icld.data;

/**
 * How {@link Corpus#load} checks and keeps a manifest.
 *
 * @param target which field every line must carry
 * @param vocabulary for {@link TargetKind#LABEL}: when given, a label outside it is a bad line
 *     (dev and test are checked against the training vocabulary); null accepts any label
 * @param skipBad leave bad lines out (with a warning listing them) instead of failing
 * @param cacheAudio decode every file while loading and keep the waveforms in memory (for small
 *     corpora: 4 bytes per sample); a file that does not decode is then a bad line, where without
 *     the cache loading reads headers only and the problem surfaces on use
 */
public record LoadOptions(
    TargetKind target, LabelVocabulary vocabulary, boolean skipBad, boolean cacheAudio) {

  public LoadOptions {
    if (target == null) {
      throw new IllegalArgumentException("target kind is required");
    }
    if (vocabulary != null && target != TargetKind.LABEL) {
      throw new IllegalArgumentException("a label vocabulary only applies to LABEL targets");
    }
  }

  /** Strict loading (every bad line is an error), no vocabulary check, no cache. */
  public static LoadOptions of(TargetKind target) {
    return new LoadOptions(target, null, false, false);
  }

  public LoadOptions withVocabulary(LabelVocabulary labels) {
    return new LoadOptions(target, labels, skipBad, cacheAudio);
  }

  public LoadOptions skippingBadLines() {
    return new LoadOptions(target, vocabulary, true, cacheAudio);
  }

  public LoadOptions cachingAudio() {
    return new LoadOptions(target, vocabulary, skipBad, true);
  }
}
