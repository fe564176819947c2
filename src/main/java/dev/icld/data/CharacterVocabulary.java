package dev.icld.data;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The character set of every ASR target, and the one place that fixes its indices:
 *
 * <pre>
 *  index  0      1..26   27      28
 *  symbol blank  a..z    space   apostrophe (')
 * </pre>
 *
 * Index 0 is the CTC blank, so it never appears inside an encoded transcript and can pad target
 * rows. {@link #SIZE} = 29 is the width of a CTC output layer.
 */
public final class CharacterVocabulary {
  public static final int BLANK = 0;
  /** Symbols of indices 1, 2, ...: a-z, space, apostrophe. */
  private static final String SYMBOLS = "abcdefghijklmnopqrstuvwxyz '";
  public static final int SIZE = SYMBOLS.length() + 1;

  private CharacterVocabulary() {}

  /** Index of one symbol, or -1 when the character is not in the vocabulary. */
  public static int indexOf(char symbol) {
    int position = SYMBOLS.indexOf(symbol);
    return position < 0 ? -1 : position + 1;
  }

  public static char symbol(int index) {
    if (index < 1 || index >= SIZE) {
      throw new IllegalArgumentException("no character has index " + index + " (blank is 0)");
    }
    return SYMBOLS.charAt(index - 1);
  }

  /**
   * Encodes a normalised transcript.
   *
   * @throws IllegalArgumentException naming the characters outside the vocabulary
   */
  public static int[] encode(String transcript) {
    String invalid = invalidCharacters(transcript);
    if (!invalid.isEmpty()) {
      throw new IllegalArgumentException(
          "transcript has characters outside a-z, space and apostrophe: \"" + invalid + "\"");
    }
    int[] ids = new int[transcript.length()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = indexOf(transcript.charAt(i));
    }
    return ids;
  }

  /** Text of a label sequence; blanks are skipped (CTC collapsing is the decoder's job). */
  public static String decode(int[] ids) {
    StringBuilder text = new StringBuilder(ids.length);
    for (int id : ids) {
      if (id != BLANK) {
        text.append(symbol(id));
      }
    }
    return text.toString();
  }

  /** The distinct characters of {@code text} that have no index, in order of appearance. */
  public static String invalidCharacters(String text) {
    StringBuilder invalid = new StringBuilder();
    text.chars()
        .filter(c -> indexOf((char) c) < 0)
        .distinct()
        .forEach(c -> invalid.appendCodePoint(c));
    return invalid.toString();
  }

  /**
   * Maps free text onto the vocabulary: lower case, accents removed (é to e), typographic
   * apostrophes to ', every other character (digits, punctuation, hyphens) to a word break,
   * runs of spaces collapsed, ends trimmed. "Don't STOP-now!" becomes "don't stop now".
   */
  public static String normalise(String text) {
    String plain = Normalizer.normalize(text, Normalizer.Form.NFKD)
        .replaceAll("\\p{M}", "")
        .replace('\u2019', '\'')
        .replace('\u2018', '\'')
        .toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(plain.length());
    for (int i = 0; i < plain.length(); i++) {
      char c = plain.charAt(i);
      char mapped = indexOf(c) > 0 ? c : ' ';
      boolean repeatedSpace = mapped == ' ' && (out.length() == 0 || out.charAt(out.length() - 1) == ' ');
      if (!repeatedSpace) {
        out.append(mapped);
      }
    }
    return out.toString().strip();
  }
}
