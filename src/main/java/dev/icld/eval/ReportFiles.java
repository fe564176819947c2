package dev.icld.eval;

import dev.icld.files.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** PNG plots written atomically, like every other report file. */
final class ReportFiles {
  private ReportFiles() {}

  static void writePng(Path file, BufferedImage image) throws IOException {
    AtomicFiles.write(file, out -> {
      if (!ImageIO.write(image, "png", out)) {
        throw new IOException(file + ": no PNG writer available");
      }
    });
  }
}
