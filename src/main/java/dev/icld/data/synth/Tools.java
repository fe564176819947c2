package dev.icld.data.synth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the programs and Debian data files a corpus is made from. The program search path and the
 * file-system root of the data files are injectable so tests can simulate a machine without them.
 */
public final class Tools {
  static final String ESPEAK = "espeak-ng";
  static final String FLITE = "flite";
  static final String FESTIVAL = "festival";
  static final String SOX = "sox";

  private final List<Path> searchPath;
  private final Path root;

  public Tools(List<Path> searchPath, Path root) {
    this.searchPath = List.copyOf(searchPath);
    this.root = root;
  }

  /** The programs on $PATH and the data files under /. */
  public static Tools fromEnvironment() {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    List<Path> dirs = new ArrayList<>();
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty()) {
        dirs.add(Path.of(dir));
      }
    }
    return new Tools(dirs, Path.of("/"));
  }

  /** Absolute path of an installed program; call {@link #require} first. */
  String program(String name) {
    for (Path dir : searchPath) {
      Path candidate = dir.resolve(name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toAbsolutePath().toString();
      }
    }
    return null;
  }

  /** A Debian data file or folder, given by its absolute path on a normal installation. */
  Path data(String absolutePath) {
    return root.resolve(absolutePath.substring(1));
  }

  Path espeakData() {
    return data("/usr/lib/x86_64-linux-gnu/espeak-ng-data");
  }

  Path festivalVoice(String dir) {
    return data("/usr/share/festival/voices/" + dir);
  }

  Path fortunes() {
    return data("/usr/share/games/fortunes");
  }

  Path dictionary() {
    return data("/usr/share/dict/words");
  }

  Path openSfx() {
    return data("/usr/share/games/openttd/baseset/opensfx/opensfx.cat");
  }

  Path soundIcons() {
    return data("/usr/share/sounds/sound-icons");
  }

  Path freedesktopSounds() {
    return data("/usr/share/sounds/freedesktop/stereo");
  }

  Path alsaSounds() {
    return data("/usr/share/sounds/alsa");
  }

  /** Checks that festival's voices of other languages (pretraining only) are installed. */
  public void requireOtherLanguageVoices() throws MissingToolsException {
    List<String> missing = new ArrayList<>();
    Set<String> packages = new LinkedHashSet<>();
    for (FestivalVoice voice : FestivalVoice.otherLanguages()) {
      checkData(festivalVoice(voice.directory()), "festival voice " + voice.key(),
          voice.debianPackage(), missing, packages);
    }
    if (!missing.isEmpty()) {
      throw new MissingToolsException(missing, new ArrayList<>(packages));
    }
  }

  /**
   * Checks everything {@code task} needs and throws one message listing each missing piece and
   * the apt packages that provide it.
   */
  public void require(SynthTask task) throws MissingToolsException {
    List<String> missing = new ArrayList<>();
    Set<String> packages = new LinkedHashSet<>();
    boolean speech = task != SynthTask.SOUND;
    checkProgram(SOX, "sox", missing, packages);
    if (speech) {
      checkProgram(ESPEAK, "espeak-ng", missing, packages);
      checkProgram(FLITE, "flite", missing, packages);
      checkProgram(FESTIVAL, "festival", missing, packages);
      checkData(espeakData().resolve("en_dict"), "espeak-ng English data", "espeak-ng-data",
          missing, packages);
      for (FestivalVoice voice : FestivalVoice.english()) {
        checkData(festivalVoice(voice.directory()), "festival voice " + voice.key(),
            voice.debianPackage(), missing, packages);
      }
      checkData(data("/usr/share/festival/dicts/cmu"), "festival CMU lexicon", "festlex-cmu",
          missing, packages);
    }
    if (task == SynthTask.SID || task == SynthTask.ASR) {
      checkData(fortunes().resolve("fortunes"), "fortune texts", "fortunes", missing, packages);
    }
    if (speech) {
      checkData(dictionary(), "dictionary words", "wamerican", missing, packages);
    }
    if (task == SynthTask.KWS || task == SynthTask.SOUND) {
      checkData(openSfx(), "OpenSFX recordings", "openttd-opensfx", missing, packages);
      checkData(soundIcons(), "sound-icons recordings", "sound-icons", missing, packages);
      checkData(freedesktopSounds(), "freedesktop sound theme", "sound-theme-freedesktop",
          missing, packages);
      checkData(alsaSounds().resolve("Noise.wav"), "ALSA test sounds", "alsa-utils", missing,
          packages);
      if (program(SOX) != null && !soxReadsOgg()) {
        missing.add("sox Ogg Vorbis support");
        packages.add("libsox-fmt-all");
      }
    }
    if (!missing.isEmpty()) {
      throw new MissingToolsException(missing, new ArrayList<>(packages));
    }
  }

  private void checkProgram(String name, String pkg, List<String> missing, Set<String> packages) {
    if (program(name) == null) {
      missing.add(name + " (program)");
      packages.add(pkg);
    }
  }

  private static void checkData(Path path, String what, String pkg, List<String> missing,
      Set<String> packages) {
    if (!Files.exists(path)) {
      missing.add(what + " (" + path + ")");
      packages.add(pkg);
    }
  }

  private boolean soxReadsOgg() {
    try {
      Path tmp = Files.createTempDirectory("icld-sox");
      try {
        String help = new String(Exec.run(List.of(program(SOX), "-h"), null, tmp),
            java.nio.charset.StandardCharsets.UTF_8);
        return help.contains(" vorbis ") || help.contains(" ogg ");
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      return false;
    }
  }
}
