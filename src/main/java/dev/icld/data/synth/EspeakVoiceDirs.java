package dev.icld.data.synth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Private espeak-ng data folders holding the custom speakers' variant files. espeak-ng lists at
 * most about 350 voices and then silently falls back to a default one, so each folder holds at
 * most {@link #VARIANTS_PER_DIR} variants and more speakers get more folders.
 */
final class EspeakVoiceDirs {
  static final int VARIANTS_PER_DIR = 180;
  private static final List<String> DATA_FILES =
      List.of("phondata", "phonindex", "phontab", "intonations", "en_dict");

  private final Map<String, Path> dirByVoice = new HashMap<>();

  /** Writes the variant files of {@code voices} into new folders under {@code workDir}. */
  EspeakVoiceDirs(Path systemData, List<Voice> voices, Path workDir) throws IOException {
    for (int i = 0; i < voices.size(); i++) {
      Path root = workDir.resolve("espeak-" + (i / VARIANTS_PER_DIR));
      Path data = root.resolve("espeak-ng-data");
      if (i % VARIANTS_PER_DIR == 0) {
        copyData(systemData, data);
      }
      Voice voice = voices.get(i);
      Files.writeString(data.resolve("voices").resolve("!v").resolve(voice.id()),
          voice.espeakVariant(), StandardCharsets.UTF_8);
      dirByVoice.put(voice.id(), root);
    }
  }

  /** The value of espeak-ng's {@code --path} option for {@code voice}. */
  Path pathFor(Voice voice) {
    Path dir = dirByVoice.get(voice.id());
    if (dir == null) {
      throw new IllegalStateException("no espeak-ng data folder prepared for " + voice.id());
    }
    return dir;
  }

  private static void copyData(Path from, Path to) throws IOException {
    Files.createDirectories(to.resolve("voices").resolve("!v"));
    for (String name : DATA_FILES) {
      Files.copy(from.resolve(name), to.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
    Path lang = from.resolve("lang");
    try (Stream<Path> files = Files.walk(lang)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path target = to.resolve("lang").resolve(lang.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
