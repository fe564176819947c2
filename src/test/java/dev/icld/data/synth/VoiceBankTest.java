package dev.icld.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VoiceBankTest {
  @Test
  void aSpeakerIdAlwaysNamesTheSameVoice() {
    assertEquals(VoiceBank.espeak(17), VoiceBank.espeak(17));
    assertEquals("espeak-rp-v016", VoiceBank.espeak(16).id());
    assertEquals(VoiceBank.flite(FliteVoice.SLT, 3), VoiceBank.flite(FliteVoice.SLT, 3));
    assertEquals("festival-ked-p02", VoiceBank.festival(FestivalVoice.KED, 2).id());
    assertNotEquals(VoiceBank.espeak(1).espeakVariant(), VoiceBank.espeak(2).espeakVariant());
  }

  @Test
  void speakerIdsAreUnique() {
    Set<String> ids = new HashSet<>();
    VoiceBank.espeakVoices(500).forEach(v -> assertTrue(ids.add(v.id()), v.id()));
    VoiceBank.recordedVoices(20).forEach(v -> assertTrue(ids.add(v.id()), v.id()));
  }

  @Test
  void splitsShareNoSpeakerAndNoRecordedPerson() {
    Map<Split, List<Voice>> splits = SpeakerSplits.disjoint(new int[] {20, 3, 4}, 3, 42);
    Map<String, Split> family = new java.util.HashMap<>();
    Set<String> ids = new HashSet<>();
    for (Map.Entry<Split, List<Voice>> e : splits.entrySet()) {
      for (Voice v : e.getValue()) {
        assertTrue(ids.add(v.id()), v.id() + " in two splits");
        Split before = family.putIfAbsent(v.family(), e.getKey());
        assertTrue(before == null || before == e.getKey(), v.family() + " in two splits");
      }
    }
    assertEquals(20 + 4 * 3, splits.get(Split.TRAIN).size());
    assertEquals(splits, SpeakerSplits.disjoint(new int[] {20, 3, 4}, 3, 42));
    assertNotEquals(splits, SpeakerSplits.disjoint(new int[] {20, 3, 4}, 3, 43));
  }
}
