package dev.icld.model.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * Element types of checkpoint tensors, named as safetensors names them. Every type decodes to
 * float32: floating types are widened (F64 is narrowed), integer types only where every value is
 * exactly representable, so that no checkpoint value silently changes.
 */
public enum DType {
  F64(8, true),
  F32(4, true),
  BF16(2, true),
  F16(2, true),
  I64(8, false),
  I32(4, false),
  I16(2, false),
  I8(1, false),
  U8(1, false),
  BOOL(1, false);

  private final int byteSize;
  private final boolean floating;

  DType(int byteSize, boolean floating) {
    this.byteSize = byteSize;
    this.floating = floating;
  }

  public int byteSize() {
    return byteSize;
  }

  public boolean isFloating() {
    return floating;
  }

  /** The type with this safetensors name ("F32", "BF16", ...), or null if it is not one of ours. */
  public static DType fromName(String name) {
    for (DType t : values()) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    return null;
  }

  /**
   * Decodes {@code count} elements starting at the buffer's position.
   *
   * @throws IllegalArgumentException if an integer value has no exact float32 representation
   */
  public float[] decode(ByteBuffer source, int count) {
    ByteBuffer in = source.slice().order(source.order());
    float[] out = new float[count];
    switch (this) {
      case F32 -> in.asFloatBuffer().get(out);
      case F64 -> {
        for (int i = 0; i < count; i++) {
          out[i] = (float) in.getDouble(i * 8);
        }
      }
      case F16 -> {
        for (int i = 0; i < count; i++) {
          out[i] = HalfPrecision.halfToFloat(in.getShort(i * 2));
        }
      }
      case BF16 -> {
        for (int i = 0; i < count; i++) {
          out[i] = HalfPrecision.bfloat16ToFloat(in.getShort(i * 2));
        }
      }
      case I64 -> {
        for (int i = 0; i < count; i++) {
          out[i] = exactly(in.getLong(i * 8), i);
        }
      }
      case I32 -> {
        for (int i = 0; i < count; i++) {
          out[i] = exactly(in.getInt(i * 4), i);
        }
      }
      case I16 -> {
        for (int i = 0; i < count; i++) {
          out[i] = in.getShort(i * 2);
        }
      }
      case I8 -> {
        for (int i = 0; i < count; i++) {
          out[i] = in.get(i);
        }
      }
      case U8 -> {
        for (int i = 0; i < count; i++) {
          out[i] = in.get(i) & 0xff;
        }
      }
      case BOOL -> {
        for (int i = 0; i < count; i++) {
          byte b = in.get(i);
          if (b != 0 && b != 1) {
            throw new IllegalArgumentException(
                "element " + i + " is " + b + ", not a boolean 0 or 1");
          }
          out[i] = b;
        }
      }
      default -> throw new AssertionError(this);
    }
    return out;
  }

  /**
   * Encodes {@code values} at the buffer's position, advancing it, for the floating types a
   * checkpoint is written in.
   *
   * @throws IllegalArgumentException for an integer type
   */
  public void encode(float[] values, int from, int count, ByteBuffer target) {
    if (target.order() != ByteOrder.LITTLE_ENDIAN) {
      throw new IllegalArgumentException("checkpoints are written little-endian");
    }
    switch (this) {
      case F32 -> {
        target.asFloatBuffer().put(values, from, count);
        target.position(target.position() + count * 4);
      }
      case F64 -> {
        for (int i = from; i < from + count; i++) {
          target.putDouble(values[i]);
        }
      }
      case F16 -> {
        for (int i = from; i < from + count; i++) {
          target.putShort(HalfPrecision.floatToHalf(values[i]));
        }
      }
      case BF16 -> {
        for (int i = from; i < from + count; i++) {
          target.putShort(HalfPrecision.floatToBfloat16(values[i]));
        }
      }
      default -> throw new IllegalArgumentException(
          "cannot write " + this + " tensors; convert them to F32, F16 or BF16");
    }
  }

  private static float exactly(long value, int index) {
    float f = (float) value;
    // The range check keeps the (long) cast below from saturating into a false match.
    if (value < -(1L << 62) || value > (1L << 62) || (long) f != value) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "element %d is %d, which float32 cannot represent exactly",
              index,
              value));
    }
    return f;
  }
}
