package dev.icld.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.icld.model.Flops;
import dev.icld.model.ModelConfig;
import dev.icld.model.ModelType;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelectorFlopsTest {
  private static final List<Integer> KERNELS = List.of(10, 3, 3, 3, 3, 2, 2);
  private static final List<Integer> STRIDES = List.of(5, 2, 2, 2, 2, 2, 2);

  private static ModelConfig base() {
    return new ModelConfig(ModelType.WAV2VEC2, 768, 12, 12, 3072, "gelu", "gelu",
        Collections.nCopies(7, 512), KERNELS, STRIDES, false, "group", 128, 16, false, 1e-5, true,
        320, 800);
  }

  /** The embedded default's shape: 12 layers, narrow (hidden 192, 256 conv channels). */
  private static ModelConfig small() {
    return new ModelConfig(ModelType.HUBERT, 192, 12, 4, 768, "gelu", "gelu",
        Collections.nCopies(7, 256), KERNELS, STRIDES, false, "group", 128, 16, false, 1e-5, true,
        320, 800);
  }

  @Test
  void featureInputCountedByHand() {
    SelectorFlops f = SelectorFlops.of(
        SelectorConfig.of(SelectorInputKind.FEATURES, 512, 12, SelectorPooling.MEAN), base(), 1.0);
    assertEquals(49, f.frames(), "wav2vec 2.0 gives 49 frames for one second");
    assertEquals(0, f.input());
    assertEquals(2L * 512 * 64 * 3 * 49, f.conv());
    assertEquals(64 * 49 + 64, f.pooling());
    assertEquals(2 * (64 + 16) * 12, f.output());
    assertEquals(9_638_912, f.total());
    assertEquals(9_638_912, f.perSecond(), 1e-6);
  }

  @Test
  void theMaximumBesideTheMeanCountsItsComparisonsAndAWiderOutputLayer() {
    SelectorFlops f = SelectorFlops.of(
        SelectorConfig.of(SelectorInputKind.FEATURES, 512, 12, SelectorPooling.MEAN_MAX), base(), 1.0);
    assertEquals(2L * 512 * 64 * 3 * 49, f.conv());
    assertEquals(64 * 49 + 64 + 64 * 49, f.pooling());
    assertEquals(2 * (128 + 16) * 12, f.output());
  }

  @Test
  void logMelInputCountsTheFilterbanks() {
    SelectorFlops f = SelectorFlops.of(SelectorConfig.of(SelectorInputKind.LOG_MEL, 80, 12), base(), 1.0);
    assertEquals(98, f.frames(), "25 ms windows every 10 ms over one second");
    // 501: the nonzero weights of torchaudio.compliance.kaldi.get_mel_banks(80, 512, 16000., 20.,
    // 0., 100., -500., 1.) (torchaudio 0.13.1); the projection touches only those.
    assertEquals(501, new LogMelFilterbanks().melWeightCount());
    long perFrame = 4 * 400 + 5 * 512 * 9 + 3 * 257 + 2 * 501;
    assertEquals(perFrame * 98, f.input());
    assertEquals(2L * 80 * 64 * 3 * 98, f.conv());
  }

  /** METHOD design point 3: the selector costs well under 1% of the full model. */
  @Test
  void underOnePercentOfBaseAndOfTheSmallModel() {
    for (ModelConfig model : List.of(base(), small())) {
      int channels = model.convDim().get(model.convDim().size() - 1);
      for (double seconds : new double[] {1.0, 10.0}) {
        Flops backbone = Flops.of(model, seconds);
        for (SelectorConfig config : List.of(
            SelectorConfig.of(SelectorInputKind.FEATURES, channels, 12),
            SelectorConfig.of(SelectorInputKind.LOG_MEL, LogMelFilterbanks.BINS, 12))) {
          double fraction = SelectorFlops.of(config, model, seconds).fractionOfFullModel(backbone);
          assertTrue(fraction < 0.01, model.hiddenSize() + "-wide model, " + config.input().label()
              + ", " + seconds + " s: selector is " + 100 * fraction + "% of the full model");
        }
      }
    }
  }
}
