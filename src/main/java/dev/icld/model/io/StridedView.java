package dev.icld.model.io;

import java.util.Arrays;

/** Materialises a strided view of a storage (a torch tensor) as row-major values. */
final class StridedView {
  private static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

  private StridedView() {}

  /**
   * The values of the view {@code storage[offset + sum(index[d] * stride[d])]} in row-major order.
   *
   * @param mayReuse whether the storage array may be returned itself when the view is all of it
   * @throws IllegalArgumentException if the view reaches outside the storage
   */
  static float[] gather(
      float[] storage, long offset, long[] size, long[] stride, boolean mayReuse) {
    if (size.length != stride.length) {
      throw new IllegalArgumentException(
          "size " + Arrays.toString(size) + " and stride " + Arrays.toString(stride)
              + " differ in rank");
    }
    long count = 1;
    long lastIndex = offset;
    try {
      for (int d = 0; d < size.length; d++) {
        count = Math.multiplyExact(count, size[d]);
        if (size[d] > 0) {
          lastIndex = Math.addExact(lastIndex, Math.multiplyExact(size[d] - 1, stride[d]));
        }
      }
    } catch (ArithmeticException overflow) {
      count = Long.MAX_VALUE;
    }
    if (count > MAX_ARRAY_LENGTH) {
      throw new IllegalArgumentException("size " + Arrays.toString(size) + " is too large to load");
    }
    if (count == 0) {
      return new float[0];
    }
    if (offset < 0 || lastIndex >= storage.length) {
      throw new IllegalArgumentException(
          "view (offset " + offset + ", size " + Arrays.toString(size) + ", stride "
              + Arrays.toString(stride) + ") reaches element " + lastIndex
              + " of a storage of " + storage.length);
    }
    int n = (int) count;
    if (isRowMajor(size, stride)) {
      if (mayReuse && offset == 0 && n == storage.length) {
        return storage;
      }
      return Arrays.copyOfRange(storage, (int) offset, (int) offset + n);
    }
    float[] out = new float[n];
    int rank = size.length;
    long[] index = new long[rank];
    long position = offset;
    for (int i = 0; i < n; i++) {
      out[i] = storage[(int) position];
      // Advance the row-major odometer, moving the storage position by the stride of each digit.
      for (int d = rank - 1; d >= 0; d--) {
        index[d]++;
        position += stride[d];
        if (index[d] < size[d]) {
          break;
        }
        position -= stride[d] * size[d];
        index[d] = 0;
      }
    }
    return out;
  }

  /** Whether the strides are those of a contiguous row-major tensor (size-1 dims: any stride). */
  private static boolean isRowMajor(long[] size, long[] stride) {
    long expected = 1;
    for (int d = size.length - 1; d >= 0; d--) {
      if (size[d] != 1 && stride[d] != expected) {
        return false;
      }
      expected *= size[d];
    }
    return true;
  }
}
