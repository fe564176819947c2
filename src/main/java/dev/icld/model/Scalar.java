package dev.icld.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Scalar operands for arithmetic that autograd differentiates. DJL's {@code x.mul(2f)} (and div,
 * maximum, minimum, pow with a number) wraps the number in a tensor over a Java direct buffer and
 * closes it as soon as the op returns; torch's backward of that op still reads the saved scalar,
 * from memory the garbage collector may by then have freed and reused. The gradient is then
 * garbage (NaN at random steps of a long run) while the forward value is right. A scalar from
 * {@link #of} is allocated by torch itself, so the backward keeps it alive for as long as it needs
 * it. Add and sub with a number save nothing for backward and need no wrapping.
 */
public final class Scalar {
  private Scalar() {}

  /** {@code value} as a 0-d tensor of {@code like}'s type, device and manager. */
  public static NDArray of(NDArray like, double value) {
    return like.getManager().full(new Shape(), (float) value, like.getDataType());
  }
}
