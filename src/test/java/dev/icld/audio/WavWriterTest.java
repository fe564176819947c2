package dev.icld.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavWriterTest {
  @TempDir Path dir;

  @Test
  void everySixteenBitValueSurvivesReadWriteRead() throws IOException {
    int[] all = new int[65536];
    for (int i = 0; i < all.length; i++) {
      all[i] = i - 32768;
    }
    Path original = dir.resolve("all.wav");
    Files.write(original, WavBytes.riff().fmt(1, 1, 16000, 16).data(WavBytes.pcm16(all)).bytes());

    Audio read = AudioFiles.read(original);
    Path copy = dir.resolve("copy.wav");
    WavWriter.writePcm16(copy, read);

    assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(copy));
    assertArrayEquals(read.samples(), AudioFiles.read(copy).samples());
  }

  @Test
  void writtenSamplesReadBackToTheNearestSixteenBitValue() throws IOException {
    Random random = new Random(7);
    float[] samples = new float[1000];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = random.nextFloat() * 2 - 1;
    }
    Path file = dir.resolve("random.wav");
    WavWriter.writePcm16(file, new Audio(samples, 22050));

    Audio read = AudioFiles.read(file);
    assertEquals(22050, read.sampleRate());
    for (int i = 0; i < samples.length; i++) {
      assertEquals(samples[i], read.samples()[i], 0.5 / 32768 + 1e-9, "sample " + i);
    }
  }

  @Test
  void clipsOutOfRangeSamples() throws IOException {
    Path file = dir.resolve("loud.wav");
    WavWriter.writePcm16(file, new Audio(new float[] {1.5f, 1f, -1f, -3f, 0f}, 8000));
    ByteBuffer data = ByteBuffer.wrap(Files.readAllBytes(file), 44, 10).order(ByteOrder.LITTLE_ENDIAN);
    short[] values = new short[5];
    data.asShortBuffer().get(values);
    assertArrayEquals(new short[] {32767, 32767, -32768, -32768, 0}, values);
  }

  @Test
  void refusesNonFiniteSamplesAndLeavesNoFileBehind() {
    Path file = dir.resolve("nan.wav");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> WavWriter.writePcm16(file, new Audio(new float[] {0f, Float.NaN}, 8000)));
    assertTrue(e.getMessage().contains("sample 1"), e.getMessage());
    assertTrue(Files.notExists(file));
  }

  @Test
  void replacesAnExistingFileWithoutLeavingTempFiles() throws IOException {
    Path file = dir.resolve("out.wav");
    Files.writeString(file, "old contents");
    WavWriter.writePcm16(file, new Audio(new float[] {0.25f}, 16000));
    assertArrayEquals(new float[] {0.25f}, AudioFiles.read(file).samples());
    try (var listing = Files.list(dir)) {
      assertEquals(1, listing.count());
    }
  }
}
