package dev.icld.data.synth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Keyword spotting on the Speech Commands v2 vocabulary: 1 s clips, the word at a random time
 * offset, real background noise at 0 to 25 dB SNR. The 12-class protocol has the ten command
 * words, {@code _unknown_} (the other 25 words and dictionary words) and {@code _silence_} (noise
 * only), all equally frequent; the 35-class protocol has every word as its own class.
 */
final class KwsRecipe implements Recipe {
  static final List<String> VOCABULARY = List.of(
      "yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go",
      "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
      "bed", "bird", "cat", "dog", "happy", "house", "marvin", "sheila", "tree", "wow",
      "backward", "forward", "follow", "learn", "visual");
  static final int COMMANDS = 10;
  static final String UNKNOWN = "_unknown_";
  static final String SILENCE = "_silence_";
  static final int CLIP = Sox.RATE;
  static final double MAX_SNR_DB = 25;

  private final int classes;
  private final long seed;
  private final NoiseBank noise;
  private final List<String> dictionaryWords;
  private final int[] espeakSpeakers;
  private final int recordedPerVoice;
  private final int[] clipsPerClass;

  KwsRecipe(CorpusSize size, int classes, long seed, NoiseBank noise,
      List<String> dictionaryWords) {
    if (classes != 12 && classes != 35) {
      throw new IllegalArgumentException("--classes must be 12 or 35, got " + classes);
    }
    this.classes = classes;
    this.seed = seed;
    this.noise = noise;
    this.dictionaryWords = dictionaryWords;
    int[] per12 = switch (size) {
      case TINY -> new int[] {4, 2, 2};
      case SMALL -> new int[] {150, 25, 25};
      case FULL -> new int[] {1000, 125, 125};
    };
    this.espeakSpeakers = switch (size) {
      case TINY -> new int[] {4, 2, 2};
      case SMALL -> new int[] {40, 8, 8};
      case FULL -> new int[] {192, 24, 24};
    };
    this.recordedPerVoice = switch (size) {
      case TINY -> 1;
      case SMALL -> 2;
      case FULL -> 8;
    };
    // The 35-class protocol keeps the corpus about as large, spread over more classes.
    this.clipsPerClass = new int[3];
    for (int s = 0; s < 3; s++) {
      clipsPerClass[s] = Math.max(1, (int) Math.round(per12[s] * 12.0 / classes));
    }
  }

  List<String> labels() {
    if (classes == 35) {
      return VOCABULARY;
    }
    List<String> labels = new ArrayList<>(VOCABULARY.subList(0, COMMANDS));
    labels.add(UNKNOWN);
    labels.add(SILENCE);
    return labels;
  }

  @Override
  public List<ClipPlan> plan() {
    Map<Split, List<Voice>> speakers = SpeakerSplits.disjoint(espeakSpeakers, recordedPerVoice,
        seed);
    List<ClipPlan> plans = new ArrayList<>();
    for (Split split : Split.values()) {
      Random order = new Random(StableHash.itemSeed(seed, "kws-order", split.ordinal()));
      List<String> labels = new ArrayList<>();
      for (String label : labels()) {
        for (int k = 0; k < clipsPerClass[split.ordinal()]; k++) {
          labels.add(label);
        }
      }
      java.util.Collections.shuffle(labels, order);
      List<Voice> slots = SpeakerSplits.slots(speakers.get(split), order);
      int spoken = 0;
      for (String label : labels) {
        int index = plans.size();
        SplittableRandom r = new SplittableRandom(StableHash.itemSeed(seed, "kws-plan", index));
        long renderSeed = StableHash.itemSeed(seed, "kws-render", index);
        if (label.equals(SILENCE)) {
          plans.add(new ClipPlan(index, split, label, null, null, null, renderSeed));
          continue;
        }
        String word = label.equals(UNKNOWN) ? unknownWord(r) : label;
        Voice voice = slots.get(spoken++ % slots.size());
        double rate = 0.85 + 0.3 * r.nextDouble();
        plans.add(new ClipPlan(index, split, label, word, new SpeechRequest(voice, word, rate),
            null, renderSeed));
      }
    }
    return plans;
  }

  /** Half the unknown words are the 25 non-command words, half dictionary words. */
  private String unknownWord(SplittableRandom r) {
    if (r.nextBoolean()) {
      return VOCABULARY.get(COMMANDS + r.nextInt(VOCABULARY.size() - COMMANDS));
    }
    return dictionaryWords.get(r.nextInt(dictionaryWords.size()));
  }

  @Override
  public Clip render(ClipPlan plan, float[] speech) {
    SplittableRandom r = new SplittableRandom(plan.renderSeed());
    if (speech == null) {
      NoiseBank.Segment segment = noise.draw(r, CLIP);
      float[] clip = segment.samples().clone();
      Signals.normalizeRms(clip, -45 + 30 * r.nextDouble());
      return new Clip(clip, "noise " + segment.source(), null);
    }
    float[] word = Signals.trimSilence(speech, 40);
    if (word.length > CLIP) {
      int cut = (word.length - CLIP) / 2;
      word = java.util.Arrays.copyOfRange(word, cut, cut + CLIP);
    }
    float[] clip = new float[CLIP];
    int offset = r.nextInt(CLIP - word.length + 1);
    System.arraycopy(word, 0, clip, offset, word.length);
    NoiseBank.Segment segment = noise.draw(r, CLIP);
    double snr = Math.floor(MAX_SNR_DB * r.nextDouble() * 10) / 10.0;
    Signals.addAtSnr(clip, offset, offset + word.length, segment.samples(), snr);
    Signals.normalizePeak(clip, Math.pow(10, (-12 + 11 * r.nextDouble()) / 20));
    String source = plan.speech().voice().describe() + "; noise " + segment.source()
        + String.format(Locale.ROOT, " at %.1f dB", snr);
    return new Clip(clip, source, snr);
  }

  @Override
  public Map<String, Object> notes() {
    Map<String, Object> notes = new LinkedHashMap<>();
    notes.put("protocol", classes + " classes");
    notes.put("labels", labels());
    notes.put("vocabulary", VOCABULARY);
    notes.put("unknown", classes == 35 ? "none"
        : "half the other 25 vocabulary words, half /usr/share/dict/words words of 3-9 letters");
    notes.put("silence", classes == 35 ? "none" : "1 s of background noise at -45 to -15 dBFS");
    notes.put("noise", "real Debian recordings (opensfx, sound-icons, freedesktop, alsa Noise.wav)"
        + " and sox white/pink/brown noise, mixed at 0 to 25 dB SNR over the spoken word");
    notes.put("speaker_splits", "disjoint; recorded voices held out by person: dev "
        + SpeakerSplits.DEV_FAMILIES + ", test " + SpeakerSplits.TEST_FAMILIES);
    return notes;
  }
}
