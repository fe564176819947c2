package dev.icld.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.icld.data.PhoneTargets.Entry;
import dev.icld.data.PhoneTargets.Segment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PhoneTargetsTest {
  @TempDir Path temp;

  @Test
  void framesTakeThePhoneUnderTheirCentre() {
    // 20 ms hop, 25 ms window at 16 kHz: frame k's centre is at 12.5 + 20 k ms.
    List<Segment> segments = List.of(new Segment("pau", 0.030), new Segment("hh", 0.0525),
        new Segment("ow", 0.100));
    int[] labels = PhoneTargets.frameLabels(segments, 6, 320, 400, 16_000);
    int pau = PhoneTargets.index("pau");
    int hh = PhoneTargets.index("hh");
    int ow = PhoneTargets.index("ow");
    // centres 12.5, 32.5, 52.5 (the end of hh is exclusive), 72.5, 92.5, 112.5 (past the end)
    assertArrayEquals(new int[] {pau, hh, ow, ow, ow, pau}, labels);
  }

  @Test
  void linesRoundTripAndResolveAgainstTheCorpus() throws IOException {
    Entry timed = new Entry("audio/train/1.wav", List.of(new Segment("pau", 0.1234),
        new Segment("s", 0.5)), null);
    Entry sequence = new Entry("audio/train/2.wav", null, List.of("y", "eh", "s"));
    Files.writeString(temp.resolve(PhoneTargets.FILE), PhoneTargets.toJsonLine(timed) + "\n"
        + PhoneTargets.toJsonLine(sequence) + "\n");
    Map<Path, Entry> read = PhoneTargets.read(temp);
    assertEquals(timed, read.get(temp.resolve("audio/train/1.wav").toAbsolutePath().normalize()));
    assertEquals(sequence, read.get(temp.resolve("audio/train/2.wav").toAbsolutePath()));
    assertArrayEquals(new int[] {PhoneTargets.index("y"), PhoneTargets.index("eh"),
        PhoneTargets.index("s")}, PhoneTargets.ctcTargets(sequence.sequence()));
  }

  @Test
  void badTargetsAreRefusedNamingTheFileAndLine() throws IOException {
    Files.writeString(temp.resolve(PhoneTargets.FILE),
        "{\"audio\":\"a.wav\",\"phones\":\"hh ow\"}\n{\"audio\":\"b.wav\",\"phones\":\"hh q\"}\n");
    IOException e = assertThrows(IOException.class, () -> PhoneTargets.read(temp));
    assertTrue(e.getMessage().contains(PhoneTargets.FILE + " line 2: 'q' is not a CMU phone"),
        e.getMessage());
    IOException missing = assertThrows(IOException.class,
        () -> PhoneTargets.read(temp.resolve("nowhere")));
    assertTrue(missing.getMessage().contains("icld synth-phones"), missing.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> PhoneTargets.ctcTargets(List.of("hh", "pau")));
  }
}
