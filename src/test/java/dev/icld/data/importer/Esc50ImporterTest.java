package dev.icld.data.importer;

import static dev.icld.data.importer.ImporterFixtures.wav;
import static dev.icld.data.importer.ImporterFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.icld.data.ManifestEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Esc50ImporterTest {
  @TempDir Path dir;

  /** One clip per fold, ESC-50's file names and csv columns. */
  private Path esc50() throws IOException {
    Path root = dir.resolve("ESC-50-master");
    String[][] rows = {
      {"1-100032-A-0.wav", "1", "0", "dog", "True", "100032", "A"},
      {"2-100648-A-43.wav", "2", "43", "chirping_birds", "False", "100648", "A"},
      {"3-100018-A-24.wav", "3", "24", "coughing", "False", "100018", "A"},
      {"4-102844-A-49.wav", "4", "49", "hand_saw", "False", "102844", "A"},
      {"5-103415-A-2.wav", "5", "2", "pig", "False", "103415", "A"},
    };
    StringBuilder csv = new StringBuilder("filename,fold,target,category,esc10,src_file,take\n");
    for (String[] row : rows) {
      csv.append(String.join(",", row)).append('\n');
      wav(root.resolve("audio").resolve(row[0]), 800, 44100);
    }
    write(root.resolve("meta/esc50.csv"), csv.toString());
    return root;
  }

  @Test
  void foldFiveIsTestAndFoldFourDevByDefault() throws IOException {
    Path out = dir.resolve("sound");
    ImportSummary summary = new Esc50Importer(4, 5).run(esc50(), out, false);

    assertEquals(List.of(3, 1, 1), summary.splits().stream().map(ImportSummary.Split::utterances).toList());
    ManifestEntry pig = ImporterFixtures.byAudio(out.resolve("test.jsonl"))
        .get("../ESC-50-master/audio/5-103415-A-2.wav");
    assertEquals("pig", pig.label());
    assertEquals("esc50/freesound-103415", pig.source());
    assertEquals(800 / 44100.0, pig.duration(), 1e-9);
    assertEquals("hand_saw", ImporterFixtures.byAudio(out.resolve("dev.jsonl")).values().iterator().next().label());
  }

  @Test
  void otherFoldsCanBeChosen() throws IOException {
    Path out = dir.resolve("sound");
    new Esc50Importer(1, 2).run(esc50(), out, false);

    Map<String, ManifestEntry> test = ImporterFixtures.byAudio(out.resolve("test.jsonl"));
    assertEquals(List.of("chirping_birds"), test.values().stream().map(ManifestEntry::label).toList());
    assertThrows(IllegalArgumentException.class, () -> new Esc50Importer(5, 5));
    assertThrows(IllegalArgumentException.class, () -> new Esc50Importer(0, 5));
  }

  @Test
  void badCsvLinesAndMissingClipsAreAllReported() throws IOException {
    Path root = esc50();
    write(root.resolve("meta/esc50.csv"), "filename,fold,target,category,esc10,src_file,take\n"
        + "1-100032-A-0.wav,1,0,dog,True,100032,A\n"
        + "9-1-A-0.wav,x,0,dog,True,1,A\n"
        + "gone.wav,2,0,dog,True,1,A\n"
        + "short,line\n");

    IOException e = assertThrows(IOException.class, () -> new Esc50Importer(4, 5).run(root, dir.resolve("o"), false));

    assertTrue(e.getMessage().startsWith("3 problems"), e.getMessage());
    assertTrue(e.getMessage().contains("line 3: fold \"x\" is not a number"), e.getMessage());
    assertTrue(e.getMessage().contains("gone.wav: listed in esc50.csv line 4 but missing"), e.getMessage());
    assertTrue(e.getMessage().contains("line 5: 2 fields, the header has 7"), e.getMessage());
  }
}
