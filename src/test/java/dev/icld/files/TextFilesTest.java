package dev.icld.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextFilesTest {
  @TempDir Path dir;

  @Test
  void linesAreSplitAsFilesSplitsThemAndNumberedFromOne() throws IOException {
    Path file = dir.resolve("lines.jsonl");
    Files.writeString(file, "é one\r\ntwo\n\nthree\rfour\n", StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>();
    List<Integer> numbers = new ArrayList<>();
    TextFiles.forEachUtf8Line(file, (number, line) -> {
      numbers.add(number);
      lines.add(line);
    });
    assertEquals(Files.readAllLines(file, StandardCharsets.UTF_8), lines);
    assertEquals(List.of(1, 2, 3, 4, 5), numbers);
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
    String expected =
        file + ": not UTF-8 text: " + where + " does not start a valid UTF-8 character";
    IOException whole = assertThrows(IOException.class, () -> TextFiles.readUtf8(file));
    assertEquals(expected, whole.getMessage());
    IOException streamed = assertThrows(IOException.class,
        () -> TextFiles.forEachUtf8Line(file, (number, line) -> { }));
    assertEquals(expected, streamed.getMessage());
  }
}
