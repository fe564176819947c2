package dev.icld.data.importer;

import static dev.icld.data.importer.ImporterFixtures.wav;
import static dev.icld.data.importer.ImporterFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.icld.audio.AudioFiles;
import dev.icld.data.ManifestEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpeechCommandsImporterTest {
  @TempDir Path dir;

  /**
   * Every command word once (speaker 0a0b0c0d), plus "bed" and "marvin", the two lists and one
   * 10.5 s noise recording at 8 kHz.
   */
  private Path speechCommands() throws IOException {
    Path root = dir.resolve("speech_commands_v0.02");
    for (String word : SpeechCommandsImporter.COMMANDS) {
      wav(root.resolve(word + "/0a0b0c0d_nohash_0.wav"), 1600);
    }
    wav(root.resolve("yes/ffee1122_nohash_1.wav"), 1600);
    wav(root.resolve("bed/12345678_nohash_0.wav"), 1600);
    wav(root.resolve("marvin/12345678_nohash_1.wav"), 1600);
    wav(root.resolve("_background_noise_/white_noise.wav"), 84000, 8000);
    write(root.resolve("_background_noise_/README.md"), "noise\n");
    write(root.resolve("validation_list.txt"), "yes/ffee1122_nohash_1.wav\n");
    write(root.resolve("testing_list.txt"), "bed/12345678_nohash_0.wav\nmarvin/12345678_nohash_1.wav\n");
    return root;
  }

  @Test
  void twelveClassProtocolMapsOtherWordsToUnknownAndCutsSilence() throws IOException {
    Path out = dir.resolve("kws");
    ImportSummary summary = new SpeechCommandsImporter(12).run(speechCommands(), out, false);

    Map<String, ManifestEntry> train = ImporterFixtures.byAudio(out.resolve("train.jsonl"));
    Map<String, ManifestEntry> dev = ImporterFixtures.byAudio(out.resolve("dev.jsonl"));
    Map<String, ManifestEntry> test = ImporterFixtures.byAudio(out.resolve("test.jsonl"));
    // 10 commands + 8 silence clips; 1 listed clip + 1 silence; 2 unknowns + 1 silence
    assertEquals(18, train.size());
    assertEquals(2, dev.size());
    assertEquals(3, test.size());
    ManifestEntry yes = train.get("../speech_commands_v0.02/yes/0a0b0c0d_nohash_0.wav");
    assertEquals("yes", yes.label());
    assertEquals("0a0b0c0d", yes.speaker());
    assertEquals(0.1, yes.duration(), 1e-9);
    assertEquals("ffee1122", dev.get("../speech_commands_v0.02/yes/ffee1122_nohash_1.wav").speaker());
    assertEquals("_unknown_", test.get("../speech_commands_v0.02/bed/12345678_nohash_0.wav").label());
    assertEquals("_unknown_", test.get("../speech_commands_v0.02/marvin/12345678_nohash_1.wav").label());

    assertEquals(11, summary.split("train").labels(), "every command word and _silence_");
    assertEquals(List.of("_silence_/white_noise_0008.wav"), keysWithLabel(dev, "_silence_"));
    assertEquals(List.of("_silence_/white_noise_0009.wav"), keysWithLabel(test, "_silence_"));
    ManifestEntry silence = train.get("_silence_/white_noise_0003.wav");
    assertEquals("speechcommands/_background_noise_/white_noise.wav@3s", silence.source());
    assertEquals(1.0, silence.duration(), 1e-9);
    assertEquals(16000, AudioFiles.read(out.resolve("_silence_/white_noise_0003.wav")).sampleRate());
  }

  @Test
  void thirtyFiveClassProtocolKeepsEveryWordAndNoSilence() throws IOException {
    Path out = dir.resolve("kws35");
    new SpeechCommandsImporter(35).run(speechCommands(), out, false);

    Map<String, ManifestEntry> test = ImporterFixtures.byAudio(out.resolve("test.jsonl"));
    assertEquals("bed", test.get("../speech_commands_v0.02/bed/12345678_nohash_0.wav").label());
    assertEquals("marvin", test.get("../speech_commands_v0.02/marvin/12345678_nohash_1.wav").label());
    assertEquals(10, ImporterFixtures.byAudio(out.resolve("train.jsonl")).size());
    assertTrue(Files.notExists(out.resolve("_silence_")));
  }

  @Test
  void listedClipsThatAreMissingAreReported() throws IOException {
    Path root = speechCommands();
    Files.delete(root.resolve("marvin/12345678_nohash_1.wav"));
    Files.delete(root.resolve("go/0a0b0c0d_nohash_0.wav"));
    Files.delete(root.resolve("go"));

    IOException e = assertThrows(IOException.class,
        () -> new SpeechCommandsImporter(12).run(root, dir.resolve("o"), false));

    assertTrue(e.getMessage().contains("marvin/12345678_nohash_1.wav: listed in testing_list.txt but missing"),
        e.getMessage());
    assertTrue(e.getMessage().contains("go: command word folder missing"), e.getMessage());
  }

  @Test
  void aFolderWithoutTheListsIsNotSpeechCommands() {
    IOException e = assertThrows(IOException.class,
        () -> new SpeechCommandsImporter(12).run(dir, dir.resolve("o"), false));
    assertTrue(e.getMessage().contains("not a Speech Commands folder: no validation_list.txt"));
    assertThrows(IllegalArgumentException.class, () -> new SpeechCommandsImporter(30));
  }

  private static List<String> keysWithLabel(Map<String, ManifestEntry> entries, String label) {
    return new TreeMap<>(entries).entrySet().stream()
        .filter(e -> label.equals(e.getValue().label())).map(Map.Entry::getKey).toList();
  }
}
