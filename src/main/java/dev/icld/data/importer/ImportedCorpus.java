package dev.icld.data.importer;

import dev.icld.audio.Audio;
import dev.icld.audio.AudioFiles;
import dev.icld.audio.AudioFormatException;
import dev.icld.data.Manifest;
import dev.icld.data.ManifestEntry;
import dev.icld.data.ProgressBar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * What an importer found in a corpus: utterances per split and problems with the layout. It
 * measures every audio file (which also proves that it decodes) and writes one manifest per
 * split, {@code OUT/SPLIT.jsonl}, with audio paths relative to OUT. Problems are reported all
 * together; nothing is written unless there are none or the caller asked to skip them.
 */
public final class ImportedCorpus {
  /** train, dev, test first, then any other split (dev-other, ...) by name. */
  private static final Comparator<String> SPLIT_ORDER = Comparator
      .comparingInt((String split) -> {
        int rank = List.of("train", "dev", "test").indexOf(split);
        return rank < 0 ? 3 : rank;
      })
      .thenComparing(Comparator.naturalOrder());

  private final Path root;
  private final Path out;
  private final Map<String, List<Pending>> splits = new LinkedHashMap<>();
  private final List<String> problems = new ArrayList<>();

  /** An utterance whose duration is not measured yet. */
  private record Pending(Path file, String label, String transcript, String speaker, String source) {}

  public ImportedCorpus(Path root, Path out) {
    this.root = root;
    this.out = out.toAbsolutePath().normalize();
  }

  /** The folder the manifests go to; importers that make audio (silence clips) write below it. */
  public Path out() {
    return out;
  }

  public void add(String split, Path audio, String label, String transcript, String speaker,
      String source) {
    splits.computeIfAbsent(split, s -> new ArrayList<>())
        .add(new Pending(audio.toAbsolutePath().normalize(), label, transcript, speaker, source));
  }

  /** A problem with the corpus's layout (a listed file missing, a malformed index line, ...). */
  public void problem(Path file, String reason) {
    problems.add(file + ": " + reason);
  }

  /**
   * Measures all audio and writes the manifests.
   *
   * @param skipBad leave problem files out with a warning instead of failing
   * @throws IOException listing every problem, when there are some and skipBad is false
   */
  public ImportSummary write(boolean skipBad) throws IOException {
    if (splits.isEmpty() && problems.isEmpty()) {
      throw new IOException(root + ": no audio found");
    }
    Map<String, List<ManifestEntry>> manifests = measure();
    if (!problems.isEmpty()) {
      String listing = problems.size() + (problems.size() == 1 ? " problem" : " problems")
          + " in " + root + ":\n  " + String.join("\n  ", problems);
      if (!skipBad) {
        throw new IOException(listing
            + "\n(no manifest written; pass --skip-bad to leave these files out)");
      }
      System.err.println("warning: " + listing + "\nwarning: left out these files (--skip-bad)");
    }
    Files.createDirectories(out);
    List<ImportSummary.Split> summaries = new ArrayList<>();
    for (Map.Entry<String, List<ManifestEntry>> split : manifests.entrySet()) {
      List<ManifestEntry> entries = split.getValue();
      Path manifest = out.resolve(split.getKey() + ".jsonl");
      Manifest.write(manifest, entries);
      summaries.add(ImportSummary.Split.of(split.getKey(), manifest, entries));
    }
    return new ImportSummary(summaries, skipBad ? problems.size() : 0);
  }

  /**
   * Decodes every file in parallel. Each split's entries are sorted by audio path, so the same
   * corpus always gives the same bytes.
   */
  private Map<String, List<ManifestEntry>> measure() {
    List<String> splitOfItem = new ArrayList<>();
    List<Pending> items = new ArrayList<>();
    splits.forEach((split, pending) -> pending.forEach(p -> {
      splitOfItem.add(split);
      items.add(p);
    }));
    ManifestEntry[] entries = new ManifestEntry[items.size()];
    String[] failures = new String[items.size()];
    try (ProgressBar progress = new ProgressBar("measuring audio", items.size())) {
      IntStream.range(0, items.size()).parallel().forEach(i -> {
        Pending p = items.get(i);
        try {
          Audio audio = AudioFiles.read(p.file());
          entries[i] = new ManifestEntry(relative(p.file()), audio.durationSeconds(), p.label(),
              p.transcript(), p.speaker(), p.source());
        } catch (AudioFormatException e) {
          failures[i] = e.getMessage();
        } catch (IOException e) {
          failures[i] = p.file() + ": cannot read: " + e.getMessage();
        }
        progress.step();
      });
    }
    Map<String, List<ManifestEntry>> bySplit = new TreeMap<>(SPLIT_ORDER);
    splits.keySet().forEach(split -> bySplit.put(split, new ArrayList<>()));
    for (int i = 0; i < entries.length; i++) {
      if (failures[i] != null) {
        problems.add(failures[i]);
      } else {
        bySplit.get(splitOfItem.get(i)).add(entries[i]);
      }
    }
    bySplit.values().removeIf(List::isEmpty);
    bySplit.values().forEach(list -> list.sort(Comparator.comparing(ManifestEntry::audio)));
    return bySplit;
  }

  private String relative(Path file) {
    return out.relativize(file).toString().replace('\\', '/');
  }
}
