package dev.icld.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextFilesTest {
  @TempDir Path dir;

  @Test
  void linesAreSplitAsFilesSplitsThem() throws IOException {
    Path file = dir.resolve("lines.jsonl");
    Files.writeString(file, "é one\r\ntwo\n\nthree\rfour\n", StandardCharsets.UTF_8);
    assertEquals(Files.readAllLines(file, StandardCharsets.UTF_8), TextFiles.readUtf8Lines(file));
  }

  @Test
  void aByteThatIsNotUtf8IsNamedWithTheFileAndWhereItIs() throws IOException {
    assertRefused(new byte[] {'{', '\n', '"', 'a', (byte) 0xFF, '"', '}'},
        "byte 0xFF at offset 4 (line 2)");
  }

  @Test
  void aCharacterCutShortAtTheEndIsRefusedToo() throws IOException {
    assertRefused(new byte[] {'a', (byte) 0xC3}, "byte 0xC3 at offset 1 (line 1)");
  }

  private void assertRefused(byte[] content, String where) throws IOException {
    Path file = dir.resolve("config.json");
    Files.write(file, content);
    IOException e = assertThrows(IOException.class, () -> TextFiles.readUtf8(file));
    assertEquals(file + ": not UTF-8 text: " + where + " does not start a valid UTF-8 character",
        e.getMessage());
  }
}
