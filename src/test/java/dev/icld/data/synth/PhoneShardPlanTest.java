package dev.icld.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** How a pretraining shard is planned, with and without festival's voices of other languages. */
class PhoneShardPlanTest {
  private static final List<String> SENTENCES = List.of("the cat sat on the mat",
      "a quick brown fox jumps over the lazy dog", "we will go there tomorrow morning");

  private static List<PhoneCorpusBuilder.Plan> plan(double otherLanguages) {
    return PhoneCorpusBuilder.plan(new PhoneCorpusBuilder.Request(Path.of("unused"), 18, 400, 1,
        1, otherLanguages), SENTENCES);
  }

  private static boolean otherLanguage(PhoneCorpusBuilder.Plan p) {
    return FestivalVoice.bySelector(p.speech().voice().engineVoice())
        .map(v -> v.language() != FestivalLanguage.ENGLISH).orElse(false);
  }

  @Test
  void otherLanguagesTakeTheirShareAndLeaveEveryOtherUtteranceAsItWas() {
    List<PhoneCorpusBuilder.Plan> without = plan(0);
    List<PhoneCorpusBuilder.Plan> with = plan(0.5);
    assertFalse(without.stream().anyMatch(PhoneShardPlanTest::otherLanguage));
    long others = with.stream().filter(PhoneShardPlanTest::otherLanguage).count();
    assertTrue(others > 150 && others < 250, others + " of 400");
    for (int i = 0; i < with.size(); i++) {
      if (!otherLanguage(with.get(i))) {
        assertEquals(without.get(i), with.get(i), "utterance " + i);
      }
    }
    Set<String> families = with.stream().filter(PhoneShardPlanTest::otherLanguage)
        .map(p -> p.speech().voice().family()).collect(Collectors.toSet());
    assertEquals(Set.of("festival-it-pc", "festival-it-lp", "festival-fi-mv", "festival-fi-lj"),
        families);
  }

  @Test
  void aShareOutsideZeroToOneIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plan(1.5));
    assertTrue(e.getMessage().contains("--other-languages must be a share in 0..1"));
  }
}
