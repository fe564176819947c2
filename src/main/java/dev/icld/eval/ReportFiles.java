package dev.icld.eval;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.ImageIO;

/** Atomic report writes: a temp file in the same directory, then an atomic rename. */
final class ReportFiles {
  private ReportFiles() {}

  static void writeString(Path file, String text) throws IOException {
    Path tmp = temp(file);
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  static void writePng(Path file, BufferedImage image) throws IOException {
    Path tmp = temp(file);
    try {
      if (!ImageIO.write(image, "png", tmp.toFile())) {
        throw new IOException(file + ": no PNG writer available");
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static Path temp(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    return Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
  }
}
