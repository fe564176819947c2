package dev.icld.data.synth;

import java.io.IOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Prompts for the speech corpora: sentences from fortunes and words from the dictionary. */
final class TextSources {
  static final int MIN_WORDS = 4;
  static final int MAX_WORDS = 14;
  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+");
  /** Characters a sentence may contain before normalising; digits and symbols are read aloud
   * in ways the transcript could not match, so sentences with them are dropped. */
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z' ,;:\"()!?.\\-]+");
  private static final Pattern WORD = Pattern.compile("[a-z]{3,9}");

  private TextSources() {}

  /**
   * Every distinct sentence of the fortune files in {@code dir} (read in name order), normalised
   * to lower-case a-z, apostrophe and single spaces, with 4 to 14 words.
   */
  static List<String> fortuneSentences(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> !p.getFileName().toString().contains("."))
          .filter(Files::isRegularFile)
          .sorted()
          .toList();
    }
    Set<String> sentences = new LinkedHashSet<>();
    for (Path file : files) {
      for (String entry : read(file).split("\n%\n")) {
        String text = entry.replaceAll("\\s+", " ").strip();
        for (String sentence : SENTENCE_END.split(text)) {
          String normalised = normalise(sentence);
          if (normalised != null) {
            sentences.add(normalised);
          }
        }
      }
    }
    return new ArrayList<>(sentences);
  }

  /**
   * The normalised form of one sentence, or null when it is not usable as a prompt. Apostrophes
   * inside words stay (don't); those at word edges go, since they are mostly quotation marks.
   */
  static String normalise(String sentence) {
    if (!PLAIN.matcher(sentence).matches() || sentence.contains("--")) {
      return null;
    }
    String lower = sentence.toLowerCase(Locale.ROOT).replaceAll("[^a-z']", " ");
    List<String> words = new ArrayList<>();
    for (String w : lower.strip().split("\\s+")) {
      String word = w.replaceAll("^'+|'+$", "");
      if (!word.isEmpty()) {
        words.add(word);
      }
    }
    if (words.size() < MIN_WORDS || words.size() > MAX_WORDS) {
      return null;
    }
    return String.join(" ", words);
  }

  /** Lower-case dictionary words of 3 to 9 letters, in file order, minus {@code exclude}. */
  static List<String> dictionaryWords(Path file, Set<String> exclude) throws IOException {
    List<String> words = new ArrayList<>();
    for (String line : read(file).split("\n")) {
      String w = line.strip();
      if (WORD.matcher(w).matches() && !exclude.contains(w)) {
        words.add(w);
      }
    }
    return words;
  }

  /** Reads text that is mostly UTF-8; stray Latin-1 bytes become replacement characters. */
  private static String read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    return StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE)
        .decode(java.nio.ByteBuffer.wrap(bytes))
        .toString();
  }
}
