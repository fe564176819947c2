package dev.icld.audio;

import static dev.icld.audio.SoxWavTest.resource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioFilesTest {
  @TempDir Path dir;

  /** Reading fails as expected, and probing the header fails with the same message. */
  private AudioFormatException refused(Path file, String... expected) {
    AudioFormatException e = assertThrows(AudioFormatException.class, () -> AudioFiles.read(file));
    assertEquals(file, e.file());
    assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    for (String part : expected) {
      assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' lacks '" + part + "'");
    }
    AudioFormatException probed =
        assertThrows(AudioFormatException.class, () -> AudioFiles.probe(file));
    assertEquals(e.getMessage(), probed.getMessage());
    return e;
  }

  @Test
  void containerIsDetectedByContentNotByName() throws IOException {
    Path flacNamedWav = dir.resolve("really-a-flac.wav");
    Files.copy(resource("flac/s16_mono.flac"), flacNamedWav);
    Path wavNamedFlac = dir.resolve("really-a-wav.flac");
    Files.copy(resource("flac/s16_mono.wav"), wavNamedFlac);
    assertArrayEquals(AudioFiles.read(flacNamedWav).samples(), AudioFiles.read(wavNamedFlac).samples());
  }

  @Test
  void missingFileIsAClearError() {
    AudioFormatException e = refused(dir.resolve("nope.wav"), "no such file");
    assertNull(e.getCause());
  }

  @Test
  void directoryIsAnError() {
    refused(dir, "is a directory");
  }

  @Test
  void emptyFileIsAnError() throws IOException {
    Path file = Files.createFile(dir.resolve("empty.wav"));
    refused(file, "not a WAV or FLAC file", "empty");
  }

  @Test
  void textFileIsNotAudio() throws IOException {
    Path file = Files.writeString(dir.resolve("notes.wav"), "utterance transcript\nsecond line\n");
    refused(file, "not a WAV or FLAC file", "text file");
  }

  @Test
  void pngImageIsNotAudio() throws IOException {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    Path file = Files.write(dir.resolve("picture.flac"), png);
    refused(file, "not a WAV or FLAC file", "PNG");
  }

  @Test
  void randomBytesAreNotAudio() throws IOException {
    byte[] garbage = new byte[300];
    new Random(3).nextBytes(garbage);
    garbage[0] = 0x01;
    garbage[1] = 0x02;
    Path file = Files.write(dir.resolve("garbage.wav"), garbage);
    refused(file, "not a WAV or FLAC file", "unrecognised leading bytes 01 02");
  }

  @Test
  void readingAtATargetRateResamples() throws IOException {
    Path file = resource("flac/s24_stereo.flac");
    Audio native22k = AudioFiles.read(file);
    Audio at16k = AudioFiles.read(file, 16000);
    assertEquals(22050, native22k.sampleRate());
    assertEquals(16000, at16k.sampleRate());
    assertArrayEquals(Resampler.resample(native22k, 16000).samples(), at16k.samples());
    assertArrayEquals(native22k.samples(), AudioFiles.read(file, 22050).samples());
  }

  @Test
  void targetRateMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> AudioFiles.read(resource("sox/s16.wav"), 0));
  }
}
