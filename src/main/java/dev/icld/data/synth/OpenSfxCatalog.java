package dev.icld.data.synth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads OpenTTD's sound catalogue (opensfx.cat). The file starts with a table of (offset, size)
 * pairs, little-endian, whose first offset also gives the table length; the top bit of each
 * offset flags the newer format. Each entry is a one-byte name length, the name (here a quoted
 * title and credits) and a RIFF WAVE file.
 */
final class OpenSfxCatalog {
  /** One recorded effect: its slot in the catalogue, its title and its WAV bytes. */
  record Entry(int index, String title, byte[] wav) {}

  private OpenSfxCatalog() {}

  static List<Entry> read(Path file) throws IOException {
    byte[] data = Files.readAllBytes(file);
    ByteBuffer buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    if (data.length < 8) {
      throw new IOException(file + ": too short to be a sound catalogue");
    }
    int count = (buf.getInt(0) & 0x7fffffff) / 8;
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long offset = buf.getInt(8 * i) & 0x7fffffffL;
      long size = buf.getInt(8 * i + 4) & 0xffffffffL;
      if (offset + size > data.length || size < 1) {
        throw new IOException(file + ": entry " + i + " lies outside the file");
      }
      int nameLength = data[(int) offset] & 0xff;
      int wavStart = (int) offset + 1 + nameLength;
      int wavEnd = (int) (offset + size);
      if (wavEnd - wavStart < 44 || data[wavStart] != 'R' || data[wavStart + 1] != 'I') {
        continue; // the catalogue's empty "Unused/Nothing" slots
      }
      String name = new String(data, (int) offset + 1, nameLength, StandardCharsets.ISO_8859_1);
      entries.add(new Entry(i, title(name), Arrays.copyOfRange(data, wavStart, wavEnd)));
    }
    return entries;
  }

  /** The quoted title at the start of a name such as {@code "Cow". Original ... License ...}. */
  private static String title(String name) {
    String clean = name.replace("\0", "").strip();
    if (clean.startsWith("\"")) {
      int end = clean.indexOf('"', 1);
      if (end > 0) {
        return clean.substring(1, end);
      }
    }
    return clean;
  }
}
