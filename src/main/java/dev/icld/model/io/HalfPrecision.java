package dev.icld.model.io;

/**
 * Conversions between float32 and the two 16-bit float formats of checkpoints: IEEE half (F16) and
 * bfloat16 (BF16). Widening is exact; narrowing rounds to nearest, ties to even, as torch does.
 */
public final class HalfPrecision {
  private HalfPrecision() {}

  /** The float32 value of the IEEE half-precision bit pattern in the low 16 bits of {@code h}. */
  public static float halfToFloat(int h) {
    int sign = (h & 0x8000) << 16;
    int exponent = (h >>> 10) & 0x1f;
    int mantissa = h & 0x3ff;
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      // Zero or subnormal: mantissa * 2^-24, exact in float32.
      float magnitude = mantissa * 0x1p-24f;
      return sign != 0 ? -magnitude : magnitude;
    }
    return Float.intBitsToFloat(sign | ((exponent + 127 - 15) << 23) | (mantissa << 13));
  }

  /** The IEEE half-precision bit pattern nearest to {@code f} (overflow gives infinity). */
  public static short floatToHalf(float f) {
    int bits = Float.floatToRawIntBits(f);
    int sign = (bits >>> 16) & 0x8000;
    int exponent = (bits >>> 23) & 0xff;
    int mantissa = bits & 0x7fffff;
    if (exponent == 0xff) {
      int nanPayload = mantissa != 0 ? 0x200 | (mantissa >>> 13) : 0;
      return (short) (sign | 0x7c00 | nanPayload);
    }
    int halfExponent = exponent - 127 + 15;
    if (halfExponent >= 0x1f) {
      return (short) (sign | 0x7c00);
    }
    if (halfExponent <= 0) {
      if (halfExponent < -10) {
        return (short) sign; // below half the smallest subnormal: rounds to zero
      }
      int significand = mantissa | 0x800000;
      int shift = 14 - halfExponent;
      return (short) (sign | roundShiftRight(significand, shift));
    }
    int rounded = roundShiftRight((halfExponent << 23) | mantissa, 13);
    // A carry out of the mantissa correctly bumps the exponent, up to infinity.
    return (short) (sign | rounded);
  }

  /** The float32 value of the bfloat16 bit pattern in the low 16 bits of {@code b}. */
  public static float bfloat16ToFloat(int b) {
    return Float.intBitsToFloat((b & 0xffff) << 16);
  }

  /** The bfloat16 bit pattern nearest to {@code f}; NaN stays a quiet NaN. */
  public static short floatToBfloat16(float f) {
    int bits = Float.floatToRawIntBits(f);
    if (Float.isNaN(f)) {
      return (short) ((bits >>> 16) | 0x40);
    }
    int lowestKeptBit = (bits >>> 16) & 1;
    return (short) ((bits + 0x7fff + lowestKeptBit) >>> 16);
  }

  private static int roundShiftRight(int value, int shift) {
    int kept = value >>> shift;
    int remainder = value & ((1 << shift) - 1);
    int halfway = 1 << (shift - 1);
    if (remainder > halfway || (remainder == halfway && (kept & 1) != 0)) {
      kept++;
    }
    return kept;
  }
}
