package dev.icld.data.synth;

import dev.icld.data.PhoneTargets;
import dev.icld.data.PhoneTargets.Segment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Speech with its phones: flite ({@code -psdur}) and festival ({@code utt.save.segs}) report
 * every phone's end time, which sox's speed and tempo effects then scale; festival's CMU lexicon
 * gives the phone sequence of any word, for engines that report no times (espeak-ng).
 */
final class TimedSpeech {
  /**
   * Samples of an utterance and its phones, times in seconds of these samples; or, where the
   * engine failed on it, no samples and the failure.
   */
  record Result(float[] samples, List<Segment> segments, String failure) {
    Result(float[] samples, List<Segment> segments) {
      this(samples, segments, null);
    }

    static Result failed(String why) {
      return new Result(null, null, why);
    }
  }

  private static final Pattern LEXICON_LINE = Pattern.compile("^W (\\S+) (.*)$");
  private static final Pattern PHONE = Pattern.compile("[a-z]+");

  private final Tools tools;
  private final Sox sox;

  TimedSpeech(Tools tools) {
    this.tools = tools;
    this.sox = new Sox(tools.program(Tools.SOX));
  }

  /**
   * One flite utterance. {@code effects} are sox effects after the voice's own perturbation;
   * {@code timeScale} is how much they stretch time (1 / (speed x tempo)).
   */
  Result flite(SpeechRequest request, List<String> effects, double timeScale, Path scratch)
      throws IOException {
    Voice voice = request.voice();
    Path wav = scratch.resolve("flite.wav");
    byte[] out = Exec.run(List.of(tools.program(Tools.FLITE), "-voice", voice.engineVoice(),
        "--setf", "int_f0_target_mean=" + voice.f0Mean(),
        "--setf", String.format(Locale.ROOT, "duration_stretch=%.3f",
            voice.durationStretch() / request.rate()),
        "-psdur", "-t", request.text(), "-o", wav.toString()), null, scratch);
    List<Segment> segments = parseFlite(new String(out, StandardCharsets.UTF_8));
    float[] samples = sox.read(wav, withVoice(voice, effects), scratch);
    Files.delete(wav);
    return new Result(samples, scale(segments, timeScale / voice.soxSpeed()));
  }

  /** A batch of festival utterances in one process (its start-up is slow). */
  List<Result> festival(List<SpeechRequest> batch, List<List<String>> effects,
      double[] timeScales, Path scratch) throws IOException {
    StringBuilder script = new StringBuilder();
    String selected = null;
    for (int i = 0; i < batch.size(); i++) {
      Voice voice = batch.get(i).voice();
      if (!voice.engineVoice().equals(selected)) {
        script.append('(').append(voice.engineVoice()).append(")\n");
        selected = voice.engineVoice();
      }
      script.append(String.format(Locale.ROOT, "(Parameter.set 'Duration_Stretch %.3f)%n",
          voice.durationStretch() / batch.get(i).rate()));
      script.append("(set! u (SynthText \"").append(schemeString(batch.get(i).text()))
          .append("\"))\n");
      script.append("(utt.save.wave u \"festival-").append(i).append(".wav\" 'riff)\n");
      script.append("(utt.save.segs u \"festival-").append(i).append(".segs\")\n");
    }
    Path file = scratch.resolve("batch.scm");
    Files.writeString(file, script, StandardCharsets.UTF_8);
    Exec.run(List.of(tools.program(Tools.FESTIVAL), "-b", file.toString()), null, scratch);
    List<Result> results = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      Path wav = scratch.resolve("festival-" + i + ".wav");
      Path segs = scratch.resolve("festival-" + i + ".segs");
      if (!Files.isRegularFile(wav) || !Files.isRegularFile(segs)) {
        throw new IOException("festival wrote no audio or segments for \"" + batch.get(i).text()
            + "\"");
      }
      Voice voice = batch.get(i).voice();
      List<Segment> segments = parseFestival(Files.readString(segs, StandardCharsets.UTF_8),
          FestivalVoice.bySelector(voice.engineVoice()).orElseThrow(() -> new IOException(
              "'" + voice.engineVoice() + "' is not one of icld's festival voices")).language());
      float[] samples = sox.read(wav, withVoice(voice, effects.get(i)), scratch);
      results.add(new Result(samples, scale(segments, timeScales[i] / voice.soxSpeed())));
      Files.delete(wav);
      Files.delete(segs);
    }
    return results;
  }

  /** The samples of a wav file through sox effects (espeak-ng's reverberation). */
  float[] soxEffects(Path wav, List<String> effects, Path scratch) throws IOException {
    return sox.read(wav, effects, scratch);
  }

  /**
   * Each word's phones from festival's CMU lexicon (letter-to-sound rules for unknown words). A
   * word that neither gives phones (festival has none for some forms with an apostrophe) is
   * looked up again without its apostrophes.
   */
  Map<String, List<String>> lexicon(Set<String> words, Path scratch) throws IOException {
    Map<String, List<String>> phones = lookUp(words, scratch);
    Map<String, String> plain = new LinkedHashMap<>();
    for (String word : words) {
      if (phones.getOrDefault(word, List.of()).isEmpty()) {
        plain.put(word, word.replace("'", ""));
      }
    }
    if (!plain.isEmpty()) {
      Map<String, List<String>> again = lookUp(new java.util.TreeSet<>(plain.values()), scratch);
      plain.forEach((word, without) -> phones.put(word, again.getOrDefault(without, List.of())));
    }
    for (String word : words) {
      if (phones.getOrDefault(word, List.of()).isEmpty()) {
        throw new IOException("festival's lexicon gave no phones for '" + word + "'");
      }
    }
    return phones;
  }

  private Map<String, List<String>> lookUp(Set<String> words, Path scratch) throws IOException {
    StringBuilder script = new StringBuilder();
    for (String word : words) {
      String w = schemeString(word);
      script.append("(format t \"W %s %l\\n\" \"").append(w).append("\" (lex.lookup \"")
          .append(w).append("\" nil))\n");
    }
    Path file = scratch.resolve("lexicon.scm");
    Files.writeString(file, script, StandardCharsets.UTF_8);
    byte[] out = Exec.run(List.of(tools.program(Tools.FESTIVAL), "-b", file.toString()), null,
        scratch);
    Files.delete(file);
    Map<String, List<String>> phones = new LinkedHashMap<>();
    for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) {
      Matcher m = LEXICON_LINE.matcher(line.strip());
      if (m.matches()) {
        phones.put(m.group(1), parseLookup(m.group(2)));
      }
    }
    return phones;
  }

  /** ("hello" nil (((hh ax) 0) ((l ow) 1))) gives [hh, ax, l, ow]; ("x" nil nil) none. */
  static List<String> parseLookup(String lookup) {
    int syllables = lookup.indexOf("(((");
    if (syllables < 0) {
      return List.of();
    }
    List<String> phones = new ArrayList<>();
    Matcher m = PHONE.matcher(lookup.substring(syllables));
    while (m.find()) {
      phones.add(m.group());
    }
    return phones;
  }

  /** flite -psdur's line: "pau:0.164 hh:0.255 ...". */
  static List<Segment> parseFlite(String out) {
    List<Segment> segments = new ArrayList<>();
    for (String item : out.strip().split("\\s+")) {
      int colon = item.lastIndexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("flite printed '" + item + "', not phone:end");
      }
      segments.add(new Segment(item.substring(0, colon),
          Double.parseDouble(item.substring(colon + 1))));
    }
    return checked(segments, "flite");
  }

  /**
   * An utt.save.segs file: a header, "#", then "end 100 phone" per line.
   *
   * @param language the voice's language where it is not English, its phones mapped to CMU's;
   *     null for English voices, whose phones are CMU's
   */
  static List<Segment> parseFestival(String segs, FestivalLanguage language) {
    List<Segment> segments = new ArrayList<>();
    boolean body = false;
    for (String line : segs.split("\n")) {
      String s = line.strip();
      if (!body) {
        body = s.equals("#");
        continue;
      }
      if (s.isEmpty()) {
        continue;
      }
      String[] parts = s.split("\\s+");
      if (parts.length != 3) {
        throw new IllegalArgumentException("festival segment line '" + s + "'");
      }
      segments.add(new Segment(language.cmuPhone(parts[2]),
          Double.parseDouble(parts[0])));
    }
    return checked(segments, "festival");
  }

  private static List<Segment> checked(List<Segment> segments, String engine) {
    if (segments.isEmpty()) {
      throw new IllegalArgumentException(engine + " reported no phones");
    }
    double previous = 0;
    for (Segment s : segments) {
      PhoneTargets.index(s.phone());
      if (s.end() < previous) {
        throw new IllegalArgumentException(engine + " phone times go backwards at " + s);
      }
      previous = s.end();
    }
    return segments;
  }

  private static List<Segment> scale(List<Segment> segments, double factor) {
    return segments.stream().map(s -> new Segment(s.phone(), s.end() * factor)).toList();
  }

  private static List<String> withVoice(Voice voice, List<String> effects) {
    List<String> all = new ArrayList<>();
    if (voice.perturbedWithSox()) {
      all.addAll(List.of("speed", String.format(Locale.ROOT, "%.3f", voice.soxSpeed()),
          "pitch", String.valueOf(voice.soxPitchCents())));
    }
    all.addAll(effects);
    return all;
  }

  static String schemeString(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
