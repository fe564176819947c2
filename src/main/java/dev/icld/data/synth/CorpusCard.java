package dev.icld.data.synth;

import com.google.gson.GsonBuilder;
import dev.icld.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The corpus card: CARD.md for people and card.json for programs, with the same facts. Nothing
 * in it depends on the machine or the clock, so a rebuilt corpus has an identical card.
 */
final class CorpusCard {
  private CorpusCard() {}

  static void write(Path dir, CorpusRequest request, CorpusStats stats, Map<String, Object> notes)
      throws IOException {
    AtomicFiles.writeString(dir.resolve("card.json"), json(request, stats, notes));
    AtomicFiles.writeString(dir.resolve("CARD.md"), markdown(request, stats, notes));
  }

  static String json(CorpusRequest request, CorpusStats stats, Map<String, Object> notes) {
    Map<String, Object> card = new LinkedHashMap<>();
    card.put("task", request.task().id());
    card.put("size", request.size().id());
    card.put("seed", request.seed());
    if (request.task() == SynthTask.KWS) {
      card.put("classes", request.classes());
    }
    card.put("command", request.command());
    card.put("sample_rate", Sox.RATE);
    card.put("clips", stats.clips());
    card.put("hours", round(stats.hours()));
    card.put("speakers", stats.speakers());
    Map<String, Object> splits = new LinkedHashMap<>();
    for (Map.Entry<Split, CorpusStats.SplitStats> e : stats.splits.entrySet()) {
      CorpusStats.SplitStats s = e.getValue();
      Map<String, Object> split = new LinkedHashMap<>();
      split.put("manifest", e.getKey().manifestName());
      split.put("clips", s.clips);
      split.put("hours", round(s.hours()));
      split.put("duration_min", round(s.minDuration));
      split.put("duration_mean", round(s.meanDuration()));
      split.put("duration_max", round(s.maxDuration));
      split.put("speaker_count", s.speakers.size());
      split.put("labels", s.labels);
      split.put("engines", s.engines);
      split.put("snr", s.snr);
      split.put("speakers", s.speakers);
      splits.put(e.getKey().id(), split);
    }
    card.put("splits", splits);
    card.put("notes", notes);
    return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(card)
        + "\n";
  }

  static String markdown(CorpusRequest request, CorpusStats stats, Map<String, Object> notes) {
    StringBuilder md = new StringBuilder();
    md.append("# ").append(request.task().id()).append(" corpus (").append(request.size().id())
        .append(", seed ").append(request.seed()).append(")\n\n");
    md.append("Rebuild it byte for byte with:\n\n```\n").append(request.command())
        .append("\n```\n\n");
    md.append(String.format(Locale.ROOT, "%d clips, %.2f hours, %d speakers, 16 kHz mono "
        + "16-bit WAV. Manifests: train.jsonl, dev.jsonl, test.jsonl (audio paths relative to "
        + "this folder).%n%n", stats.clips(), stats.hours(), stats.speakers()));
    List<String> header = new ArrayList<>(List.of("", "clips", "hours", "speakers",
        "duration min/mean/max (s)"));
    List<List<String>> rows = new ArrayList<>();
    for (Map.Entry<Split, CorpusStats.SplitStats> e : stats.splits.entrySet()) {
      CorpusStats.SplitStats s = e.getValue();
      rows.add(List.of(e.getKey().id(), String.valueOf(s.clips),
          String.format(Locale.ROOT, "%.3f", s.hours()), String.valueOf(s.speakers.size()),
          String.format(Locale.ROOT, "%.2f / %.2f / %.2f", s.minDuration, s.meanDuration(),
              s.maxDuration)));
    }
    md.append("## Splits\n\n").append(table(header, rows));
    md.append(countTable("Clips per class", stats, s -> s.labels));
    md.append(countTable("Clips per engine", stats, s -> s.engines));
    md.append(countTable("SNR of the added noise", stats, s -> s.snr));
    md.append(countTable("Clips per speaker", stats, s -> s.speakers));
    md.append("## Notes\n\n");
    for (Map.Entry<String, Object> note : notes.entrySet()) {
      md.append("- **").append(note.getKey()).append("**: ");
      if (note.getValue() instanceof Map<?, ?> map) {
        md.append('\n');
        for (Map.Entry<?, ?> item : map.entrySet()) {
          md.append("  - ").append(item.getKey()).append(": ").append(inline(item.getValue()))
              .append('\n');
        }
      } else {
        md.append(inline(note.getValue())).append('\n');
      }
    }
    return md.toString();
  }

  /** Lists as comma-separated items, maps as "key: value" pairs separated by semicolons. */
  private static String inline(Object value) {
    if (value instanceof Map<?, ?> map) {
      List<String> parts = new ArrayList<>();
      map.forEach((k, v) -> parts.add(k + ": " + inline(v)));
      return String.join("; ", parts);
    }
    if (value instanceof List<?> list) {
      List<String> parts = new ArrayList<>();
      list.forEach(v -> parts.add(inline(v)));
      return String.join(", ", parts);
    }
    return String.valueOf(value);
  }

  private static String countTable(String title, CorpusStats stats,
      java.util.function.Function<CorpusStats.SplitStats, Map<String, Integer>> counts) {
    TreeSet<String> keys = new TreeSet<>();
    stats.splits.values().forEach(s -> keys.addAll(counts.apply(s).keySet()));
    if (keys.isEmpty()) {
      return "";
    }
    List<String> header = new ArrayList<>(List.of(""));
    stats.splits.keySet().forEach(s -> header.add(s.id()));
    List<List<String>> rows = new ArrayList<>();
    for (String key : keys) {
      List<String> row = new ArrayList<>(List.of(key));
      for (CorpusStats.SplitStats s : stats.splits.values()) {
        row.add(String.valueOf(counts.apply(s).getOrDefault(key, 0)));
      }
      rows.add(row);
    }
    return "## " + title + "\n\n" + table(header, rows);
  }

  private static String table(List<String> header, List<List<String>> rows) {
    StringBuilder t = new StringBuilder();
    t.append("| ").append(String.join(" | ", header)).append(" |\n|");
    t.append(" --- |".repeat(header.size())).append('\n');
    for (List<String> row : rows) {
      t.append("| ").append(String.join(" | ", row)).append(" |\n");
    }
    return t.append('\n').toString();
  }

  private static double round(double value) {
    return Math.round(value * 10000) / 10000.0;
  }
}
