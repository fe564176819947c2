package dev.icld.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.icld.data.ManifestEntry;
import dev.icld.data.VoiceFamily;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Voice families as icld eval reads them from speaker ids, checked against the voices icld synth
 * really makes, so the two cannot drift apart.
 */
class VoiceFamilyTest {
  @Test
  void theIdWithoutItsSpeakerNumberAndOneFamilyForEspeak() {
    assertEquals("flite-slt", VoiceFamily.of("flite-slt-p03"));
    assertEquals("festival-ked", VoiceFamily.of("festival-ked-p01"));
    assertEquals("espeak-ng", VoiceFamily.of("espeak-rp-v017"));
    assertEquals("espeak-ng", VoiceFamily.of("espeak-car-v1234"));
  }

  @Test
  void otherSpeakersShareOneFamily() {
    // LibriSpeech, Speech Commands and VoxCeleb ids, a sound clip without speaker, and ids that
    // only look a little like synth's.
    for (String id : new String[] {"1089", "0a7c2a8d", "id10001", null, "flite-slt",
        "espeak-rp-017", "flite-slt-p03x", "marytts-x-p01"}) {
      assertEquals(VoiceFamily.OTHER, VoiceFamily.of(id), String.valueOf(id));
    }
  }

  @Test
  void recordedSpeakersGetTheFamilyTheirVoiceWasMadeFrom() {
    for (Voice v : VoiceBank.recordedVoices(3)) {
      assertEquals(v.family(), VoiceFamily.of(v.id()), v.id());
    }
    for (Voice v : VoiceBank.espeakVoices(30)) {
      assertEquals(VoiceFamily.ESPEAK, VoiceFamily.of(v.id()), v.id());
    }
  }

  @Test
  void theRecordedFamiliesKeptOutOfTrainingAreTheOnlyOnesHeldOut() {
    Map<Split, List<Voice>> splits = SpeakerSplits.disjoint(new int[] {8, 3, 3}, 2, 5);
    Set<String> training = VoiceFamily.of(entries(splits.get(Split.TRAIN)));
    Set<String> heldOut = new TreeSet<>(VoiceFamily.of(entries(splits.get(Split.TEST))));
    heldOut.removeAll(training);
    assertEquals(new TreeSet<>(SpeakerSplits.TEST_FAMILIES), heldOut);
    Set<String> devHeldOut = new TreeSet<>(VoiceFamily.of(entries(splits.get(Split.DEV))));
    devHeldOut.removeAll(training);
    assertEquals(new TreeSet<>(SpeakerSplits.DEV_FAMILIES), devHeldOut);
  }

  private static List<ManifestEntry> entries(List<Voice> voices) {
    return voices.stream().map(v -> new ManifestEntry("a.wav", 1, "x", null, v.id(), "synth"))
        .toList();
  }
}
