package dev.icld.data.synth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Sound-event classification over the Debian recordings grouped by {@link SoundClasses}. The
 * recordings of each class are split between train, dev and test (each recording in one split
 * only, so a test clip is never an augmented copy of a training one), then every clip is a
 * random 3 s window of one recording with speed, gain, time-shift and noise augmentation.
 */
final class SoundRecipe implements Recipe {
  static final int MIN_RECORDINGS = 5;
  static final int CLIP = 3 * Sox.RATE;

  private final long seed;
  private final List<Recording> stationaryNoise;
  private final int[] clipsPerClass;
  private final Map<String, Map<Split, List<Recording>>> classes = new TreeMap<>();
  private final Map<String, List<String>> excluded = new TreeMap<>();

  SoundRecipe(CorpusSize size, long seed, List<Recording> recordings, NoiseBank noise) {
    this.seed = seed;
    this.clipsPerClass = switch (size) {
      case TINY -> new int[] {3, 1, 1};
      case SMALL -> new int[] {60, 15, 15};
      case FULL -> new int[] {400, 100, 100};
    };
    // Event recordings as background would blur the labels; only steady noise is mixed in.
    this.stationaryNoise = noise.sources().stream()
        .filter(r -> r.id().startsWith("sox/") || r.id().equals("alsa/Noise"))
        .toList();
    Map<String, List<Recording>> byClass = new TreeMap<>();
    for (Recording r : recordings) {
      String label = SoundClasses.classify(r);
      String key = label == null ? "(no class)" : label;
      byClass.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
    }
    for (Map.Entry<String, List<Recording>> e : byClass.entrySet()) {
      if (e.getKey().startsWith("(") || e.getValue().size() < MIN_RECORDINGS) {
        excluded.put(e.getKey(), e.getValue().stream().map(SoundRecipe::name).toList());
      } else {
        classes.put(e.getKey(), splitRecordings(e.getKey(), e.getValue()));
      }
    }
  }

  private Map<Split, List<Recording>> splitRecordings(String label, List<Recording> recordings) {
    List<Recording> shuffled = new ArrayList<>(recordings);
    Collections.shuffle(shuffled, new Random(StableHash.itemSeed(seed, "sound-split:" + label, 0)));
    int held = Math.max(1, (int) Math.round(0.2 * shuffled.size()));
    Map<Split, List<Recording>> split = new EnumMap<>(Split.class);
    split.put(Split.TEST, shuffled.subList(0, held));
    split.put(Split.DEV, shuffled.subList(held, 2 * held));
    split.put(Split.TRAIN, shuffled.subList(2 * held, shuffled.size()));
    return split;
  }

  @Override
  public List<ClipPlan> plan() {
    List<ClipPlan> plans = new ArrayList<>();
    for (Split split : Split.values()) {
      List<ClipPlan> items = new ArrayList<>();
      for (Map.Entry<String, Map<Split, List<Recording>>> c : classes.entrySet()) {
        List<Recording> sources = c.getValue().get(split);
        for (int k = 0; k < clipsPerClass[split.ordinal()]; k++) {
          items.add(new ClipPlan(0, split, c.getKey(), null, null,
              sources.get(k % sources.size()), 0));
        }
      }
      Collections.shuffle(items, new Random(StableHash.itemSeed(seed, "sound-order",
          split.ordinal())));
      for (ClipPlan item : items) {
        int index = plans.size();
        plans.add(new ClipPlan(index, split, item.label(), null, null, item.recording(),
            StableHash.itemSeed(seed, "sound-render", index)));
      }
    }
    return plans;
  }

  @Override
  public Clip render(ClipPlan plan, float[] speech) {
    SplittableRandom r = new SplittableRandom(plan.renderSeed());
    Recording source = plan.recording();
    double speed = 0.9 + 0.2 * r.nextDouble();
    float[] event = Signals.changeSpeed(source.samples(), speed);
    float[] clip = new float[CLIP];
    int from;
    int to;
    if (event.length >= CLIP) {
      int start = r.nextInt(event.length - CLIP + 1);
      System.arraycopy(event, start, clip, 0, CLIP);
      from = 0;
      to = CLIP;
    } else {
      from = r.nextInt(CLIP - event.length + 1);
      System.arraycopy(event, 0, clip, from, event.length);
      to = from + event.length;
    }
    Recording noise = stationaryNoise.get(r.nextInt(stationaryNoise.size()));
    float[] segment = Signals.loopedSegment(noise.samples(), r.nextInt(noise.samples().length),
        CLIP);
    double snr = Math.floor((5 + 25 * r.nextDouble()) * 10) / 10.0;
    Signals.addAtSnr(clip, from, to, segment, snr);
    Signals.normalizePeak(clip, Math.pow(10, (-20 + 19 * r.nextDouble()) / 20));
    String description = String.format(Locale.ROOT, "%s; speed %.3f; noise %s at %.1f dB",
        name(source), speed, noise.id(), snr);
    return new Clip(clip, description, snr);
  }

  private static String name(Recording r) {
    return r.id().startsWith("opensfx-") ? r.id() + " \"" + r.title() + "\"" : r.id();
  }

  @Override
  public Map<String, Object> notes() {
    Map<String, Object> notes = new LinkedHashMap<>();
    Map<String, Object> mapping = new LinkedHashMap<>();
    for (Map.Entry<String, Map<Split, List<Recording>>> c : classes.entrySet()) {
      Map<String, List<String>> bySplit = new LinkedHashMap<>();
      for (Split s : Split.values()) {
        bySplit.put(s.id(), c.getValue().get(s).stream().map(SoundRecipe::name).toList());
      }
      mapping.put(c.getKey(), bySplit);
    }
    notes.put("classes", mapping);
    notes.put("excluded", excluded);
    List<String> rules = new ArrayList<>();
    for (SoundClasses.Rule rule : SoundClasses.RULES) {
      rules.add(rule.label() + ": /" + rule.pattern().pattern() + "/");
    }
    notes.put("class_rules", rules);
    notes.put("augmentation", "random 3 s window; speed 0.9-1.1; peak -20 to -1 dBFS; sox"
        + " white/pink/brown or ALSA noise at 5 to 30 dB SNR");
    return notes;
  }
}
