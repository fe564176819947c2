package dev.icld.data.synth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Loads the recorded sounds of openttd-opensfx, sound-icons, sound-theme-freedesktop and
 * alsa-utils, converted once to 16 kHz mono. Symbolic links (sound-icons names several sounds
 * twice) are skipped so each recording appears once.
 */
final class DebianRecordings {
  private DebianRecordings() {}

  static List<Recording> load(Tools tools, ExecutorService pool, Path workDir) throws IOException {
    Sox sox = new Sox(tools.program(Tools.SOX));
    List<Future<Recording>> pending = new ArrayList<>();
    for (OpenSfxCatalog.Entry e : OpenSfxCatalog.read(tools.openSfx())) {
      String id = String.format(java.util.Locale.ROOT, "opensfx-%02d", e.index());
      pending.add(pool.submit(() -> new Recording(id, e.title(),
          sox.read(e.wav(), "wav", List.of(), workDir))));
    }
    addFiles(tools.soundIcons(), ".wav", "sound-icons", sox, pool, workDir, pending);
    addFiles(tools.freedesktopSounds(), ".oga", "freedesktop", sox, pool, workDir, pending);
    addFiles(tools.alsaSounds(), ".wav", "alsa", sox, pool, workDir, pending);
    List<Recording> recordings = new ArrayList<>();
    for (Future<Recording> f : pending) {
      recordings.add(Futures.get(f));
    }
    return recordings;
  }

  private static void addFiles(Path dir, String extension, String prefix, Sox sox,
      ExecutorService pool, Path workDir, List<Future<Recording>> pending) throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.getFileName().toString().endsWith(extension))
          .filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
          .sorted()
          .toList();
    }
    for (Path file : files) {
      String name = file.getFileName().toString();
      String stem = name.substring(0, name.length() - extension.length());
      pending.add(pool.submit(() -> new Recording(prefix + "/" + stem, stem,
          sox.read(file, List.of(), workDir))));
    }
  }
}
