package dev.icld.data.importer;

import static dev.icld.data.importer.ImporterFixtures.flac;
import static dev.icld.data.importer.ImporterFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.icld.data.Corpus;
import dev.icld.data.LoadOptions;
import dev.icld.data.ManifestEntry;
import dev.icld.data.TargetKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibriSpeechImporterTest {
  @TempDir Path dir;

  /** LibriSpeech/{train-clean-100,dev-clean,test-clean,test-other}/SPEAKER/CHAPTER/... */
  private Path libriSpeech() throws IOException {
    Path root = dir.resolve("corpora");
    Path ls = root.resolve("LibriSpeech");
    Path chapter = ls.resolve("train-clean-100/103/1240");
    flac(chapter.resolve("103-1240-0000.flac"), "tone-a");
    flac(chapter.resolve("103-1240-0001.flac"), "tone-b");
    write(chapter.resolve("103-1240.trans.txt"),
        "103-1240-0000 CHAPTER ONE MISSUS RACHEL LYNDE IS SURPRISED\n"
            + "103-1240-0001 THAT HAD ITS SOURCE AWAY BACK IN THE WOODS OF THE OLD CUTHBERT PLACE IT WAS REPUTED\n");
    Path other = ls.resolve("train-clean-360/1001/134707");
    flac(other.resolve("1001-134707-0000.flac"), "tone-c");
    write(other.resolve("1001-134707.trans.txt"), "1001-134707-0000 I DON'T KNOW\n");
    Path dev = ls.resolve("dev-clean/84/121123");
    flac(dev.resolve("84-121123-0000.flac"), "tone-c");
    write(dev.resolve("84-121123.trans.txt"), "84-121123-0000 GO DO YOU HEAR\n");
    Path test = ls.resolve("test-clean/1089/134686");
    flac(test.resolve("1089-134686-0000.flac"), "tone-b");
    write(test.resolve("1089-134686.trans.txt"), "1089-134686-0000 HE HOPED THERE WOULD BE STEW\n");
    Path testOther = ls.resolve("test-other/1688/142285");
    flac(testOther.resolve("1688-142285-0000.flac"), "tone-a");
    write(testOther.resolve("1688-142285.trans.txt"), "1688-142285-0000 THERE'S IRON THEY SAY\n");
    return root;
  }

  @Test
  void writesOneManifestPerSplitWithNormalisedTranscripts() throws IOException {
    Path out = dir.resolve("manifests");
    ImportSummary summary = new LibriSpeechImporter().run(libriSpeech(), out, false);

    assertEquals(List.of("train", "dev", "test", "test-other"),
        summary.splits().stream().map(ImportSummary.Split::name).toList());
    assertEquals(3, summary.split("train").utterances());
    assertEquals(2, summary.split("train").speakers());

    Map<String, ManifestEntry> train = ImporterFixtures.byAudio(out.resolve("train.jsonl"));
    ManifestEntry first = train.get("../corpora/LibriSpeech/train-clean-100/103/1240/103-1240-0000.flac");
    assertEquals("chapter one missus rachel lynde is surprised", first.transcript());
    assertEquals("103", first.speaker());
    assertEquals("librispeech/train-clean-100", first.source());
    assertEquals(0.25, first.duration(), 1e-9);
    assertEquals("i don't know",
        train.get("../corpora/LibriSpeech/train-clean-360/1001/134707/1001-134707-0000.flac").transcript());
    assertEquals("there's iron they say",
        ImporterFixtures.byAudio(out.resolve("test-other.jsonl")).values().iterator().next().transcript());

    for (String split : List.of("train", "dev", "test", "test-other")) {
      Corpus corpus = Corpus.load(out.resolve(split + ".jsonl"), LoadOptions.of(TargetKind.TRANSCRIPT));
      assertEquals(summary.split(split).utterances(), corpus.size());
    }
  }

  @Test
  void acceptsASingleSplitFolderAsRoot() throws IOException {
    Path root = libriSpeech().resolve("LibriSpeech/dev-clean");
    ImportSummary summary = new LibriSpeechImporter().run(root, dir.resolve("dev-only"), false);

    assertEquals(1, summary.splits().size());
    assertEquals(1, summary.split("dev").utterances());
    assertFalse(Files.exists(dir.resolve("dev-only/train.jsonl")));
  }

  @Test
  void listsEveryMismatchBetweenTranscriptsAndAudio() throws IOException {
    Path root = libriSpeech();
    Path chapter = root.resolve("LibriSpeech/train-clean-100/103/1240");
    Files.delete(chapter.resolve("103-1240-0001.flac"));
    flac(chapter.resolve("103-1240-0002.flac"), "tone-c");
    Files.delete(root.resolve("LibriSpeech/dev-clean/84/121123/84-121123.trans.txt"));
    Files.write(root.resolve("LibriSpeech/test-clean/1089/134686/1089-134686-0000.flac"), new byte[] {1, 2, 3});
    Path out = dir.resolve("out");

    IOException e = assertThrows(IOException.class, () -> new LibriSpeechImporter().run(root, out, false));

    String message = e.getMessage();
    assertTrue(message.startsWith("4 problems in " + root), message);
    assertTrue(message.contains("103-1240-0001.flac: listed in 103-1240.trans.txt line 2 but missing"), message);
    assertTrue(message.contains("103-1240-0002.flac: no line in 103-1240.trans.txt"), message);
    assertTrue(message.contains("121123: chapter has no 84-121123.trans.txt"), message);
    assertTrue(message.contains("1089-134686-0000.flac: not a WAV or FLAC file"), message);
    assertFalse(Files.exists(out.resolve("train.jsonl")));

    ImportSummary kept = new LibriSpeechImporter().run(root, out, true);
    assertEquals(4, kept.skipped());
    assertEquals(2, kept.split("train").utterances());
    assertEquals(List.of("train", "test-other"), kept.splits().stream().map(ImportSummary.Split::name).toList());
  }

  @Test
  void aFolderWithoutLibriSpeechSaysWhatItLookedFor() throws IOException {
    IOException e = assertThrows(IOException.class,
        () -> new LibriSpeechImporter().run(Files.createDirectories(dir.resolve("empty")), dir.resolve("o"), false));
    assertTrue(e.getMessage().contains("no LibriSpeech split folder"), e.getMessage());
  }
}
