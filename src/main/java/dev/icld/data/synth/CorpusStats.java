package dev.icld.data.synth;

import dev.icld.data.ManifestEntry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Counts and totals of a built corpus, per split: what its card and summary report. */
final class CorpusStats {
  /** Statistics of one split. */
  static final class SplitStats {
    int clips;
    double seconds;
    double minDuration = Double.POSITIVE_INFINITY;
    double maxDuration;
    final Map<String, Integer> labels = new TreeMap<>();
    final Map<String, Integer> speakers = new TreeMap<>();
    final Map<String, Integer> engines = new TreeMap<>();
    /** Clips per 5 dB SNR bin, keyed by the bin's lower edge; clips without noise are "none". */
    final Map<String, Integer> snr = new TreeMap<>();

    double hours() {
      return seconds / 3600;
    }

    double meanDuration() {
      return clips == 0 ? 0 : seconds / clips;
    }
  }

  final Map<Split, SplitStats> splits = new EnumMap<>(Split.class);

  CorpusStats(List<ClipPlan> plans, ManifestEntry[] entries) {
    for (Split s : Split.values()) {
      splits.put(s, new SplitStats());
    }
    for (ClipPlan plan : plans) {
      ManifestEntry e = entries[plan.index()];
      SplitStats s = splits.get(plan.split());
      s.clips++;
      s.seconds += e.duration();
      s.minDuration = Math.min(s.minDuration, e.duration());
      s.maxDuration = Math.max(s.maxDuration, e.duration());
      if (e.label() != null) {
        s.labels.merge(e.label(), 1, Integer::sum);
      }
      if (e.speaker() != null) {
        s.speakers.merge(e.speaker(), 1, Integer::sum);
      }
      String engine = plan.speech() == null
          ? (plan.recording() == null ? "noise only" : "recording")
          : plan.speech().voice().engine().program();
      s.engines.merge(engine, 1, Integer::sum);
      s.snr.merge(snrBin(e.snr()), 1, Integer::sum);
    }
  }

  static String snrBin(Double snr) {
    if (snr == null) {
      return "none";
    }
    int low = (int) (Math.floor(snr / 5) * 5);
    return String.format(java.util.Locale.ROOT, "%02d-%02d dB", low, low + 5);
  }

  int clips() {
    return splits.values().stream().mapToInt(s -> s.clips).sum();
  }

  double hours() {
    return splits.values().stream().mapToDouble(SplitStats::hours).sum();
  }

  int speakers() {
    java.util.Set<String> all = new java.util.TreeSet<>();
    splits.values().forEach(s -> all.addAll(s.speakers.keySet()));
    return all.size();
  }
}
