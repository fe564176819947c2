package dev.icld.data.importer;

import dev.icld.data.ManifestEntry;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What an import wrote: one row per split manifest.
 *
 * @param skipped problem files left out on request (0 when none or when the import was strict)
 */
public record ImportSummary(List<Split> splits, int skipped) {

  /** Counts of one split manifest. */
  public record Split(String name, Path manifest, int utterances, double hours, int speakers,
      int labels) {
    static Split of(String name, Path manifest, List<ManifestEntry> entries) {
      double seconds = entries.stream().mapToDouble(ManifestEntry::duration).sum();
      int speakers = (int) entries.stream().map(ManifestEntry::speaker)
          .filter(Objects::nonNull).distinct().count();
      int labels = (int) entries.stream().map(ManifestEntry::label)
          .filter(Objects::nonNull).distinct().count();
      return new Split(name, manifest, entries.size(), seconds / 3600, speakers, labels);
    }
  }

  public Split split(String name) {
    return splits.stream().filter(s -> s.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no split " + name));
  }

  /** A small table for the terminal. */
  @Override
  public String toString() {
    StringBuilder table = new StringBuilder(String.format("%-12s %10s %8s %9s %7s  %s%n",
        "split", "utterances", "hours", "speakers", "labels", "manifest"));
    for (Split s : splits) {
      table.append(String.format("%-12s %10d %8.3f %9d %7d  %s%n", s.name(), s.utterances(),
          s.hours(), s.speakers(), s.labels(), s.manifest()));
    }
    if (skipped > 0) {
      table.append(skipped).append(" problem files left out (--skip-bad)\n");
    }
    return table.toString();
  }
}
