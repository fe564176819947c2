package dev.icld.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** WAVs written by sox (scripts/fixtures/make_audio_fixtures.py) from one 16-bit stereo clip. */
class SoxWavTest {
  static Path resource(String name) {
    try {
      return Path.of(SoxWavTest.class.getResource("/audio/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing test resource /audio/" + name, e);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"s24.wav", "s32.wav", "f32.wav", "f64.wav"})
  void widerEncodingsOfTheClipDecodeToTheSameSamples(String name) throws IOException {
    MultichannelAudio reference = AudioFiles.decode(resource("sox/s16.wav"));
    MultichannelAudio widened = AudioFiles.decode(resource("sox/" + name));
    assertEquals(16000, widened.sampleRate());
    assertEquals(2, widened.channels().length);
    for (int c = 0; c < 2; c++) {
      assertArrayEquals(reference.channels()[c], widened.channels()[c], "channel " + c);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"s16.wav", "s24.wav", "f32.wav"})
  void monoIsTheMeanOfBothChannels(String name) throws IOException {
    MultichannelAudio stereo = AudioFiles.decode(resource("sox/" + name));
    float[] mono = AudioFiles.read(resource("sox/" + name)).samples();
    assertEquals(400, mono.length);
    for (int i = 0; i < mono.length; i++) {
      assertEquals((stereo.channels()[0][i] + stereo.channels()[1][i]) / 2, mono[i], 1e-7f);
    }
  }

  @Test
  void extensibleFourChannelFileHasTheClipTwice() throws IOException {
    MultichannelAudio reference = AudioFiles.decode(resource("sox/s16.wav"));
    MultichannelAudio merged = AudioFiles.decode(resource("sox/s16_4ch.wav"));
    assertEquals(4, merged.channels().length);
    for (int c = 0; c < 4; c++) {
      assertArrayEquals(reference.channels()[c % 2], merged.channels()[c], "channel " + c);
    }
  }

  @ParameterizedTest
  @CsvSource({"mulaw.wav, format code 7 (mu-law)", "adpcm.wav, format code 2 (Microsoft ADPCM)"})
  void compressedEncodingsAreRejectedByName(String name, String expected) {
    Path file = resource("sox/" + name);
    AudioFormatException e = assertThrows(AudioFormatException.class, () -> AudioFiles.read(file));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(e.getMessage().contains("supported are PCM integer"), e.getMessage());
  }
}
