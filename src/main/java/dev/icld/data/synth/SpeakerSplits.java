package dev.icld.data.synth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Assigns speakers to splits so that no speaker, and no recorded person behind a perturbed
 * voice, appears in two splits. espeak-ng speakers are shuffled by the corpus seed; the seven
 * recorded voices (flite and festival) have fixed splits because there are so few of them.
 */
final class SpeakerSplits {
  /** Recorded families held out from training; the rest (flite slt/kal, festival kal/slt) train. */
  static final List<String> DEV_FAMILIES = List.of("flite-rms");
  static final List<String> TEST_FAMILIES = List.of("flite-awb", "festival-ked");
  /** Recorded voices sound more like real speech, so each gets this many times the clips. */
  static final int RECORDED_WEIGHT = 2;

  private SpeakerSplits() {}

  /**
   * Disjoint speakers: {@code espeak[s]} espeak-ng speakers for split s, and
   * {@code recordedPerVoice} perturbed speakers of each recorded voice in its family's split.
   */
  static Map<Split, List<Voice>> disjoint(int[] espeak, int recordedPerVoice, long seed) {
    int total = espeak[0] + espeak[1] + espeak[2];
    List<Voice> espeakVoices = new ArrayList<>(VoiceBank.espeakVoices(total));
    Collections.shuffle(espeakVoices, new Random(StableHash.itemSeed(seed, "speaker-splits", 0)));
    Map<Split, List<Voice>> splits = new EnumMap<>(Split.class);
    int from = 0;
    for (Split split : Split.values()) {
      int n = espeak[split.ordinal()];
      splits.put(split, new ArrayList<>(espeakVoices.subList(from, from + n)));
      from += n;
    }
    for (Voice v : VoiceBank.recordedVoices(recordedPerVoice)) {
      splits.get(splitOf(v.family())).add(v);
    }
    return splits;
  }

  static Split splitOf(String family) {
    if (TEST_FAMILIES.contains(family)) {
      return Split.TEST;
    }
    return DEV_FAMILIES.contains(family) ? Split.DEV : Split.TRAIN;
  }

  /**
   * The voices in a random order, recorded ones {@link #RECORDED_WEIGHT} times; assigning clips
   * round-robin over this list spreads them evenly over speakers.
   */
  static List<Voice> slots(List<Voice> voices, Random random) {
    List<Voice> slots = new ArrayList<>();
    for (Voice v : voices) {
      int weight = v.engine() == Engine.ESPEAK ? 1 : RECORDED_WEIGHT;
      for (int i = 0; i < weight; i++) {
        slots.add(v);
      }
    }
    Collections.shuffle(slots, random);
    return slots;
  }
}
