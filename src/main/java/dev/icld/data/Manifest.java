package dev.icld.data;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.icld.files.AtomicFiles;
import dev.icld.files.TextFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** JSON-lines manifests: one {@link ManifestEntry} per line. Writes are atomic. */
public final class Manifest {
  static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  private Manifest() {}

  public static void write(Path file, List<ManifestEntry> entries) throws IOException {
    AtomicFiles.write(file, out -> {
      Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
      for (ManifestEntry e : entries) {
        w.write(GSON.toJson(e));
        w.write('\n');
      }
      w.flush();
    });
  }

  /** Parses every line; a line that is not a manifest entry is an error naming file and line. */
  public static List<ManifestEntry> read(Path file) throws IOException {
    List<ManifestEntry> entries = new java.util.ArrayList<>();
    TextFiles.forEachUtf8Line(file, (number, line) -> {
      if (line.isBlank()) {
        return;
      }
      try {
        entries.add(parseLine(line));
      } catch (IllegalArgumentException ex) {
        throw new IOException(file + ":" + number + ": " + ex.getMessage());
      }
    });
    return entries;
  }

  /**
   * Parses one non-blank manifest line.
   *
   * @throws IllegalArgumentException saying why the line is not a usable entry
   */
  public static ManifestEntry parseLine(String line) {
    ManifestEntry e;
    try {
      e = GSON.fromJson(line.strip(), ManifestEntry.class);
    } catch (RuntimeException ex) {
      throw new IllegalArgumentException("not a JSON manifest entry: " + ex.getMessage());
    }
    if (e == null || e.audio() == null || e.audio().isBlank()) {
      throw new IllegalArgumentException("entry has no \"audio\" path");
    }
    return e;
  }
}
