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
  private static final Pattern NOT_LETTER = Pattern.compile("[^a-z']");
  private static final Pattern SPACES = Pattern.compile("\\s+");
  private static final Pattern ROMAN =
      Pattern.compile("m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})");
  private static final Set<String> ABBREVIATIONS = Set.of("mr", "mrs", "ms", "dr", "st", "jr",
      "sr", "vs", "etc", "adj", "eg", "ie", "pp", "co", "inc", "ltd");

  private TextSources() {}

  /**
   * Every distinct sentence of the fortune files in {@code dir} (read in name order), normalised
   * to lower-case a-z, apostrophe and single spaces, with 4 to 14 words, all of them
   * {@link #speakable}.
   */
  static List<String> fortuneSentences(Path dir, Set<String> lexicon) throws IOException {
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
        String text = SPACES.matcher(entry).replaceAll(" ").strip();
        for (String sentence : SENTENCE_END.split(text)) {
          String normalised = normalise(sentence);
          if (normalised != null && speakable(normalised, lexicon)) {
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
    String lower = NOT_LETTER.matcher(sentence.toLowerCase(Locale.ROOT)).replaceAll(" ");
    List<String> words = new ArrayList<>();
    for (String w : SPACES.split(lower.strip())) {
      int from = 0;
      int to = w.length();
      while (from < to && w.charAt(from) == '\'') {
        from++;
      }
      while (to > from && w.charAt(to - 1) == '\'') {
        to--;
      }
      if (to > from) {
        words.add(w.substring(from, to));
      }
    }
    if (words.size() < MIN_WORDS || words.size() > MAX_WORDS) {
      return null;
    }
    return String.join(" ", words);
  }

  /**
   * Whether a TTS engine will say exactly the words of a normalised sentence: every word is in
   * the dictionary and is neither an abbreviation (mr, dr, adj), a lone letter other than a, i
   * and o, nor a Roman numeral (xxxvii), which engines expand into other words.
   */
  static boolean speakable(String sentence, Set<String> lexicon) {
    for (String word : sentence.split(" ")) {
      if (!lexicon.contains(word) || !ordinary(word)) {
        return false;
      }
    }
    return true;
  }

  private static boolean ordinary(String word) {
    boolean numeral = word.length() >= 2 && ROMAN.matcher(word).matches()
        && !word.equals("mix") && !word.equals("mi");
    boolean letter = word.length() == 1 && !"aio".contains(word);
    return !ABBREVIATIONS.contains(word) && !numeral && !letter;
  }

  /** Every entry of a word list, lower-cased. */
  static Set<String> lexicon(Path file) throws IOException {
    Set<String> words = new java.util.HashSet<>();
    for (String line : read(file).split("\n")) {
      words.add(line.strip().toLowerCase(Locale.ROOT));
    }
    return words;
  }

  /**
   * Lower-case dictionary words of 3 to 9 letters, in file order, minus Roman numerals,
   * abbreviations and {@code exclude}.
   */
  static List<String> dictionaryWords(Path file, Set<String> exclude) throws IOException {
    List<String> words = new ArrayList<>();
    for (String line : read(file).split("\n")) {
      String w = line.strip();
      if (WORD.matcher(w).matches() && ordinary(w) && !exclude.contains(w)) {
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
