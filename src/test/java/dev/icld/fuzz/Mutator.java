package dev.icld.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Derives a hostile input from a valid one: bit flips, random bytes, truncation, deletion,
 * insertion, chunk duplication, splices with another seed, interesting integers written at the
 * offsets where a format keeps its sizes and counts, and interesting numbers put in place of the
 * numbers of a text format. Everything comes from the {@link SplittableRandom} it is given, so an
 * input is a function of the campaign seed and its index alone: any input can be made again.
 */
final class Mutator {
  /** Larger inputs test nothing the readers' bounds don't already, and slow the campaign. */
  static final int MAX_INPUT_BYTES = 256 << 10;
  private static final int MAX_STACKED_MUTATIONS = 8;

  /** Values at the edges of the integer types, of the readers' bounds, and of common fields. */
  private static final long[] INTERESTING_INTEGERS = {
      0, 1, 2, 3, 7, 8, 15, 16, 63, 64, 65, 127, 128, 255, 256, 1000, 1024, 4095, 4096, 8000,
      16000, 44100, 65535, 65536, 384000, 384001, 1 << 20, Integer.MAX_VALUE - 8,
      Integer.MAX_VALUE, 1L << 31, 0xFFFF_FFFFL, 1L << 32, Long.MAX_VALUE, -1, -2, -128, -32768,
      Integer.MIN_VALUE, Long.MIN_VALUE};

  /** Replacements for a number of a JSON text: limits, overflows, non-integers, other types. */
  private static final String[] INTERESTING_NUMBER_TEXTS = {
      "0", "-1", "1", "3", "-0", "0.5", "1e-320", "1e309", "-1e309", "65536", "100000000",
      "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
      "123456789012345678901234567890", "NaN", "Infinity", "null", "true", "\"\"", "[]", "{}",
      "[1,2,3]", "\"8\""};

  private final List<Integer> headerOffsets;

  /**
   * @param headerOffsets where the format keeps sizes and counts; a negative offset counts from
   *     the end of the input (a zip archive's directory is at its end)
   */
  Mutator(List<Integer> headerOffsets) {
    this.headerOffsets = List.copyOf(headerOffsets);
  }

  /** One to {@value #MAX_STACKED_MUTATIONS} mutations of {@code seed}, stacked (half of them one). */
  byte[] mutate(byte[] seed, List<byte[]> otherSeeds, SplittableRandom random) {
    byte[] input = seed;
    // Mostly one or two: every further mutation makes a refusal at the first check likelier.
    int mutations = 1;
    while (mutations < MAX_STACKED_MUTATIONS && random.nextBoolean()) {
      mutations++;
    }
    for (int i = 0; i < mutations; i++) {
      input = mutateOnce(input, otherSeeds, random);
      if (input.length > MAX_INPUT_BYTES) {
        input = Arrays.copyOf(input, MAX_INPUT_BYTES);
      }
    }
    return input;
  }

  private byte[] mutateOnce(byte[] input, List<byte[]> otherSeeds, SplittableRandom random) {
    if (input.length == 0) {
      return randomBytes(1 + random.nextInt(16), random);
    }
    return switch (random.nextInt(10)) {
      case 0 -> flipBits(input, random);
      case 1 -> setRandomBytes(input, random);
      case 2 -> Arrays.copyOf(input, random.nextInt(input.length));
      case 3 -> deleteRange(input, random);
      case 4 -> insert(input, random.nextInt(input.length + 1), randomBytes(1 + random.nextInt(16), random));
      case 5 -> duplicateChunk(input, random);
      case 6 -> splice(input, otherSeeds.get(random.nextInt(otherSeeds.size())), random);
      case 7, 8 -> writeInterestingInteger(input, random);
      default -> replaceNumberText(input, random);
    };
  }

  private static byte[] flipBits(byte[] input, SplittableRandom random) {
    byte[] out = input.clone();
    int flips = 1 + random.nextInt(8);
    for (int i = 0; i < flips; i++) {
      out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
    }
    return out;
  }

  private static byte[] setRandomBytes(byte[] input, SplittableRandom random) {
    byte[] out = input.clone();
    int count = 1 + random.nextInt(4);
    for (int i = 0; i < count; i++) {
      out[random.nextInt(out.length)] = (byte) random.nextInt(256);
    }
    return out;
  }

  private static byte[] deleteRange(byte[] input, SplittableRandom random) {
    int from = random.nextInt(input.length);
    int to = from + 1 + random.nextInt(Math.min(64, input.length - from));
    byte[] out = new byte[input.length - (to - from)];
    System.arraycopy(input, 0, out, 0, from);
    System.arraycopy(input, to, out, from, input.length - to);
    return out;
  }

  /** A chunk repeated up to 16 times somewhere: grows frame lists, chunk lists, JSON lines. */
  private static byte[] duplicateChunk(byte[] input, SplittableRandom random) {
    int from = random.nextInt(input.length);
    int length = 1 + random.nextInt(Math.min(512, input.length - from));
    byte[] chunk = Arrays.copyOfRange(input, from, from + length);
    int copies = 1 + random.nextInt(16);
    byte[] repeated = new byte[chunk.length * copies];
    for (int i = 0; i < copies; i++) {
      System.arraycopy(chunk, 0, repeated, i * chunk.length, chunk.length);
    }
    return insert(input, random.nextInt(input.length + 1), repeated);
  }

  /** The head of one input on the tail of another, each cut at a random point. */
  private static byte[] splice(byte[] input, byte[] other, SplittableRandom random) {
    int headLength = random.nextInt(input.length + 1);
    int tailStart = other.length == 0 ? 0 : random.nextInt(other.length);
    byte[] out = Arrays.copyOf(input, headLength + other.length - tailStart);
    System.arraycopy(other, tailStart, out, headLength, other.length - tailStart);
    return out;
  }

  /** An edge value, 1 to 8 bytes wide, either byte order, at a header offset or anywhere. */
  private byte[] writeInterestingInteger(byte[] input, SplittableRandom random) {
    int width = new int[] {1, 2, 4, 8}[random.nextInt(4)];
    if (input.length < width) {
      return input;
    }
    int offset;
    if (!headerOffsets.isEmpty() && random.nextInt(4) != 0) {
      int declared = headerOffsets.get(random.nextInt(headerOffsets.size()));
      offset = declared >= 0 ? declared : input.length + declared;
    } else {
      offset = random.nextInt(input.length);
    }
    offset = Math.max(0, Math.min(offset, input.length - width));
    long value = INTERESTING_INTEGERS[random.nextInt(INTERESTING_INTEGERS.length)];
    if (random.nextBoolean()) {
      value += random.nextInt(3) - 1;
    }
    boolean bigEndian = random.nextBoolean();
    byte[] out = input.clone();
    for (int i = 0; i < width; i++) {
      int shift = 8 * (bigEndian ? width - 1 - i : i);
      out[offset + i] = (byte) (value >>> shift);
    }
    return out;
  }

  /** One number of a text (a JSON value, a header field) replaced by an interesting one. */
  private static byte[] replaceNumberText(byte[] input, SplittableRandom random) {
    int start = random.nextInt(input.length);
    while (start < input.length && !isDigit(input[start])) {
      start++;
    }
    if (start == input.length) {
      return flipBits(input, random);
    }
    if (start > 0 && input[start - 1] == '-') {
      start--;
    }
    int end = start + 1;
    while (end < input.length && isNumberByte(input[end])) {
      end++;
    }
    byte[] replacement = INTERESTING_NUMBER_TEXTS[random.nextInt(INTERESTING_NUMBER_TEXTS.length)]
        .getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[input.length - (end - start) + replacement.length];
    System.arraycopy(input, 0, out, 0, start);
    System.arraycopy(replacement, 0, out, start, replacement.length);
    System.arraycopy(input, end, out, start + replacement.length, input.length - end);
    return out;
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }

  private static boolean isNumberByte(byte b) {
    return isDigit(b) || b == '.' || b == 'e' || b == 'E' || b == '+' || b == '-';
  }

  private static byte[] insert(byte[] input, int at, byte[] inserted) {
    byte[] out = new byte[input.length + inserted.length];
    System.arraycopy(input, 0, out, 0, at);
    System.arraycopy(inserted, 0, out, at, inserted.length);
    System.arraycopy(input, at, out, at + inserted.length, input.length - at);
    return out;
  }

  private static byte[] randomBytes(int length, SplittableRandom random) {
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      out[i] = (byte) random.nextInt(256);
    }
    return out;
  }
}
