package dev.icld.data.synth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Closed-set speaker identification: every speaker says different fortune sentences in train,
 * dev and test; clips are cut or padded to 2 to 5 s. The label is the speaker id.
 */
final class SidRecipe implements Recipe {
  static final int MIN_SAMPLES = 2 * Sox.RATE;
  static final int MAX_SAMPLES = 5 * Sox.RATE;

  private final long seed;
  private final List<String> sentences;
  private final int espeakSpeakers;
  private final int recordedPerVoice;
  private final int[] utterancesPerSpeaker;

  SidRecipe(CorpusSize size, long seed, List<String> sentences) {
    this.seed = seed;
    this.sentences = sentences;
    this.espeakSpeakers = switch (size) {
      case TINY -> 3;
      case SMALL -> 20;
      case FULL -> 100;
    };
    this.recordedPerVoice = switch (size) {
      case TINY -> 1;
      case SMALL -> 2;
      case FULL -> 4;
    };
    this.utterancesPerSpeaker = switch (size) {
      case TINY -> new int[] {2, 1, 1};
      case SMALL -> new int[] {8, 2, 2};
      case FULL -> new int[] {16, 4, 4};
    };
  }

  List<Voice> speakers() {
    List<Voice> voices = new ArrayList<>(VoiceBank.espeakVoices(espeakSpeakers));
    voices.addAll(VoiceBank.recordedVoices(recordedPerVoice));
    return voices;
  }

  @Override
  public List<ClipPlan> plan() {
    SentencePools pools = new SentencePools(sentences, 5, 11, seed, "sid-sentences");
    List<Voice> speakers = speakers();
    List<ClipPlan> plans = new ArrayList<>();
    for (Split split : Split.values()) {
      List<Voice> order = new ArrayList<>();
      for (Voice v : speakers) {
        for (int k = 0; k < utterancesPerSpeaker[split.ordinal()]; k++) {
          order.add(v);
        }
      }
      Collections.shuffle(order, new Random(StableHash.itemSeed(seed, "sid-order",
          split.ordinal())));
      for (Voice voice : order) {
        int index = plans.size();
        SplittableRandom r = new SplittableRandom(StableHash.itemSeed(seed, "sid-plan", index));
        String text = pools.next(split);
        plans.add(new ClipPlan(index, split, voice.id(), text,
            new SpeechRequest(voice, text, 0.9 + 0.2 * r.nextDouble()), null,
            StableHash.itemSeed(seed, "sid-render", index)));
      }
    }
    return plans;
  }

  @Override
  public Clip render(ClipPlan plan, float[] speech) {
    SplittableRandom r = new SplittableRandom(plan.renderSeed());
    float[] voiced = Signals.trimSilence(speech, 40);
    float[] clip;
    if (voiced.length > MAX_SAMPLES) {
      int start = r.nextInt(voiced.length - MAX_SAMPLES + 1);
      clip = Arrays.copyOfRange(voiced, start, start + MAX_SAMPLES);
    } else if (voiced.length < MIN_SAMPLES) {
      clip = new float[MIN_SAMPLES];
      System.arraycopy(voiced, 0, clip, r.nextInt(MIN_SAMPLES - voiced.length + 1),
          voiced.length);
    } else {
      clip = voiced;
    }
    Signals.normalizePeak(clip, Math.pow(10, (-12 + 11 * r.nextDouble()) / 20));
    return new Clip(clip, plan.speech().voice().describe(), null);
  }

  @Override
  public Map<String, Object> notes() {
    Map<String, Object> notes = new LinkedHashMap<>();
    notes.put("protocol", "closed set: every speaker in every split, different sentences per split");
    notes.put("clip_seconds", "2 to 5 (longer utterances cut at a random point, shorter padded)");
    notes.put("texts", "fortune sentences of 5 to 11 words; split by a hash of the text");
    return notes;
  }
}
