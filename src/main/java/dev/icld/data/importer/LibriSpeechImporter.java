package dev.icld.data.importer;

import dev.icld.data.CharacterVocabulary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * LibriSpeech as unpacked from openslr.org/12: {@code SPLIT/SPEAKER/CHAPTER/SPEAKER-CHAPTER-NNNN.flac}
 * with one {@code SPEAKER-CHAPTER.trans.txt} per chapter ("UTTERANCE-ID TRANSCRIPT" lines, upper
 * case). The root may be one split folder (dev-clean), a folder holding several, or the folder
 * above {@code LibriSpeech/}. Every train-* folder goes to train; dev-clean and test-clean are dev
 * and test; dev-other and test-other keep their names. Transcripts are normalised to a-z, space
 * and apostrophe.
 */
public final class LibriSpeechImporter implements CorpusImporter {
  private static final Pattern SPLIT_FOLDER = Pattern.compile("(train|dev|test)-(clean|other)(-\\d+)?");

  @Override
  public void collect(Path root, ImportedCorpus corpus) throws IOException {
    List<Path> splitFolders = splitFolders(root);
    if (splitFolders.isEmpty()) {
      throw new IOException(root + ": no LibriSpeech split folder (train-clean-100, dev-clean,"
          + " test-clean, ...) here, in its subfolders or in " + root.resolve("LibriSpeech"));
    }
    for (Path split : splitFolders) {
      for (Path speaker : subfolders(split)) {
        for (Path chapter : subfolders(speaker)) {
          collectChapter(chapter, splitName(split), "librispeech/" + split.getFileName(), corpus);
        }
      }
    }
  }

  /** Our split name for a LibriSpeech folder name. */
  static String splitName(Path folder) {
    String name = folder.getFileName().toString();
    if (name.startsWith("train-")) {
      return "train";
    }
    return switch (name) {
      case "dev-clean" -> "dev";
      case "test-clean" -> "test";
      default -> name;
    };
  }

  private static List<Path> splitFolders(Path root) throws IOException {
    if (isSplitFolder(root)) {
      return List.of(root);
    }
    List<Path> found = new ArrayList<>();
    for (Path parent : List.of(root, root.resolve("LibriSpeech"))) {
      if (Files.isDirectory(parent)) {
        subfolders(parent).stream().filter(LibriSpeechImporter::isSplitFolder).forEach(found::add);
      }
    }
    found.sort(Comparator.comparing(p -> p.getFileName().toString()));
    return found;
  }

  private static boolean isSplitFolder(Path folder) {
    return SPLIT_FOLDER.matcher(folder.getFileName().toString()).matches();
  }

  private static void collectChapter(Path chapter, String split, String source,
      ImportedCorpus corpus) throws IOException {
    String speaker = chapter.getParent().getFileName().toString();
    String prefix = speaker + "-" + chapter.getFileName();
    Path transcripts = chapter.resolve(prefix + ".trans.txt");
    if (!Files.isRegularFile(transcripts)) {
      corpus.problem(chapter, "chapter has no " + transcripts.getFileName());
      return;
    }
    Set<String> transcribed = new HashSet<>();
    List<String> lines = Files.readAllLines(transcripts, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] idAndText = line.split("\\s+", 2);
      String location = transcripts.getFileName() + " line " + (i + 1);
      String text = idAndText.length == 2 ? CharacterVocabulary.normalise(idAndText[1]) : "";
      Path flac = chapter.resolve(idAndText[0] + ".flac");
      if (!idAndText[0].startsWith(prefix + "-")) {
        corpus.problem(transcripts, location + ": utterance id " + idAndText[0]
            + " does not belong to chapter " + prefix);
      } else if (text.isEmpty()) {
        corpus.problem(transcripts, location + ": no transcript for " + idAndText[0]);
      } else if (!Files.isRegularFile(flac)) {
        corpus.problem(flac, "listed in " + location + " but missing");
      } else {
        transcribed.add(flac.getFileName().toString());
        corpus.add(split, flac, null, text, speaker, source);
      }
    }
    try (Stream<Path> files = Files.list(chapter)) {
      files.filter(f -> f.getFileName().toString().endsWith(".flac"))
          .filter(f -> !transcribed.contains(f.getFileName().toString()))
          .sorted()
          .forEach(f -> corpus.problem(f, "no line in " + transcripts.getFileName()));
    }
  }

  private static List<Path> subfolders(Path folder) throws IOException {
    try (Stream<Path> children = Files.list(folder)) {
      return children.filter(Files::isDirectory).sorted().toList();
    }
  }
}
