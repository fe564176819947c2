package dev.icld.model.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class HalfPrecisionTest {
  @Test
  void everyHalfValueSurvivesWideningAndNarrowing() {
    for (int h = 0; h < 1 << 16; h++) {
      float f = HalfPrecision.halfToFloat(h);
      if (Float.isNaN(f)) {
        assertTrue(Float.isNaN(HalfPrecision.halfToFloat(HalfPrecision.floatToHalf(f))));
      } else {
        assertEquals((short) h, HalfPrecision.floatToHalf(f), "half 0x" + Integer.toHexString(h));
      }
    }
  }

  @Test
  void everyBfloat16ValueSurvivesWideningAndNarrowing() {
    for (int b = 0; b < 1 << 16; b++) {
      float f = HalfPrecision.bfloat16ToFloat(b);
      if (!Float.isNaN(f)) {
        assertEquals((short) b, HalfPrecision.floatToBfloat16(f), "bf16 0x" + Integer.toHexString(b));
      }
    }
  }

  @Test
  void wideningMatchesKnownValues() {
    assertEquals(1.0f, HalfPrecision.halfToFloat(0x3c00));
    assertEquals(-2.0f, HalfPrecision.halfToFloat(0xc000));
    assertEquals(65504.0f, HalfPrecision.halfToFloat(0x7bff));
    assertEquals(0x1p-24f, HalfPrecision.halfToFloat(0x0001));
    assertEquals(Float.NEGATIVE_INFINITY, HalfPrecision.halfToFloat(0xfc00));
    assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(HalfPrecision.halfToFloat(0x8000)));
    assertEquals(1.0f, HalfPrecision.bfloat16ToFloat(0x3f80));
  }

  @Test
  void narrowingRoundsLikeTorch() throws IOException {
    // Ties, overflow and subnormals: torch's .half() and .bfloat16() of the same float32 values.
    float[] source = CheckpointFixtures.expected("weights_f32.json").get("edges").values();
    float[] half = CheckpointFixtures.expected("weights_f16.json").get("edges").values();
    float[] brain = CheckpointFixtures.expected("weights_bf16.json").get("edges").values();
    for (int i = 0; i < source.length; i++) {
      assertEquals(
          Float.floatToRawIntBits(half[i]),
          Float.floatToRawIntBits(HalfPrecision.halfToFloat(HalfPrecision.floatToHalf(source[i]))),
          "f16 of " + source[i]);
      assertEquals(
          Float.floatToRawIntBits(brain[i]),
          Float.floatToRawIntBits(
              HalfPrecision.bfloat16ToFloat(HalfPrecision.floatToBfloat16(source[i]))),
          "bf16 of " + source[i]);
    }
  }
}
