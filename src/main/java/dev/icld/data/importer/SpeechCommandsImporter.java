package dev.icld.data.importer;

import dev.icld.audio.Audio;
import dev.icld.audio.AudioFiles;
import dev.icld.audio.WavWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Speech Commands (v2, also v1) as unpacked from its tarball: one folder per word of 1 s WAV
 * clips named {@code SPEAKERHASH_nohash_N.wav}, {@code validation_list.txt} and
 * {@code testing_list.txt} (paths such as {@code right/bb05582b_nohash_3.wav}; every other clip
 * is training data) and {@code _background_noise_/} with a few long noise recordings.
 *
 * <p>35 classes: every word folder is a class. 12 classes (the usual protocol): the ten command
 * words, {@code _unknown_} for all other words, and {@code _silence_}: the background noise cut
 * into 1 s clips written to {@code OUT/_silence_/}. The first 80% of each noise file goes to
 * train, the next 10% to dev and the last 10% to test, so no noise excerpt is in two splits.
 */
public final class SpeechCommandsImporter implements CorpusImporter {
  public static final List<String> COMMANDS =
      List.of("yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go");
  public static final String UNKNOWN = "_unknown_";
  public static final String SILENCE = "_silence_";
  private static final String NOISE_FOLDER = "_background_noise_";
  private static final int RATE = 16_000;

  private final int classes;

  /** @param classes 12 (commands, unknown, silence) or 35 (every word) */
  public SpeechCommandsImporter(int classes) {
    if (classes != 12 && classes != 35) {
      throw new IllegalArgumentException("Speech Commands has a 12- or a 35-class protocol, not " + classes);
    }
    this.classes = classes;
  }

  @Override
  public void collect(Path root, ImportedCorpus corpus) throws IOException {
    Set<String> dev = listedClips(root, "validation_list.txt", corpus);
    Set<String> test = listedClips(root, "testing_list.txt", corpus);
    List<Path> words;
    try (Stream<Path> children = Files.list(root)) {
      words = children.filter(Files::isDirectory)
          .filter(d -> !d.getFileName().toString().startsWith("_")).sorted().toList();
    }
    if (classes == 12) {
      for (String command : COMMANDS) {
        if (!Files.isDirectory(root.resolve(command))) {
          corpus.problem(root.resolve(command), "command word folder missing");
        }
      }
    }
    for (Path word : words) {
      String name = word.getFileName().toString();
      String label = classes == 35 || COMMANDS.contains(name) ? name : UNKNOWN;
      try (Stream<Path> clips = Files.list(word)) {
        for (Path clip : clips.filter(f -> f.toString().endsWith(".wav")).sorted().toList()) {
          String listed = name + "/" + clip.getFileName();
          String split = test.contains(listed) ? "test" : dev.contains(listed) ? "dev" : "train";
          corpus.add(split, clip, label, null, speakerOf(clip), "speechcommands/" + name);
        }
      }
    }
    if (classes == 12) {
      cutSilence(root.resolve(NOISE_FOLDER), corpus);
    }
  }

  /** The speaker hash: the file name before "_nohash_". */
  static String speakerOf(Path clip) {
    String name = clip.getFileName().toString();
    int end = name.indexOf("_nohash_");
    return end > 0 ? name.substring(0, end) : name.substring(0, name.lastIndexOf('.'));
  }

  private static Set<String> listedClips(Path root, String listName, ImportedCorpus corpus)
      throws IOException {
    Path list = root.resolve(listName);
    if (!Files.isRegularFile(list)) {
      throw new IOException(root + ": not a Speech Commands folder: no " + listName);
    }
    Set<String> clips = new HashSet<>();
    for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
      String clip = line.strip();
      if (clip.isEmpty()) {
        continue;
      }
      if (!Files.isRegularFile(root.resolve(clip))) {
        corpus.problem(root.resolve(clip), "listed in " + listName + " but missing");
      }
      clips.add(clip);
    }
    return clips;
  }

  private static void cutSilence(Path noiseFolder, ImportedCorpus corpus) throws IOException {
    if (!Files.isDirectory(noiseFolder)) {
      corpus.problem(noiseFolder, "missing: the 12-class protocol cuts _silence_ clips from it");
      return;
    }
    Path silenceFolder = corpus.out().resolve(SILENCE);
    Files.createDirectories(silenceFolder);
    List<Path> noises;
    try (Stream<Path> files = Files.list(noiseFolder)) {
      noises = files.filter(f -> f.toString().endsWith(".wav")).sorted().toList();
    }
    for (Path noise : noises) {
      float[] samples = AudioFiles.read(noise, RATE).samples();
      int clips = samples.length / RATE;
      String stem = noise.getFileName().toString().replaceFirst("\\.wav$", "");
      for (int i = 0; i < clips; i++) {
        Path clip = silenceFolder.resolve(String.format("%s_%04d.wav", stem, i));
        WavWriter.writePcm16(clip, new Audio(Arrays.copyOfRange(samples, i * RATE, (i + 1) * RATE), RATE));
        String split = i < 0.8 * clips ? "train" : i < 0.9 * clips ? "dev" : "test";
        corpus.add(split, clip, SILENCE, null, null,
            "speechcommands/" + NOISE_FOLDER + "/" + noise.getFileName() + "@" + i + "s");
      }
    }
  }
}
