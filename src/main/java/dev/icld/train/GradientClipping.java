package dev.icld.train;

import ai.djl.ndarray.NDArray;
import java.util.Collection;

/** Rescales gradients so that their global L2 norm is at most a bound, as torch's clip_grad_norm_. */
public final class GradientClipping {
  private GradientClipping() {}

  /** Clips in place; returns the norm before clipping. */
  public static double clipGlobalNorm(Collection<NDArray> gradients, double maxNorm) {
    double sumSquares = 0;
    for (NDArray g : gradients) {
      try (NDArray squares = g.square(); NDArray sum = squares.sum()) {
        sumSquares += sum.getFloat();
      }
    }
    double norm = Math.sqrt(sumSquares);
    double scale = maxNorm / (norm + 1e-6);
    if (scale < 1) {
      for (NDArray g : gradients) {
        g.muli(scale);
      }
    }
    return norm;
  }
}
