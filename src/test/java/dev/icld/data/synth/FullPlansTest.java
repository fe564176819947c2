package dev.icld.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The full corpora's plans (no audio is made) meet the sizes the project asks for. */
@NeedsSystemTools(files = {"/usr/share/games/fortunes/fortunes", "/usr/share/dict/words"})
class FullPlansTest {
  static List<String> sentences;

  @BeforeAll
  static void readTexts() throws IOException {
    Tools tools = Tools.fromEnvironment();
    sentences = TextSources.fortuneSentences(tools.fortunes(),
        TextSources.lexicon(tools.dictionary()));
  }

  private static Map<Split, Set<String>> speakers(List<ClipPlan> plans) {
    Map<Split, Set<String>> speakers = new EnumMap<>(Split.class);
    for (Split s : Split.values()) {
      speakers.put(s, new HashSet<>());
    }
    plans.stream().filter(p -> p.speaker() != null)
        .forEach(p -> speakers.get(p.split()).add(p.speaker()));
    return speakers;
  }

  private static long count(List<ClipPlan> plans, Split split) {
    return plans.stream().filter(p -> p.split() == split).count();
  }

  private static void assertDisjoint(Map<Split, Set<String>> speakers) {
    for (Split a : Split.values()) {
      for (Split b : Split.values()) {
        if (a != b) {
          Set<String> both = new HashSet<>(speakers.get(a));
          both.retainAll(speakers.get(b));
          assertTrue(both.isEmpty(), a + " and " + b + " share " + both);
        }
      }
    }
  }

  @Test
  void fullKeywordSpottingHasTwelveThousandTrainingClipsFromTwoHundredSpeakers() {
    List<ClipPlan> plans = new KwsRecipe(CorpusSize.FULL, 12, 1, null, List.of("zebra"))
        .plan();
    assertTrue(count(plans, Split.TRAIN) >= 12000);
    Map<Split, Set<String>> speakers = speakers(plans);
    assertTrue(speakers.get(Split.TRAIN).size() >= 200, "train speakers "
        + speakers.get(Split.TRAIN).size());
    assertDisjoint(speakers);
    for (int i = 0; i < plans.size(); i++) {
      assertEquals(i, plans.get(i).index());
    }
  }

  @Test
  void thirtyFiveClassProtocolUsesEveryWordAsAClass() {
    KwsRecipe recipe = new KwsRecipe(CorpusSize.FULL, 35, 1, null, List.of());
    assertEquals(KwsRecipe.VOCABULARY, recipe.labels());
    List<ClipPlan> plans = recipe.plan();
    Set<String> labels = new HashSet<>();
    plans.forEach(p -> labels.add(p.label()));
    assertEquals(Set.copyOf(KwsRecipe.VOCABULARY), labels);
    assertTrue(count(plans, Split.TRAIN) >= 12000);
  }

  @Test
  void fullAsrHasFiveThousandTrainingUtterancesAndUnseenTestSpeakers() {
    List<ClipPlan> plans = new AsrRecipe(CorpusSize.FULL, 1, sentences).plan();
    assertTrue(count(plans, Split.TRAIN) >= 5000);
    assertDisjoint(speakers(plans));
    Set<String> trainTexts = new HashSet<>();
    plans.stream().filter(p -> p.split() == Split.TRAIN).forEach(p -> trainTexts.add(
        p.transcript()));
    plans.stream().filter(p -> p.split() != Split.TRAIN)
        .forEach(p -> assertTrue(!trainTexts.contains(p.transcript()), p.transcript()));
  }

  @Test
  void fullSidHasAHundredSpeakersInEverySplit() {
    Map<Split, Set<String>> speakers = speakers(new SidRecipe(CorpusSize.FULL, 1, sentences)
        .plan());
    assertTrue(speakers.get(Split.TRAIN).size() >= 100);
    assertEquals(speakers.get(Split.TRAIN), speakers.get(Split.DEV));
    assertEquals(speakers.get(Split.TRAIN), speakers.get(Split.TEST));
  }
}
