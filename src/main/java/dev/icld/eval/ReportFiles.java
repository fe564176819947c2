package dev.icld.eval;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import dev.icld.files.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** Report files written atomically: JSON as every report writes it, and PNG plots. */
final class ReportFiles {
  private ReportFiles() {}

  /**
   * Pretty-printed, NaN kept: Gson refuses it otherwise, and a number that does not apply (the
   * mutual information of a task without classes) is NaN.
   */
  static void writeJson(Path file, JsonElement json) throws IOException {
    AtomicFiles.writeString(file, new GsonBuilder().setPrettyPrinting()
        .serializeSpecialFloatingPointValues().create().toJson(json) + "\n");
  }

  /** A report's JSON and markdown files in {@code outDir}, returned in that order. */
  static List<Path> writeJsonAndMarkdown(Path outDir, String jsonName, JsonElement json,
      String markdownName, String markdown) throws IOException {
    Path jsonFile = outDir.resolve(jsonName);
    writeJson(jsonFile, json);
    Path markdownFile = outDir.resolve(markdownName);
    AtomicFiles.writeString(markdownFile, markdown);
    return List.of(jsonFile, markdownFile);
  }

  static void writePng(Path file, BufferedImage image) throws IOException {
    AtomicFiles.write(file, out -> {
      if (!ImageIO.write(image, "png", out)) {
        throw new IOException(file + ": no PNG writer available");
      }
    });
  }
}
