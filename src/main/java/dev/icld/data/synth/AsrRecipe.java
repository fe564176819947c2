package dev.icld.data.synth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Speech recognition: fortune sentences normalised to a-z, space and apostrophe, spoken by
 * speakers disjoint across splits (test speakers never heard in training), with different
 * sentences per split.
 */
final class AsrRecipe implements Recipe {
  private final long seed;
  private final List<String> sentences;
  private final int[] espeakSpeakers;
  private final int recordedPerVoice;
  private final int[] utterances;

  AsrRecipe(CorpusSize size, long seed, List<String> sentences) {
    this.seed = seed;
    this.sentences = sentences;
    this.espeakSpeakers = switch (size) {
      case TINY -> new int[] {3, 1, 1};
      case SMALL -> new int[] {24, 4, 4};
      case FULL -> new int[] {160, 20, 20};
    };
    this.recordedPerVoice = switch (size) {
      case TINY -> 1;
      case SMALL -> 2;
      case FULL -> 6;
    };
    this.utterances = switch (size) {
      case TINY -> new int[] {12, 4, 4};
      case SMALL -> new int[] {400, 50, 50};
      case FULL -> new int[] {5200, 600, 600};
    };
  }

  @Override
  public List<ClipPlan> plan() {
    SentencePools pools = new SentencePools(sentences, TextSources.MIN_WORDS,
        TextSources.MAX_WORDS, seed, "asr-sentences");
    Map<Split, List<Voice>> speakers = SpeakerSplits.disjoint(espeakSpeakers, recordedPerVoice,
        seed);
    List<ClipPlan> plans = new ArrayList<>();
    for (Split split : Split.values()) {
      List<Voice> slots = SpeakerSplits.slots(speakers.get(split),
          new Random(StableHash.itemSeed(seed, "asr-order", split.ordinal())));
      for (int k = 0; k < utterances[split.ordinal()]; k++) {
        int index = plans.size();
        SplittableRandom r = new SplittableRandom(StableHash.itemSeed(seed, "asr-plan", index));
        String text = pools.next(split);
        Voice voice = slots.get(k % slots.size());
        plans.add(new ClipPlan(index, split, null, text,
            new SpeechRequest(voice, text, 0.9 + 0.2 * r.nextDouble()), null,
            StableHash.itemSeed(seed, "asr-render", index)));
      }
    }
    return plans;
  }

  @Override
  public Clip render(ClipPlan plan, float[] speech) {
    SplittableRandom r = new SplittableRandom(plan.renderSeed());
    float[] voiced = Signals.trimSilence(speech, 40);
    int lead = (int) (Sox.RATE * (0.1 + 0.2 * r.nextDouble()));
    int tail = (int) (Sox.RATE * (0.1 + 0.2 * r.nextDouble()));
    float[] clip = new float[lead + voiced.length + tail];
    System.arraycopy(voiced, 0, clip, lead, voiced.length);
    Signals.normalizePeak(clip, Math.pow(10, (-12 + 11 * r.nextDouble()) / 20));
    return new Clip(clip, plan.speech().voice().describe(), null);
  }

  @Override
  public Map<String, Object> notes() {
    Map<String, Object> notes = new LinkedHashMap<>();
    notes.put("texts", "fortune sentences, 4 to 14 words, normalised to a-z, space and apostrophe;"
        + " no digits or symbols; split by a hash of the text (no test sentence in training)");
    notes.put("speaker_splits", "disjoint; recorded voices held out by person: dev "
        + SpeakerSplits.DEV_FAMILIES + ", test " + SpeakerSplits.TEST_FAMILIES);
    notes.put("padding", "0.1 to 0.3 s of silence before and after the trimmed utterance");
    return notes;
  }
}
