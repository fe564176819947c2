package dev.icld.audio.features;

import dev.icld.audio.Audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Invalid options and unusable signals fail with a message that says what is wrong. */
class FeatureOptionsTest {

  private static void assertRejected(Executable action, String... messageParts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action);
    for (String part : messageParts) {
      assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' should mention '" + part + "'");
    }
  }

  @Test
  void defaultsAreTorchaudios() {
    KaldiFbankOptions fbank = KaldiFbankOptions.defaults();
    assertEquals(23, fbank.numMelBins());
    assertEquals(KaldiWindowType.POVEY, fbank.windowType());
    assertEquals(0.97, fbank.preemphasisCoefficient());
    assertEquals(20.0, fbank.lowFreq());
    KaldiMfccOptions mfcc = KaldiMfccOptions.defaults();
    assertEquals(13, mfcc.numCeps());
    assertEquals(22.0, mfcc.cepstralLifter());
    MelSpectrogramOptions mel = MelSpectrogramOptions.defaults();
    assertEquals(400, mel.winLength());
    assertEquals(200, mel.hopLength());
    assertEquals(8000.0, mel.fMax());
    assertEquals(128, mel.nMels());
    assertEquals(80, MelSpectrogramOptions.builder().winLength(160).build().hopLength());
    assertEquals(KaldiFbankOptions.defaults(), KaldiFbankOptions.defaults().toBuilder().build());
    assertEquals(mfcc, mfcc.toBuilder().build());
  }

  @Test
  void signalShorterThanOneFrameIsRejectedLikeTorchaudio() {
    // torchaudio asserts "choose a window size 400 that is [2, 399]", with or without snip_edges.
    KaldiFbank fbank = new KaldiFbank(KaldiFbankOptions.defaults());
    assertRejected(() -> fbank.compute(new float[399]), "399 samples", "shorter than one frame of 400 samples");
    KaldiFbank centred = new KaldiFbank(KaldiFbankOptions.builder().snipEdges(false).build());
    assertRejected(() -> centred.compute(new float[100]), "shorter than one frame");
    assertEquals(1, fbank.compute(new float[400]).length);
    KaldiMfcc mfcc = new KaldiMfcc(KaldiMfccOptions.defaults());
    assertRejected(() -> mfcc.compute(new float[0]), "0 samples");
  }

  @Test
  void signalShorterThanMinDurationGivesNoFrames() {
    KaldiFbank fbank = new KaldiFbank(KaldiFbankOptions.builder().minDuration(0.5).build());
    assertEquals(0, fbank.compute(new float[7999]).length);
    assertEquals(48, fbank.compute(new float[8000]).length);
  }

  @Test
  void melSpectrogramNeedsEnoughSamplesToCentreOrFrame() {
    MelSpectrogram centred = new MelSpectrogram(MelSpectrogramOptions.defaults());
    // torch's reflect padding needs more than n_fft / 2 samples
    assertRejected(() -> centred.compute(new float[200]), "200 samples", "more than 200 samples");
    assertEquals(2, centred.compute(new float[201]).length);
    MelSpectrogram uncentred = new MelSpectrogram(MelSpectrogramOptions.builder().center(false).build());
    assertRejected(() -> uncentred.compute(new float[399]), "shorter than one 400-point frame");
    assertEquals(1, uncentred.compute(new float[400]).length);
  }

  @Test
  void tooManyMelBinsAreRejected() {
    assertRejected(
        () -> new KaldiFbank(KaldiFbankOptions.builder().numMelBins(200).build()),
        "numMelBins=200 is too many for a 512-point FFT",
        "covers no FFT bin");
    assertRejected(() -> KaldiFbankOptions.builder().numMelBins(3).build(), "numMelBins must be at least 4");
    assertRejected(
        () -> new MelSpectrogram(MelSpectrogramOptions.builder().nMels(300).build()),
        "nMels=300",
        "201 frequency bins");
    assertRejected(() -> KaldiMfccOptions.builder().numCeps(30).build(), "numCeps", "numMelBins=23", "30");
  }

  @Test
  void frequencyRangesMustBeOrdered() {
    assertRejected(
        () -> KaldiFbankOptions.builder().lowFreq(4000).highFreq(3000).build(),
        "bad mel range",
        "lowFreq=4000.0",
        "highFreq=3000.0");
    // a negative highFreq is an offset from Nyquist: -7990 leaves 10 Hz, below lowFreq=20
    assertRejected(() -> KaldiFbankOptions.builder().highFreq(-7990).build(), "bad mel range", "10.0 Hz after");
    assertRejected(() -> KaldiFbankOptions.builder().highFreq(9000).build(), "Nyquist 8000.0");
    assertRejected(() -> KaldiMfccOptions.builder().lowFreq(9000).build(), "bad mel range");
    assertRejected(() -> MelSpectrogramOptions.builder().fMin(5000.0).fMax(4000.0).build(), "fMin=5000.0");
  }

  @Test
  void unsupportedOrInvalidKaldiOptionsAreRejected() {
    assertRejected(() -> KaldiFbankOptions.builder().vtlnWarp(0.9).build(), "vtlnWarp=0.9 is not supported");
    assertRejected(() -> KaldiFbankOptions.builder().preemphasisCoefficient(1.5).build(), "preemphasisCoefficient");
    assertRejected(
        () -> KaldiFbankOptions.builder().frameLength(25.0625).roundToPowerOfTwo(false).build(),
        "401 samples is odd");
    assertRejected(() -> KaldiFbankOptions.builder().frameShift(0.01).build(), "frameShift=0.01");
    assertRejected(() -> KaldiFbankOptions.builder().frameLength(0.1).build(), "1 samples per frame");
    assertRejected(() -> KaldiFbankOptions.builder().sampleFrequency(0).build(), "sampleFrequency");
    assertRejected(() -> KaldiFbankOptions.builder().dither(-1).build(), "dither");
    assertRejected(() -> KaldiMfccOptions.builder().frameShift(0).build(), "frameShift=0.0");
    assertRejected(() -> KaldiWindowType.fromName("kaiser"), "unknown window type 'kaiser'");
  }

  @Test
  void invalidMelSpectrogramOptionsAreRejected() {
    assertRejected(() -> MelSpectrogramOptions.builder().winLength(500).build(), "winLength", "nFft=400");
    assertRejected(() -> MelSpectrogramOptions.builder().hopLength(0).build(), "hopLength");
    assertRejected(() -> MelSpectrogramOptions.builder().power(0).build(), "power");
    assertRejected(() -> MelSpectrogramOptions.builder().onesided(false).build(), "onesided=false");
    assertRejected(() -> MelScaleType.fromName("bark"), "unknown mel scale 'bark'");
    assertRejected(() -> MelNorm.fromName("area"), "unknown mel norm 'area'");
    assertRejected(() -> new AmplitudeToDb(AmplitudeToDb.Stype.POWER, -1.0), "topDb");
    assertRejected(() -> new Deltas(2), "winLength must be at least 3");
    assertRejected(() -> new LogFloor(0), "floor");
  }

  @Test
  void nonFiniteSamplesAndWrongSampleRatesAreRejected() {
    float[] samples = new float[1000];
    samples[3] = Float.NaN;
    assertRejected(() -> new KaldiFbank(KaldiFbankOptions.defaults()).compute(samples), "sample 3 is NaN");
    assertRejected(() -> new MelSpectrogram(MelSpectrogramOptions.defaults()).compute(samples), "sample 3 is NaN");
    Audio at8k = new Audio(new float[8000], 8000);
    assertRejected(() -> new KaldiMfcc(KaldiMfccOptions.defaults()).compute(at8k), "8000 Hz", "16000.0 Hz");
    assertRejected(() -> new MelSpectrogram(MelSpectrogramOptions.defaults()).compute(at8k), "8000 Hz", "16000 Hz");
  }
}
