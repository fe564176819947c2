package dev.icld.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads audio files into mono {@link Audio}. The container is recognised by its first bytes, never by
 * the file name: RIFF/WAVE, RF64 and FLAC are supported. Integer samples are divided by 2^(bits-1)
 * (as torchaudio and soundfile do, so 16-bit v becomes v / 32768); float WAV samples are kept as
 * they are, unclipped. Anything unusable is an {@link AudioFormatException} naming the file and the
 * problem.
 *
 * <p>A file's header decides how much is allocated and decoded, so what it may declare is bounded,
 * and checked before anything is allocated on its say-so: sample rates from {@value
 * #MIN_SAMPLE_RATE} to {@value #MAX_SAMPLE_RATE} Hz, at most {@value #MAX_CHANNELS} channels, and
 * at most {@value #DEFAULT_MAX_SECONDS} seconds of audio. The duration limit can be changed with
 * the system property {@value #MAX_SECONDS_PROPERTY} (whole seconds, e.g. {@code
 * -Dicld.audio.maxSeconds=7200}); it is read on every call.
 */
public final class AudioFiles {
  public static final int MIN_SAMPLE_RATE = 1_000;
  public static final int MAX_SAMPLE_RATE = 384_000;
  public static final int MAX_CHANNELS = 64;
  public static final String MAX_SECONDS_PROPERTY = "icld.audio.maxSeconds";
  public static final long DEFAULT_MAX_SECONDS = 3600;

  /** Arrays are indexed by int: a whole-file read, and each channel, stop slightly below 2^31. */
  private static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;
  /** Enough to tell text from binary data, and a few kinds of file by their first bytes. */
  private static final int LEADING_BYTES_DESCRIBED = 512;

  private AudioFiles() {}

  /**
   * The audio files directly in {@code dir} (names ending in .wav or .flac, any case), sorted by
   * name. Only the names decide here; each file is still checked by its first bytes when read.
   *
   * @throws IOException naming the folder when it cannot be listed or holds no such file
   */
  public static List<Path> inFolder(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> entries = Files.list(dir)) {
      files = entries.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(wav|flac)"))
          .sorted()
          .toList();
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(dir.toString(), null, "no such folder");
    }
    if (files.isEmpty()) {
      throw new IOException(dir + ": no .wav or .flac files in this folder");
    }
    return files;
  }

  /** The file at its native sample rate, mixed down to mono by averaging the channels. */
  public static Audio read(Path file) throws IOException {
    return decode(file).toMono();
  }

  /** The file mixed down to mono and resampled to {@code targetSampleRate} if it differs. */
  public static Audio read(Path file, int targetSampleRate) throws IOException {
    if (targetSampleRate <= 0) {
      throw new IllegalArgumentException(
          "target sample rate must be positive, got " + targetSampleRate);
    }
    return Resampler.resample(read(file), targetSampleRate);
  }

  /**
   * The file's sample rate, channels and length from its header alone, without decoding: {@link
   * AudioInfo#samplesAt} then says how many samples {@link #read(Path, int)} gives. Everything the
   * header shows is checked as reading checks it, with the same message: the container, the format
   * fields, the limits, a chunk or metadata block reaching past the end of the file, a WAV without
   * samples. What only the samples show is not: corrupt or missing FLAC frames, a FLAC's MD5, float
   * WAV samples that are not finite, a WAV chunk after the samples reaching past the end. A FLAC
   * whose STREAMINFO leaves the length unknown is decoded to count its frames.
   */
  public static AudioInfo probe(Path file) throws IOException {
    try (FileBytes.OnDisk bytes = opening(file, () -> new FileBytes.OnDisk(file))) {
      if (WavDecoder.hasMagic(bytes)) {
        return WavDecoder.probe(file, bytes);
      }
      int flacStart = id3v2TagLength(bytes);
      if (FlacDecoder.hasMagic(bytes, flacStart)) {
        Optional<AudioInfo> info = FlacDecoder.probe(file, bytes, flacStart);
        if (info.isPresent()) {
          return info.get();
        }
        MultichannelAudio decoded = decode(file);
        return new AudioInfo(decoded.sampleRate(), decoded.channels().length, decoded.frameCount());
      }
      throw notAudio(file, bytes);
    }
  }

  /** All channels, unmixed, at the native sample rate. */
  static MultichannelAudio decode(Path file) throws IOException {
    byte[] whole = opening(file, () -> Files.readAllBytes(file));
    FileBytes bytes = FileBytes.of(whole);
    if (WavDecoder.hasMagic(bytes)) {
      return WavDecoder.decode(file, whole);
    }
    int flacStart = id3v2TagLength(bytes);
    if (FlacDecoder.hasMagic(bytes, flacStart)) {
      return FlacDecoder.decode(file, whole, flacStart);
    }
    throw notAudio(file, bytes);
  }

  /** Opening a file the way the readers open it. */
  @FunctionalInterface
  private interface Opener<T> {
    T open() throws IOException;
  }

  /**
   * Opens the file after refusing what no reader takes, with the same messages for decoding and
   * probing.
   */
  private static <T> T opening(Path file, Opener<T> opener) throws IOException {
    try {
      if (Files.isDirectory(file)) {
        throw new AudioFormatException(file, "is a directory, not an audio file");
      }
      if (Files.size(file) > MAX_ARRAY_LENGTH) {
        throw new AudioFormatException(
            file, "file is too large (" + Files.size(file) + " bytes, the limit is 2 GiB)");
      }
      return opener.open();
    } catch (NoSuchFileException e) {
      throw new AudioFormatException(file, "no such file");
    } catch (AccessDeniedException e) {
      throw new AudioFormatException(file, "permission denied");
    }
  }

  /** Refuses a sample rate outside the supported range; {@code field} names where it is declared. */
  static void checkSampleRate(Path file, String field, long sampleRate)
      throws AudioFormatException {
    if (sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE) {
      throw new AudioFormatException(file, field + ": sample rate " + sampleRate
          + " Hz is outside the supported " + MIN_SAMPLE_RATE + " to " + MAX_SAMPLE_RATE + " Hz");
    }
  }

  static void checkChannels(Path file, String field, int channels) throws AudioFormatException {
    if (channels > MAX_CHANNELS) {
      throw new AudioFormatException(file,
          field + ": " + channels + " channels are more than the " + MAX_CHANNELS + " supported");
    }
  }

  /** Refuses {@code frames} samples per channel when they last longer than the duration limit. */
  static void checkDuration(Path file, String field, long frames, int sampleRate)
      throws AudioFormatException {
    long maxSeconds = maxSeconds();
    long maxFrames =
        maxSeconds > Long.MAX_VALUE / sampleRate ? Long.MAX_VALUE : maxSeconds * sampleRate;
    if (frames > maxFrames) {
      throw new AudioFormatException(file, String.format(Locale.ROOT,
          "%s: %.1f s of audio (%d samples at %d Hz) is more than the limit of %d s (system "
              + "property %s)", field, frames / (double) sampleRate, frames, sampleRate, maxSeconds,
          MAX_SECONDS_PROPERTY));
    }
    if (frames > MAX_ARRAY_LENGTH) {
      throw new AudioFormatException(
          file, field + ": " + frames + " samples per channel are more than an array holds");
    }
  }

  static long maxSeconds() {
    String value = System.getProperty(MAX_SECONDS_PROPERTY);
    if (value == null) {
      return DEFAULT_MAX_SECONDS;
    }
    String digits = value.strip();
    if (!digits.matches("[0-9]{1,18}") || Long.parseLong(digits) == 0) {
      throw new IllegalArgumentException("system property " + MAX_SECONDS_PROPERTY
          + " must be a positive whole number of seconds, got '" + value + "'");
    }
    return Long.parseLong(digits);
  }

  /** Some taggers put an ID3v2 tag before the "fLaC" marker; its length, or 0 if there is none. */
  private static int id3v2TagLength(FileBytes bytes) throws IOException {
    if (bytes.size() < 10) {
      return 0;
    }
    ByteBuffer header = bytes.read(0, 10);
    if (!FileBytes.fourCc(header, 0).startsWith("ID3")) {
      return 0;
    }
    int size = 0;
    for (int i = 6; i < 10; i++) {
      size = size << 7 | (header.get(i) & 0x7F); // "syncsafe" integer: 7 bits per byte
    }
    return 10 + size;
  }

  private static AudioFormatException notAudio(Path file, FileBytes bytes) throws IOException {
    byte[] leading = new byte[Math.min(bytes.size(), LEADING_BYTES_DESCRIBED)];
    bytes.read(0, leading.length).get(0, leading);
    return new AudioFormatException(file, "not a WAV or FLAC file: " + describeUnknown(leading));
  }

  /**
   * A short guess at what the file is instead, from its {@value #LEADING_BYTES_DESCRIBED} leading
   * bytes (all of them for a shorter file), so the error tells the user what they passed.
   */
  private static String describeUnknown(byte[] bytes) {
    if (bytes.length == 0) {
      return "the file is empty";
    }
    if (startsWith(bytes, "RIFF") && bytes.length >= 12) {
      String type = new String(bytes, 8, 4, StandardCharsets.ISO_8859_1).strip();
      return "a RIFF container of type '" + type + "', not WAVE";
    }
    if (startsWith(bytes, "RIFF") || startsWith(bytes, "RF64")) {
      return "a RIFF header cut short (" + bytes.length + " bytes)";
    }
    if (startsWith(bytes, "\u0089PNG")) {
      return "it is a PNG image";
    }
    if (startsWith(bytes, "OggS")) {
      return "it is an Ogg stream (Vorbis/Opus/Ogg-FLAC are not supported)";
    }
    boolean mpegFrameSync = bytes.length >= 2 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xE0) == 0xE0;
    if (startsWith(bytes, "ID3") || mpegFrameSync) {
      return "it looks like MP3 audio, which is not supported";
    }
    if (looksLikeText(bytes)) {
      return "it is a text file";
    }
    return "unrecognised leading bytes " + hex(bytes, 8);
  }

  private static boolean startsWith(byte[] bytes, String magic) {
    byte[] m = magic.getBytes(StandardCharsets.ISO_8859_1);
    if (bytes.length < m.length) {
      return false;
    }
    for (int i = 0; i < m.length; i++) {
      if (bytes[i] != m[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean looksLikeText(byte[] bytes) {
    for (byte value : bytes) {
      int b = value & 0xFF;
      boolean control = b < 0x20 && b != '\n' && b != '\r' && b != '\t';
      if (control || b == 0x7F) {
        return false;
      }
    }
    return true;
  }

  private static String hex(byte[] bytes, int max) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(bytes.length, max); i++) {
      sb.append(i == 0 ? "" : " ").append(String.format("%02X", bytes[i] & 0xFF));
    }
    return sb.toString();
  }
}
