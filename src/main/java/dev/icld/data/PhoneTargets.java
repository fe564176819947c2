package dev.icld.data;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Phone targets of a pretraining corpus, kept in {@value #FILE} beside its manifests, one line
 * per utterance: the CMU phones of flite and festival with their end times ({@code segments},
 * for frame labels), or only the phone sequence where the engine gives no times (espeak-ng,
 * {@code phones}, for CTC).
 */
public final class PhoneTargets {
  public static final String FILE = "phones.jsonl";
  /**
   * The CMU phone set that flite and festival's English voices share, pause first. In a CTC
   * head index 0 is the blank instead, since sequences never contain a pause.
   */
  public static final List<String> INVENTORY = List.of("pau",
      "aa", "ae", "ah", "ao", "aw", "ax", "axr", "ay", "b", "ch", "d", "dh", "eh", "er", "ey",
      "f", "g", "hh", "ih", "iy", "jh", "k", "l", "m", "n", "ng", "ow", "oy", "p", "r", "s", "sh",
      "t", "th", "uh", "uw", "v", "w", "y", "z", "zh");
  public static final int PAUSE = 0;
  private static final Map<String, Integer> INDEX = new HashMap<>();

  static {
    for (int i = 0; i < INVENTORY.size(); i++) {
      INDEX.put(INVENTORY.get(i), i);
    }
  }

  /** A phone and the time in seconds at which it ends. */
  public record Segment(String phone, double end) {}

  /**
   * One utterance's targets: exactly one of {@code segments} and {@code sequence} is non-null.
   *
   * @param audio the audio path as the manifest writes it
   */
  public record Entry(String audio, List<Segment> segments, List<String> sequence) {
    public Entry {
      if ((segments == null) == (sequence == null)) {
        throw new IllegalArgumentException("give either timed segments or a phone sequence");
      }
      segments = segments == null ? null : List.copyOf(segments);
      sequence = sequence == null ? null : List.copyOf(sequence);
      for (String phone : segments != null ? segments.stream().map(Segment::phone).toList()
          : sequence) {
        index(phone);
      }
    }

    public boolean timed() {
      return segments != null;
    }
  }

  private PhoneTargets() {}

  /** The phone's index in {@link #INVENTORY}. */
  public static int index(String phone) {
    Integer i = INDEX.get(phone);
    if (i == null) {
      throw new IllegalArgumentException("'" + phone + "' is not a CMU phone " + INVENTORY);
    }
    return i;
  }

  public static String toJsonLine(Entry entry) {
    JsonObject o = new JsonObject();
    o.addProperty("audio", entry.audio());
    if (entry.timed()) {
      StringBuilder s = new StringBuilder();
      for (Segment segment : entry.segments()) {
        if (!s.isEmpty()) {
          s.append(' ');
        }
        s.append(segment.phone()).append(':')
            .append(String.format(Locale.ROOT, "%.4f", segment.end()));
      }
      o.addProperty("segments", s.toString());
    } else {
      o.addProperty("phones", String.join(" ", entry.sequence()));
    }
    return o.toString();
  }

  static Entry parseLine(String line) {
    JsonObject o = JsonParser.parseString(line).getAsJsonObject();
    String audio = o.get("audio").getAsString();
    if (o.has("segments")) {
      List<Segment> segments = new ArrayList<>();
      for (String item : o.get("segments").getAsString().split(" ")) {
        int colon = item.lastIndexOf(':');
        if (colon <= 0) {
          throw new IllegalArgumentException("segment '" + item + "' is not phone:end");
        }
        segments.add(new Segment(item.substring(0, colon),
            Double.parseDouble(item.substring(colon + 1))));
      }
      return new Entry(audio, segments, null);
    }
    String phones = o.get("phones").getAsString().strip();
    return new Entry(audio, null, phones.isEmpty() ? List.of() : List.of(phones.split(" ")));
  }

  /**
   * The targets of a corpus folder, keyed by the absolute, normalised path of each audio file (as
   * {@link Utterance#file()} resolves it).
   */
  public static Map<Path, Entry> read(Path corpusDir) throws IOException {
    Path file = corpusDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": no phone targets here (make the corpus with icld "
          + "synth-phones)");
    }
    Map<Path, Entry> entries = new HashMap<>();
    int number = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      try {
        Entry entry = parseLine(line);
        entries.put(corpusDir.resolve(entry.audio()).toAbsolutePath().normalize(), entry);
      } catch (IllegalArgumentException | IllegalStateException | NullPointerException
          | JsonSyntaxException e) {
        throw new IOException(file + " line " + number + ": " + e.getMessage(), e);
      }
    }
    return entries;
  }

  /**
   * Frame labels on an encoder grid: frame k covers samples [k * hop, k * hop + window) and takes
   * the phone whose interval holds its centre; frames past the last segment are pauses.
   */
  public static int[] frameLabels(List<Segment> segments, int frames, int hop, int window,
      int sampleRate) {
    int[] labels = new int[frames];
    int s = 0;
    for (int k = 0; k < frames; k++) {
      double centre = (k * (double) hop + window / 2.0) / sampleRate;
      while (s < segments.size() && segments.get(s).end() <= centre) {
        s++;
      }
      labels[k] = s < segments.size() ? index(segments.get(s).phone()) : PAUSE;
    }
    return labels;
  }

  /** A sequence as CTC targets: inventory indices, so 0 (the pause) is free for the blank. */
  public static int[] ctcTargets(List<String> sequence) {
    int[] targets = new int[sequence.size()];
    for (int i = 0; i < targets.length; i++) {
      targets[i] = index(sequence.get(i));
      if (targets[i] == PAUSE) {
        throw new IllegalArgumentException("a CTC phone sequence holds no pause");
      }
    }
    return targets;
  }
}
