package dev.icld.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabularyTest {
  @Test
  void characterIndicesAreBlankThenLettersSpaceApostrophe() {
    assertEquals(29, CharacterVocabulary.SIZE);
    assertEquals(0, CharacterVocabulary.BLANK);
    assertEquals(1, CharacterVocabulary.indexOf('a'));
    assertEquals(26, CharacterVocabulary.indexOf('z'));
    assertEquals(27, CharacterVocabulary.indexOf(' '));
    assertEquals(28, CharacterVocabulary.indexOf('\''));
    assertEquals(-1, CharacterVocabulary.indexOf('A'));
    assertArrayEquals(new int[] {4, 15, 14, 28, 20, 27, 7, 15},
        CharacterVocabulary.encode("don't go"));
    assertEquals("don't go", CharacterVocabulary.decode(new int[] {4, 15, 0, 14, 28, 20, 27, 7, 15}));
  }

  @Test
  void encodingRejectsCharactersOutsideTheVocabulary() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CharacterVocabulary.encode("Hi 2U"));
    assertTrue(e.getMessage().contains("\"H2U\""), e.getMessage());
  }

  @Test
  void normalisationMapsFreeTextOntoTheVocabulary() {
    assertEquals("don't stop now", CharacterVocabulary.normalise("  Don\u2019t STOP-now!  "));
    assertEquals("cafe naive", CharacterVocabulary.normalise("Caf\u00e9 na\u00efve"));
    assertEquals("chapter one", CharacterVocabulary.normalise("CHAPTER  ONE"));
    assertEquals("", CharacterVocabulary.normalise("1984."));
  }

  @Test
  void labelVocabularyIsSortedFromTrainingWhateverTheLineOrder() {
    List<Utterance> a = List.of(utterance("yes"), utterance("no"), utterance("yes"), utterance("_silence_"));
    List<Utterance> b = List.of(utterance("no"), utterance("_silence_"), utterance("yes"));
    LabelVocabulary vocabulary = LabelVocabulary.fromTraining(a);

    assertEquals(List.of("_silence_", "no", "yes"), vocabulary.labels());
    assertEquals(vocabulary, LabelVocabulary.fromTraining(b));
    assertEquals(2, vocabulary.indexOf("yes"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> vocabulary.indexOf("maybe"));
    assertTrue(e.getMessage().contains("\"maybe\""));
    assertThrows(IllegalArgumentException.class, () -> LabelVocabulary.of(List.of("a", "a")));
  }

  @Test
  void labelVocabularyRoundTripsThroughAFile(@TempDir Path dir) throws IOException {
    LabelVocabulary vocabulary = LabelVocabulary.of(List.of("zebra", "apple"));
    Path file = dir.resolve("labels.txt");
    vocabulary.write(file);

    assertEquals(vocabulary, LabelVocabulary.read(file));
    Files.writeString(file, "a\n\nb\n");
    IOException e = assertThrows(IOException.class, () -> LabelVocabulary.read(file));
    assertTrue(e.getMessage().startsWith(file + ": not a label vocabulary"), e.getMessage());
  }

  private static Utterance utterance(String label) {
    return new Utterance(new ManifestEntry("x.wav", 1, label, null, null, null),
        Path.of("x.wav"), 1, 16000);
  }
}
