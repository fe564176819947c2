package dev.icld.data;

import dev.icld.audio.AudioFiles;
import dev.icld.audio.AudioFormatException;
import dev.icld.files.TextFiles;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A manifest whose every line has been checked: the JSON parses, the target field the task needs
 * is there, and the audio file exists, is readable and has a header describing non-empty audio
 * whose length at 16 kHz matches the manifest's duration. All bad lines are reported together;
 * they are left out only when {@link LoadOptions#skipBad()} asks for it, and then with a warning.
 *
 * <p>Loading reads the manifest line by line and each audio file's header only ({@link
 * AudioFiles#probe}), so that it is cheap enough to repeat wherever a corpus is used; the samples
 * are decoded on use, by {@link #samples}. Problems that only decoding finds (corrupt or missing
 * FLAC frames, a FLAC's MD5 mismatch, float WAV samples that are not finite, a WAV chunk after the
 * samples reaching past the end of the file) therefore fail {@link #samples} for that utterance,
 * naming the manifest line and the file, instead of failing the load. {@link
 * LoadOptions#cacheAudio()} decodes every file while loading, and so finds them all there.
 */
public final class Corpus {
  /** Every waveform a corpus hands out is mono at this rate. */
  public static final int SAMPLE_RATE = 16_000;
  /** How far the manifest's duration may be from the audio's (resampling rounds). */
  static final double DURATION_TOLERANCE_SECONDS = 0.05;
  /** Waveforms are float arrays, and an array stops slightly below 2^31. */
  private static final long MAX_SAMPLES = Integer.MAX_VALUE - 8;

  private final Path manifest;
  private final TargetKind target;
  private final List<Utterance> utterances;
  private final List<float[]> cache;
  private final List<ManifestProblem> skipped;

  private Corpus(Path manifest, TargetKind target, List<Utterance> utterances,
      List<float[]> cache, List<ManifestProblem> skipped) {
    this.manifest = manifest;
    this.target = target;
    this.utterances = List.copyOf(utterances);
    this.cache = cache;
    this.skipped = List.copyOf(skipped);
  }

  /**
   * Loads and checks a manifest; audio paths are relative to the manifest's directory.
   *
   * @throws CorpusException listing every bad line, unless the options skip them
   * @throws IOException when the manifest itself cannot be read or has no usable line
   */
  public static Corpus load(Path manifest, LoadOptions options) throws IOException {
    if (!Files.isRegularFile(manifest)) {
      throw new NoSuchFileException(manifest.toString(), null, "manifest not found");
    }
    Path base = manifest.toAbsolutePath().getParent();
    List<LineCheck> checks = new ArrayList<>();
    Map<Path, Integer> firstLineOfFile = new HashMap<>();
    TextFiles.forEachUtf8Line(manifest, (number, text) -> {
      if (!text.isBlank()) {
        checks.add(checkFields(number, text, base, options, firstLineOfFile));
      }
    });
    if (checks.isEmpty()) {
      throw new IOException(manifest + ": manifest has no entries");
    }
    try (ProgressBar progress = new ProgressBar("checking " + manifest.getFileName(), checks.size())) {
      IntStream.range(0, checks.size()).parallel().forEach(i -> {
        checkAudio(checks.get(i), options.cacheAudio());
        progress.step();
      });
    }

    List<Utterance> good = new ArrayList<>();
    List<float[]> cache = options.cacheAudio() ? new ArrayList<>() : null;
    List<ManifestProblem> problems = new ArrayList<>();
    for (LineCheck c : checks) {
      if (c.reasons.isEmpty()) {
        good.add(new Utterance(c.entry, c.file, c.line, c.sampleCount));
        if (cache != null) {
          cache.add(c.samples);
        }
      } else {
        problems.add(new ManifestProblem(manifest, c.line, c.audioText, String.join("; ", c.reasons)));
      }
    }
    if (!problems.isEmpty()) {
      if (!options.skipBad()) {
        throw new CorpusException(manifest, checks.size(), problems);
      }
      System.err.println("warning: " + CorpusException.describe(manifest, checks.size(), problems)
          + "\nwarning: left out these " + problems.size() + " lines (skip-bad); "
          + good.size() + " remain");
    }
    if (good.isEmpty()) {
      throw new IOException(manifest + ": no usable line is left");
    }
    return new Corpus(manifest, options.target(), good, cache, problems);
  }

  /** Everything about one line, filled in by the checks; reasons stay empty for a good line. */
  private static final class LineCheck {
    final int line;
    final List<String> reasons = new ArrayList<>();
    String audioText = "?";
    ManifestEntry entry;
    Path file;
    int sampleCount;
    /** The decoded waveform, only when the corpus caches audio. */
    float[] samples;

    LineCheck(int line) {
      this.line = line;
    }
  }

  /** The checks that need no audio: JSON, target field, duplicates. */
  private static LineCheck checkFields(int line, String text, Path base, LoadOptions options,
      Map<Path, Integer> firstLineOfFile) {
    LineCheck c = new LineCheck(line);
    try {
      c.entry = Manifest.parseLine(text);
    } catch (IllegalArgumentException e) {
      c.reasons.add(e.getMessage());
      return c;
    }
    c.audioText = c.entry.audio();
    try {
      c.file = base.resolve(c.entry.audio()).normalize();
    } catch (InvalidPathException e) {
      c.reasons.add("audio is not a usable path: " + e.getReason());
      return c;
    }
    Integer earlier = firstLineOfFile.putIfAbsent(c.file, line);
    if (earlier != null) {
      c.reasons.add("same audio file as line " + earlier);
    }
    switch (options.target()) {
      case LABEL -> {
        String label = c.entry.label();
        if (label == null || label.isBlank()) {
          c.reasons.add("no label");
        } else if (options.vocabulary() != null && !options.vocabulary().contains(label)) {
          c.reasons.add("label \"" + label + "\" is not one of the "
              + options.vocabulary().size() + " training labels");
        }
      }
      case TRANSCRIPT -> {
        String transcript = c.entry.transcript();
        if (transcript == null || transcript.isBlank()) {
          c.reasons.add("no transcript");
        } else if (!CharacterVocabulary.invalidCharacters(transcript).isEmpty()) {
          c.reasons.add("transcript has characters outside a-z, space and apostrophe: \""
              + CharacterVocabulary.invalidCharacters(transcript) + "\"");
        }
      }
      case NONE -> { }
    }
    return c;
  }

  /**
   * Checks the line's audio when the file looks usable: its header, or the decoded samples when
   * they are to be kept.
   */
  private static void checkAudio(LineCheck c, boolean keepSamples) {
    if (c.file == null) {
      return;
    }
    try {
      if (!Files.exists(c.file)) {
        c.reasons.add("audio file not found: " + c.file);
        return;
      }
      if (!Files.isRegularFile(c.file)) {
        c.reasons.add("audio path is not a regular file: " + c.file);
        return;
      }
      if (!Files.isReadable(c.file)) {
        c.reasons.add("audio file not readable (permission denied)");
        return;
      }
      if (Files.size(c.file) == 0) {
        c.reasons.add("audio file is empty (0 bytes)");
        return;
      }
      long sampleCount;
      if (keepSamples) {
        c.samples = AudioFiles.read(c.file, SAMPLE_RATE).samples();
        sampleCount = c.samples.length;
      } else {
        sampleCount = AudioFiles.probe(c.file).samplesAt(SAMPLE_RATE);
      }
      double seconds = sampleCount / (double) SAMPLE_RATE;
      if (sampleCount > MAX_SAMPLES) {
        c.reasons.add(String.format("audio lasts %.1f s, more samples at %d Hz than an array holds",
            seconds, SAMPLE_RATE));
        return;
      }
      if (sampleCount == 0) {
        c.reasons.add("audio has no samples");
      } else if (c.entry.duration() > 0
          && Math.abs(c.entry.duration() - seconds) > DURATION_TOLERANCE_SECONDS) {
        c.reasons.add(String.format("manifest says %.3f s but the audio lasts %.3f s",
            c.entry.duration(), seconds));
      }
      c.sampleCount = (int) sampleCount;
    } catch (AudioFormatException e) {
      c.reasons.add("undecodable audio: " + problemOf(e));
    } catch (AccessDeniedException e) {
      c.reasons.add("audio file not readable (permission denied)");
    } catch (IOException e) {
      c.reasons.add("cannot read audio: " + e.getMessage());
    }
  }

  /** The problem part of an audio error, without the file name the message starts with. */
  private static String problemOf(AudioFormatException e) {
    String prefix = e.file() + ": ";
    String message = e.getMessage();
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }

  public Path manifest() {
    return manifest;
  }

  public TargetKind target() {
    return target;
  }

  public List<Utterance> utterances() {
    return utterances;
  }

  public int size() {
    return utterances.size();
  }

  public Utterance get(int index) {
    return utterances.get(index);
  }

  /** The lines left out by {@link LoadOptions#skipBad()}; empty for a clean manifest. */
  public List<ManifestProblem> skipped() {
    return skipped;
  }

  /** Durations in seconds, in utterance order (for batching). */
  public double[] durations() {
    return utterances.stream().mapToDouble(Utterance::durationSeconds).toArray();
  }

  public double totalSeconds() {
    return utterances.stream().mapToDouble(Utterance::durationSeconds).sum();
  }

  /**
   * The waveform of utterance {@code index}: mono, {@link #SAMPLE_RATE} Hz, from the cache or
   * decoded now. Callers must not modify the array.
   *
   * @throws IOException naming the manifest line and the file, when the audio does not decode (a
   *     problem its header did not show while loading) or no longer has the length it had then
   */
  public float[] samples(int index) throws IOException {
    if (cache != null) {
      return cache.get(index);
    }
    Utterance u = utterances.get(index);
    String where = manifest + ":" + u.line() + ": " + u.file() + ": ";
    float[] samples;
    try {
      samples = AudioFiles.read(u.file(), SAMPLE_RATE).samples();
    } catch (AudioFormatException e) {
      throw new IOException(where + "undecodable audio: " + problemOf(e), e);
    } catch (IOException e) {
      throw new IOException(where + "cannot read audio: " + e.getMessage(), e);
    }
    if (samples.length != u.samples()) {
      throw new IOException(where + "changed since the manifest was loaded (" + u.samples()
          + " samples then, " + samples.length + " now)");
    }
    return samples;
  }
}
