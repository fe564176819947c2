package dev.icld.files;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads UTF-8 text files that users hand over (config.json, manifests). Files.readString and
 * readAllLines report a byte that is not UTF-8 as "MalformedInputException: Input length = 1",
 * naming neither the file nor the place; here the error says both.
 */
public final class TextFiles {
  private TextFiles() {}

  /** The whole file as text; a byte sequence that is not UTF-8 is an error naming where it is. */
  public static String readUtf8(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    // UTF-8 never decodes to more chars than it has bytes.
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      int offset = in.position();
      throw new IOException(String.format("%s: not UTF-8 text: byte 0x%02X at offset %d (line %d)"
          + " does not start a valid UTF-8 character", file, bytes[offset] & 0xFF, offset,
          lineOf(bytes, offset)));
    }
    return out.flip().toString();
  }

  /** Receives a text file's lines one at a time. */
  @FunctionalInterface
  public interface LineHandler {
    /** Line {@code number} (from 1) of the file, without its line terminator. */
    void accept(int number, String line) throws IOException;
  }

  /**
   * Hands the file's lines to {@code handler} as they are read, split as {@link
   * Files#readAllLines} splits them, so that a manifest of any length costs one line of memory.
   * A byte sequence that is not UTF-8 is an error naming where it is, as for {@link #readUtf8};
   * the lines before it have been handed over by then.
   */
  public static void forEachUtf8Line(Path file, LineHandler handler) throws IOException {
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int number = 0;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        handler.accept(++number, line);
      }
    } catch (CharacterCodingException e) {
      // The reader's exception names neither the file nor the place; reading it whole does.
      readUtf8(file);
      throw new IOException(file + ": not UTF-8 text (" + e + "; the file changed since)", e);
    }
  }

  private static int lineOf(byte[] bytes, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (bytes[i] == '\n') {
        line++;
      }
    }
    return line;
  }
}
