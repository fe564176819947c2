package dev.icld.audio;

import static dev.icld.audio.SoxWavTest.resource;
import static dev.icld.audio.WavBytes.float32;
import static dev.icld.audio.WavBytes.pcm16;
import static dev.icld.audio.WavBytes.pcm24;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link AudioFiles#probe} against decoding: the same rate, channels and length from the header
 * alone, so that a corpus can count samples without decoding. The refusals it shares with decoding
 * are tested beside decoding's (WavDecoderTest, FlacDecoderTest, AudioFilesTest).
 */
class AudioProbeTest {
  private static final int PCM = 1;
  private static final int FLOAT = 3;
  /** Where the first frame of flac/s16_mono.flac starts (FlacDecoderTest checks the layout). */
  private static final int FLAC_FIXTURE_FRAMES = FlacDecoderTest.FRAMES;

  @TempDir Path dir;

  /** The probe agrees with decoding at the native rate and after resampling to 16 kHz. */
  private static AudioInfo assertProbeMatchesDecoding(Path file) throws IOException {
    AudioInfo info = AudioFiles.probe(file);
    MultichannelAudio decoded = AudioFiles.decode(file);
    assertEquals(decoded.sampleRate(), info.sampleRate(), file.toString());
    assertEquals(decoded.channels().length, info.channels(), file.toString());
    assertEquals(decoded.frameCount(), info.frames(), file.toString());
    assertEquals(AudioFiles.read(file, 16000).samples().length, info.samplesAt(16000),
        file + " at 16 kHz");
    return info;
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "/audio/sox/s16.wav", "/audio/sox/s24.wav", "/audio/sox/s32.wav", "/audio/sox/f32.wav",
    "/audio/sox/f64.wav", "/audio/sox/s16_4ch.wav",
    "/audio/flac/s16_mono.wav", "/audio/flac/s16_stereo.wav", "/audio/flac/s24_stereo.wav",
    "/audio/flac/s16_mono.flac", "/audio/flac/s16_stereo.flac", "/audio/flac/s24_stereo.flac",
    "/fuzz/wav/seeds/f32-mono-8k.wav", "/fuzz/wav/seeds/s16-4ch-48k.wav",
    "/fuzz/wav/seeds/s24-stereo-44k.wav", "/fuzz/wav/seeds/u8-mono-22k.wav",
    "/fuzz/flac/seeds/s8-mono-8k.flac", "/fuzz/flac/seeds/s16-4ch-48k.flac",
    "/fuzz/flac/seeds/s24-stereo-44k.flac"
  })
  void committedFilesProbeToTheirDecodedLength(String name) throws IOException, URISyntaxException {
    assertProbeMatchesDecoding(Path.of(AudioProbeTest.class.getResource(name).toURI()));
  }

  /** Odd lengths at rates that resample with a remainder, so that the rounding is exercised. */
  @ParameterizedTest
  @CsvSource({
    "8000, 1, 16, 8001", "44100, 1, 16, 44101", "44100, 2, 24, 441", "11025, 2, 16, 3",
    "48000, 2, 32, 1", "22050, 1, 24, 22051", "16000, 2, 32, 1601"
  })
  void builtWavsProbeToTheirDecodedLength(int rate, int channels, int bits, int frames)
      throws IOException {
    int samples = channels * frames;
    byte[] data = switch (bits) {
      case 16 -> pcm16(new int[samples]);
      case 24 -> pcm24(new int[samples]);
      default -> float32(new float[samples]);
    };
    Path file = write("built.wav",
        WavBytes.riff().fmt(bits == 32 ? FLOAT : PCM, channels, rate, bits).data(data).bytes());
    AudioInfo info = assertProbeMatchesDecoding(file);
    assertEquals(new AudioInfo(rate, channels, frames), info);
  }

  @Test
  void theFormatAfterTheSamplesIsFoundAndTheChunksAfterBothAreNotNeeded() throws IOException {
    Path file = write("order.wav", WavBytes.riff()
        .chunk("LIST", "INFOodd".getBytes())
        .data(pcm16(100, -100, 7))
        .chunk("junk", new byte[3])
        .fmt(PCM, 1, 8000, 16)
        .chunk("cue ", new byte[1])
        .bytes());
    assertEquals(new AudioInfo(8000, 1, 3), assertProbeMatchesDecoding(file));
  }

  @Test
  void rf64TakesTheDataSizeFromDs64() throws IOException {
    byte[] data = pcm16(1, 2, 3, 4, 5);
    ByteBuffer ds64 = WavBytes.le(28).putLong(0).putLong(data.length).putLong(5).putInt(0);
    Path file = write("rf64.wav", WavBytes.riff().rf64()
        .chunk("ds64", ds64.array())
        .fmt(PCM, 1, 16000, 16)
        .chunkDeclaringSize("data", 0xFFFFFFFFL, data)
        .bytes());
    assertEquals(new AudioInfo(16000, 1, 5), assertProbeMatchesDecoding(file));
  }

  @Test
  void headersBeyondTheFirstDiskBlockAreReadToo() throws IOException {
    Path file = write("far.wav", WavBytes.riff()
        .chunk("LIST", new byte[10_001])
        .fmt(PCM, 2, 44100, 16)
        .chunk("junk", new byte[5_000])
        .data(pcm16(new int[2 * 999]))
        .bytes());
    assertEquals(new AudioInfo(44100, 2, 999), assertProbeMatchesDecoding(file));
  }

  @Test
  void flacAfterAnId3TagIsProbed() throws IOException {
    byte[] flac = Files.readAllBytes(resource("flac/s16_mono.flac"));
    byte[] tag = {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 5, 1, 2, 3, 4, 5};
    byte[] tagged = new byte[tag.length + flac.length];
    System.arraycopy(tag, 0, tagged, 0, tag.length);
    System.arraycopy(flac, 0, tagged, tag.length, flac.length);
    assertEquals(new AudioInfo(16000, 1, 9000), assertProbeMatchesDecoding(write("tagged.flac", tagged)));
  }

  /** A streaming encoder may leave STREAMINFO's total at 0 (unknown): only the frames tell. */
  @Test
  void flacOfUnknownLengthIsDecodedToCountIt() throws IOException {
    byte[] flac = Files.readAllBytes(resource("flac/s16_mono.flac"));
    int totalSamples = 8 + 13; // STREAMINFO's body starts at byte 8; its 36-bit total at bit 4
    flac[totalSamples] &= (byte) 0xF0;
    Arrays.fill(flac, totalSamples + 1, totalSamples + 5, (byte) 0);
    Arrays.fill(flac, 8 + 18, 8 + 34, (byte) 0); // no MD5 either, as such encoders write it
    assertEquals(new AudioInfo(16000, 1, 9000), assertProbeMatchesDecoding(write("unknown.flac", flac)));

    Arrays.fill(flac, FLAC_FIXTURE_FRAMES + 20, flac.length, (byte) 0x5A);
    Path corrupt = write("unknown-corrupt.flac", flac);
    AudioFormatException e = assertThrows(AudioFormatException.class, () -> AudioFiles.probe(corrupt));
    assertEquals(assertThrows(AudioFormatException.class, () -> AudioFiles.read(corrupt)).getMessage(),
        e.getMessage());
  }

  /** What only the samples show is not the probe's to see: the header is all it reads. */
  @Test
  void samplesThatDoNotDecodeAreNotSeenByTheProbe() throws IOException {
    Path nan = write("nan.wav", WavBytes.riff().fmt(FLOAT, 2, 16000, 32)
        .data(float32(0f, 0f, 0.1f, Float.NaN)).bytes());
    assertEquals(new AudioInfo(16000, 2, 2), AudioFiles.probe(nan));
    assertThrows(AudioFormatException.class, () -> AudioFiles.read(nan));

    byte[] flac = Files.readAllBytes(resource("flac/s16_stereo.flac"));
    byte[] garbage = new byte[flac.length - FLAC_FIXTURE_FRAMES];
    new Random(5).nextBytes(garbage);
    System.arraycopy(garbage, 0, flac, FLAC_FIXTURE_FRAMES, garbage.length);
    Path noise = write("noise.flac", flac);
    assertEquals(new AudioInfo(16000, 2, 9000), AudioFiles.probe(noise));
    AudioFormatException e = assertThrows(AudioFormatException.class, () -> AudioFiles.read(noise));
    assertTrue(e.getMessage().contains("FLAC"), e.getMessage());
  }

  private Path write(String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }
}
