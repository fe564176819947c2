package dev.icld.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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

  /** The file's lines, split as {@link Files#readAllLines} splits them, read as UTF-8. */
  public static List<String> readUtf8Lines(Path file) throws IOException {
    return readUtf8(file).lines().toList();
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
