package dev.icld.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextSourcesTest {
  @TempDir Path dir;

  @Test
  void sentencesAreNormalisedToLettersSpacesAndApostrophes() {
    assertEquals("don't panic it's only a test",
        TextSources.normalise("\"Don't panic -- it's only a test!\"".replace("--", ",")));
    // Apostrophes at word edges are almost always quotation marks, so they go.
    assertEquals("the dogs dinner is not ready", TextSources.normalise(
        "The dogs' dinner is 'not' ready."));
  }

  @Test
  void sentencesWithDigitsSymbolsOrTheWrongLengthAreDropped() {
    assertNull(TextSources.normalise("There are 10 kinds of people."));
    assertNull(TextSources.normalise("Mail me at a@b.c today please."));
    assertNull(TextSources.normalise("Too short."));
    assertNull(TextSources.normalise("one two three four five six seven eight nine ten eleven"
        + " twelve thirteen fourteen fifteen"));
  }

  @Test
  void fortuneFilesAreSplitIntoSentencesInFileOrder() throws IOException {
    Files.writeString(dir.resolve("b"), "Second file sentence is here.\n%\n");
    Files.writeString(dir.resolve("a"), "The first sentence is this one. The second one\n"
        + "spans two lines of text!\n%\n\t\t-- An Attribution, 1999\n%\nShort.\n%\n");
    Files.writeString(dir.resolve("a.dat"), "binary index, ignored");
    Set<String> lexicon = Set.of("the", "first", "sentence", "is", "this", "one", "second",
        "spans", "two", "lines", "of", "text", "file", "here");
    assertEquals(List.of("the first sentence is this one", "the second one spans two lines of text",
        "second file sentence is here"), TextSources.fortuneSentences(dir, lexicon));
  }

  @Test
  void sentencesTheEnginesWouldNotReadWordForWordAreDropped() {
    Set<String> lexicon = Set.of("a", "i", "q", "mr", "xxxvii", "what", "do", "monsters", "eat",
        "smith", "said", "so", "mix", "it", "up", "ninety", "percent");
    assertTrue(TextSources.speakable("i said mix it up", lexicon));
    assertTrue(!TextSources.speakable("q what do monsters eat", lexicon));
    assertTrue(!TextSources.speakable("mr smith said so", lexicon));
    assertTrue(!TextSources.speakable("xxxvii ninety percent", lexicon));
    assertTrue(!TextSources.speakable("what do zorglubs eat", lexicon));
  }

  @Test
  @NeedsSystemTools(files = {"/usr/share/games/fortunes/fortunes", "/usr/share/dict/words"})
  void theInstalledFortunesGiveThousandsOfSentences() throws IOException {
    Tools tools = Tools.fromEnvironment();
    List<String> sentences = TextSources.fortuneSentences(tools.fortunes(),
        TextSources.lexicon(tools.dictionary()));
    assertTrue(sentences.size() > 5000, "only " + sentences.size() + " sentences");
    for (String s : sentences) {
      assertTrue(s.matches("[a-z']+( [a-z']+){3,13}"), s);
    }
  }

  @Test
  void dictionaryWordsExcludeTheKeywords() throws IOException {
    Files.writeString(dir.resolve("words"), "Aaron\nstop\nhouse\nzebra\nit's\nxxxvii\nabacus\nxy\n");
    assertEquals(List.of("zebra", "abacus"),
        TextSources.dictionaryWords(dir.resolve("words"), Set.of("stop", "house")));
  }
}
