package dev.icld.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class FlopsTest {
  /** facebook/wav2vec2-base's architecture. */
  private static ModelConfig wav2vec2Base(ModelType type) {
    return new ModelConfig(type, 768, 12, 12, 3072, "gelu", "gelu",
        List.of(512, 512, 512, 512, 512, 512, 512), List.of(10, 3, 3, 3, 3, 2, 2),
        List.of(5, 2, 2, 2, 2, 2, 2), false, "group", 128, 16, false, 1e-5, true, 320, 800);
  }

  /**
   * One second, 16000 samples. Frames after each conv, floor((n - k) / s) + 1:
   * 3199, 1599, 799, 399, 199, 99, 49. So T = 49.
   */
  @Test
  void wav2vec2BaseOneSecondByHand() {
    Flops flops = Flops.of(wav2vec2Base(ModelType.WAV2VEC2), 1.0);
    assertEquals(49, flops.frames());
    long conv = 2L * 1 * 10 * 512 * 3199 // 32,757,760
        + 2L * 512 * 3 * 512 * (1599 + 799 + 399 + 199) // 4,712,300,544
        + 2L * 512 * 2 * 512 * (99 + 49); // 155,189,248
    assertEquals(4_900_247_552L, conv);
    assertEquals(conv, flops.featureEncoder());
    assertEquals(2L * 512 * 768 * 49, flops.featureProjection()); // 38,535,168
    // Kernel 128 with padding 64 computes 50 frames (the 50th is dropped): 48 inputs per group.
    assertEquals(2L * 48 * 128 * 768 * 50, flops.positionalConv()); // 471,859,200
    long projections = 8L * 49 * 768 * 768; // q, k, v, out: 231,211,008
    long attention = 4L * 49 * 49 * 768; // scores and weighted sum: 7,375,872
    long feedForward = 4L * 49 * 768 * 3072; // 462,422,016
    assertEquals(701_008_896L, projections + attention + feedForward);
    assertEquals(projections + attention + feedForward, flops.perLayer());
    long frontEnd = 4_900_247_552L + 38_535_168L + 471_859_200L;
    assertEquals(frontEnd, flops.total(0));
    assertEquals(frontEnd + 12 * 701_008_896L, flops.total(12)); // 13.82 GFLOPs
    assertEquals(13.822, flops.gigaFlopsPerSecond(12), 1e-3);
    assertEquals(frontEnd + 6 * 701_008_896L, flops.total(LayerMask.ofLayers(12, 0, 2, 4, 6, 8, 10)));
  }

  /** WavLM adds the gate's Linear(head_dim, 8) per head and frame: 2 * 49 * 12 * 64 * 8. */
  @Test
  void wavlmAddsThePositionGate() {
    Flops base = Flops.of(wav2vec2Base(ModelType.WAV2VEC2), 1.0);
    Flops wavlm = Flops.of(wav2vec2Base(ModelType.WAVLM), 1.0);
    assertEquals(2L * 49 * 12 * 64 * 8, wavlm.perLayer() - base.perLayer());
  }

  /** Ten seconds: T = 499; the attention term grows with T squared, the rest linearly. */
  @Test
  void attentionMakesLongerUtterancesCostMorePerSecond() {
    Flops ten = Flops.of(wav2vec2Base(ModelType.WAV2VEC2), 10.0);
    assertEquals(499, ten.frames());
    assertEquals(8L * 499 * 768 * 768 + 4L * 499 * 499 * 768 + 4L * 499 * 768 * 3072, ten.perLayer());
  }
}
