package dev.icld.model.io;

import java.util.Arrays;

/**
 * A tensor read from or written to a checkpoint, as float32 values in row-major order.
 *
 * @param dtype the dtype stored in the file, as {@link DType} names it ("F32", "F16", "BF16", ...);
 *     the values are always float32
 * @param shape dimensions, outermost first
 * @param values row-major values; length is the product of shape
 */
public record TensorData(String dtype, long[] shape, float[] values) {
  public TensorData {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    if (n != values.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + values.length);
    }
  }

  public static TensorData f32(long[] shape, float[] values) {
    return new TensorData("F32", shape, values);
  }

  public String shapeString() {
    return Arrays.toString(shape);
  }
}
