package dev.icld.data.importer;

import static dev.icld.data.importer.ImporterFixtures.wav;
import static dev.icld.data.importer.ImporterFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.icld.data.ManifestEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VoxCelebImporterTest {
  @TempDir Path dir;

  /** Two speakers; the test-archive clip sits in vox1_test_wav/wav as that archive unpacks. */
  private Path voxCeleb() throws IOException {
    Path root = dir.resolve("voxceleb1");
    wav(root.resolve("vox1_dev_wav/wav/id10001/1zcIwhmdeo4/00001.wav"), 3200);
    wav(root.resolve("vox1_dev_wav/wav/id10001/1zcIwhmdeo4/00002.wav"), 1600);
    wav(root.resolve("vox1_dev_wav/wav/id10002/6WxS8rpNjmk/00001.wav"), 2400);
    wav(root.resolve("vox1_test_wav/wav/id10270/5r0dWxy17C8/00001.wav"), 1600);
    write(root.resolve("meta/iden_split.txt"), "1 id10001/1zcIwhmdeo4/00001.wav\n"
        + "2 id10001/1zcIwhmdeo4/00002.wav\n"
        + "1 id10002/6WxS8rpNjmk/00001.wav\n"
        + "3 id10270/5r0dWxy17C8/00001.wav\n");
    return root;
  }

  @Test
  void splitNumbersGiveTrainDevTestAndTheSpeakerIsTheLabel() throws IOException {
    Path out = dir.resolve("sid");
    ImportSummary summary = new VoxCelebImporter(null).run(voxCeleb(), out, false);

    assertEquals(2, summary.split("train").utterances());
    assertEquals(2, summary.split("train").labels());
    ManifestEntry dev = ImporterFixtures.byAudio(out.resolve("dev.jsonl"))
        .get("../voxceleb1/vox1_dev_wav/wav/id10001/1zcIwhmdeo4/00002.wav");
    assertEquals("id10001", dev.label());
    assertEquals("id10001", dev.speaker());
    assertEquals("voxceleb1/1zcIwhmdeo4", dev.source());
    assertEquals(0.1, dev.duration(), 1e-9);
    assertEquals(1, ImporterFixtures.byAudio(out.resolve("test.jsonl")).size());
  }

  @Test
  void aSplitFileElsewhereCanBeNamed() throws IOException {
    Path root = voxCeleb();
    Path moved = Files.move(root.resolve("meta/iden_split.txt"), dir.resolve("iden_split.txt"));
    IOException e = assertThrows(IOException.class,
        () -> new VoxCelebImporter(null).run(root, dir.resolve("o"), false));
    assertTrue(e.getMessage().contains("--split-file"), e.getMessage());

    assertEquals(3, new VoxCelebImporter(moved).run(root, dir.resolve("o"), false).splits().size());
  }

  @Test
  void malformedLinesAndMissingClipsAreAllReported() throws IOException {
    Path root = voxCeleb();
    write(root.resolve("meta/iden_split.txt"), "1 id10001/1zcIwhmdeo4/00001.wav\n"
        + "4 id10001/1zcIwhmdeo4/00002.wav\n"
        + "3 id10003/abc/00009.wav\n");

    IOException e = assertThrows(IOException.class,
        () -> new VoxCelebImporter(null).run(root, dir.resolve("o"), false));

    assertTrue(e.getMessage().startsWith("2 problems"), e.getMessage());
    assertTrue(e.getMessage().contains("iden_split.txt line 2: expected"), e.getMessage());
    assertTrue(e.getMessage().contains("id10003/abc/00009.wav: listed in iden_split.txt line 3 but not found"),
        e.getMessage());
  }
}
