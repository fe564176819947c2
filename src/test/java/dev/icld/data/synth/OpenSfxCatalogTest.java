package dev.icld.data.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenSfxCatalogTest {
  @TempDir Path dir;

  private static byte[] entry(String name, byte[] wav) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] n = (name + "\0").getBytes(StandardCharsets.ISO_8859_1);
    out.write(n.length);
    out.writeBytes(n);
    out.writeBytes(wav);
    return out.toByteArray();
  }

  private static byte[] fakeWav(int fill) {
    byte[] wav = new byte[60];
    System.arraycopy("RIFF".getBytes(StandardCharsets.US_ASCII), 0, wav, 0, 4);
    java.util.Arrays.fill(wav, 4, wav.length, (byte) fill);
    return wav;
  }

  @Test
  void entriesAreFoundThroughTheOffsetTableAndEmptySlotsSkipped() throws IOException {
    List<byte[]> entries = List.of(entry("\"Cow\". By someone. License: CC0.", fakeWav(1)),
        entry("\"Unused/Nothing\"", new byte[0]), entry("\"Horse\". Edited.", fakeWav(2)));
    int table = 8 * entries.size();
    ByteBuffer file = ByteBuffer.allocate(table + entries.stream().mapToInt(e -> e.length).sum())
        .order(ByteOrder.LITTLE_ENDIAN);
    int offset = table;
    for (byte[] e : entries) {
      file.putInt(offset | 0x80000000).putInt(e.length);
      offset += e.length;
    }
    entries.forEach(file::put);
    Path cat = dir.resolve("test.cat");
    Files.write(cat, file.array());

    List<OpenSfxCatalog.Entry> read = OpenSfxCatalog.read(cat);
    assertEquals(2, read.size());
    assertEquals("Cow", read.get(0).title());
    assertEquals(0, read.get(0).index());
    assertArrayEquals(fakeWav(1), read.get(0).wav());
    assertEquals("Horse", read.get(1).title());
    assertEquals(2, read.get(1).index());
  }

  @Test
  void aTruncatedCatalogueIsAnErrorNamingTheFile() throws IOException {
    Path cat = dir.resolve("bad.cat");
    Files.write(cat, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(8)
        .putInt(1000).array());
    IOException e = assertThrows(IOException.class, () -> OpenSfxCatalog.read(cat));
    assertTrue(e.getMessage().startsWith(cat.toString()), e.getMessage());
  }

  @Test
  @NeedsSystemTools(files = "/usr/share/games/openttd/baseset/opensfx/opensfx.cat")
  void theInstalledCatalogueHoldsSeventyOneRecordings() throws IOException {
    List<OpenSfxCatalog.Entry> entries = OpenSfxCatalog.read(Tools.fromEnvironment().openSfx());
    assertEquals(71, entries.size());
    assertTrue(entries.stream().anyMatch(e -> e.title().equals("Applause")));
  }
}
