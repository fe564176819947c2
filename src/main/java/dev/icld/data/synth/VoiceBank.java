package dev.icld.data.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The fixed universe of synthetic speakers. A speaker's settings are drawn from a random stream
 * seeded by a hash of its id, never from the corpus seed: the same id is the same voice in every
 * corpus, so a later pretraining corpus can exclude downstream test speakers by id.
 */
final class VoiceBank {
  /** espeak-ng English accents: id key and language name. */
  private static final String[][] ACCENTS = {
    {"us", "en-us"}, {"gb", "en-gb"}, {"rp", "en-gb-x-rp"}, {"sc", "en-gb-scotland"},
    {"lan", "en-gb-x-gbclan"}, {"wm", "en-gb-x-gbcwmd"}, {"car", "en-029"},
  };

  private VoiceBank() {}

  /** The first {@code count} espeak-ng speakers; speaker i speaks accent i mod 7. */
  static List<Voice> espeakVoices(int count) {
    List<Voice> voices = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      voices.add(espeak(i));
    }
    return voices;
  }

  /** {@code perVoice} perturbed speakers of every flite and festival voice. */
  static List<Voice> recordedVoices(int perVoice) {
    List<Voice> voices = new ArrayList<>();
    for (FliteVoice v : FliteVoice.values()) {
      for (int p = 0; p < perVoice; p++) {
        voices.add(flite(v, p));
      }
    }
    for (FestivalVoice v : FestivalVoice.english()) {
      for (int p = 0; p < perVoice; p++) {
        voices.add(festival(v, p));
      }
    }
    return voices;
  }

  static Voice espeak(int number) {
    String[] accent = ACCENTS[number % ACCENTS.length];
    String id = String.format(Locale.ROOT, "espeak-%s-v%03d", accent[0], number);
    SplittableRandom r = new SplittableRandom(StableHash.of(id));
    boolean female = r.nextBoolean();
    int wpm = 135 + r.nextInt(50);
    return new Voice(id, Engine.ESPEAK, accent[1], id, espeakVariant(id, female, r), wpm, 0, 1.0,
        1.0, 0);
  }

  static Voice flite(FliteVoice base, int number) {
    String id = String.format(Locale.ROOT, "flite-%s-p%02d", base.key(), number);
    SplittableRandom r = new SplittableRandom(StableHash.of(id));
    int f0 = base.female() ? 150 + r.nextInt(80) : 85 + r.nextInt(60);
    double stretch = round(0.9 + 0.25 * r.nextDouble(), 100);
    double speed = round(0.92 + 0.16 * r.nextDouble(), 1000);
    int cents = r.nextInt(-200, 201);
    return new Voice(id, Engine.FLITE, base.fliteName(), "flite-" + base.key(), null, 0, f0,
        stretch, speed, cents);
  }

  static Voice festival(FestivalVoice base, int number) {
    String id = String.format(Locale.ROOT, "festival-%s-p%02d", base.key(), number);
    SplittableRandom r = new SplittableRandom(StableHash.of(id));
    double stretch = round(0.9 + 0.25 * r.nextDouble(), 100);
    double speed = round(0.9 + 0.2 * r.nextDouble(), 1000);
    int cents = r.nextInt(-300, 301);
    return new Voice(id, Engine.FESTIVAL, base.selector(), "festival-" + base.key(), null, 0, 0,
        stretch, speed, cents);
  }

  /**
   * An espeak-ng variant file: pitch, vocal-tract length (all formants scaled together, with
   * small individual deviations), flutter, roughness, breathiness, voicing and spectral tilt.
   */
  private static String espeakVariant(String id, boolean female, SplittableRandom r) {
    StringBuilder s = new StringBuilder();
    s.append("language variant\nname ").append(id).append('\n');
    s.append("gender ").append(female ? "female" : "male").append('\n');
    int pitchBase = female ? 140 + r.nextInt(90) : 65 + r.nextInt(60);
    s.append("pitch ").append(pitchBase).append(' ').append(pitchBase + 30 + r.nextInt(70))
        .append('\n');
    double tract = female ? 1.0 + 0.18 * r.nextDouble() : 0.88 + 0.18 * r.nextDouble();
    int width = female ? 110 + r.nextInt(50) : 90 + r.nextInt(30);
    for (int f = 0; f <= 8; f++) {
      int freq = f == 0 || f > 5 ? 100 : (int) Math.round(100 * tract * (0.96 + 0.08 * r.nextDouble()));
      int strength = f > 5 ? 100 : 80 + r.nextInt(40);
      s.append("formant ").append(f).append(' ').append(freq).append(' ').append(strength)
          .append(' ').append(f > 5 ? 100 : width).append('\n');
    }
    s.append("flutter ").append(r.nextInt(40)).append('\n');
    s.append("roughness ").append(r.nextInt(7)).append('\n');
    if (r.nextInt(3) == 0) {
      s.append("breath");
      for (int i = 0; i < 8; i++) {
        s.append(' ').append(r.nextInt(5));
      }
      s.append('\n');
    }
    s.append("voicing ").append(80 + r.nextInt(41)).append('\n');
    s.append("consonants ").append(80 + r.nextInt(41)).append('\n');
    s.append("tone 300 ").append(80 + r.nextInt(60)).append(" 1200 ").append(80 + r.nextInt(40))
        .append(" 2500 ").append(70 + r.nextInt(60)).append('\n');
    return s.toString();
  }

  private static double round(double value, int scale) {
    return Math.round(value * scale) / (double) scale;
  }
}
