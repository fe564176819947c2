package dev.icld.runtime;

import java.util.List;

/**
 * Predicted latency of a call that runs k layers:
 * {@code fixed + perSecond · seconds + k · (perLayer + perLayerGigaFlop · layerGigaFlops)}, in
 * milliseconds. The first two terms are everything but the layers (front end, selector, head, call
 * overhead); the last is each layer's cost, which grows with the frame count through its FLOPs
 * (attention's T² included), plus a per-layer dispatch cost that dominates on tiny models. Fitted
 * from measured calls by {@link #fit}.
 *
 * @param fixedMs cost of any call
 * @param msPerSecond cost per second of audio outside the layers
 * @param msPerLayer cost of running a layer, whatever its size
 * @param msPerLayerGigaFlop cost per GFLOP of one layer
 */
public record LatencyModel(double fixedMs, double msPerSecond, double msPerLayer,
    double msPerLayerGigaFlop) {
  private static final int TERMS = 4;

  public LatencyModel {
    for (double c : new double[] {fixedMs, msPerSecond, msPerLayer, msPerLayerGigaFlop}) {
      if (!(c >= 0) || Double.isInfinite(c)) {
        throw new IllegalArgumentException("latency model coefficients must be finite and >= 0, got "
            + fixedMs + ", " + msPerSecond + ", " + msPerLayer + ", " + msPerLayerGigaFlop);
      }
    }
  }

  /** One measured call. */
  public record Measurement(CallShape shape, int layers, double milliseconds) {}

  /** The predicted milliseconds of a call of {@code shape} running {@code layers} layers. */
  public double predictMs(CallShape shape, int layers) {
    return overheadMs(shape) + layers * layerMs(shape);
  }

  /** Everything but the layers. */
  public double overheadMs(CallShape shape) {
    return fixedMs + msPerSecond * shape.seconds();
  }

  /** One layer. */
  public double layerMs(CallShape shape) {
    return msPerLayer + msPerLayerGigaFlop * shape.layerGigaFlops();
  }

  private static double[] terms(Measurement m) {
    return new double[] {1, m.shape().seconds(), m.layers(), m.layers() * m.shape().layerGigaFlops()};
  }

  /**
   * Least squares of the relative error (each measurement weighted by 1 / its time², so that short
   * calls are predicted as well as long ones) with every coefficient non-negative (measurement noise can
   * make an unconstrained coefficient negative, which would predict faster calls for more work).
   * With four terms the exact non-negative solution is found by trying every subset of terms:
   * the unconstrained fit on each subset whose coefficients are all non-negative is feasible, and
   * the best of them is the optimum. Separating all terms needs measurements at two lengths and two
   * layer counts at least.
   */
  public static LatencyModel fit(List<Measurement> measurements) {
    if (measurements.isEmpty()) {
      throw new IllegalArgumentException("fitting a latency model needs measurements");
    }
    double[] best = new double[TERMS];
    double bestError = residual(measurements, best);
    for (int subset = 1; subset < 1 << TERMS; subset++) {
      boolean[] active = new boolean[TERMS];
      for (int j = 0; j < TERMS; j++) {
        active[j] = (subset & (1 << j)) != 0;
      }
      double[] coefficients = solve(measurements, active);
      boolean feasible = true;
      for (double c : coefficients) {
        feasible &= c >= 0 && Double.isFinite(c);
      }
      double error = feasible ? residual(measurements, coefficients) : Double.POSITIVE_INFINITY;
      if (error < bestError) {
        bestError = error;
        best = coefficients;
      }
    }
    return new LatencyModel(best[0], best[1], best[2], best[3]);
  }

  private static double weight(Measurement m) {
    double ms = Math.max(m.milliseconds(), 1e-6);
    return 1 / (ms * ms);
  }

  private static double residual(List<Measurement> measurements, double[] coefficients) {
    double sum = 0;
    for (Measurement m : measurements) {
      double[] x = terms(m);
      double predicted = 0;
      for (int j = 0; j < TERMS; j++) {
        predicted += coefficients[j] * x[j];
      }
      sum += weight(m) * (predicted - m.milliseconds()) * (predicted - m.milliseconds());
    }
    return sum;
  }

  /** Weighted normal equations over the active terms, by Gaussian elimination with partial pivoting. */
  private static double[] solve(List<Measurement> measurements, boolean[] active) {
    int[] index = new int[TERMS];
    int n = 0;
    for (int j = 0; j < TERMS; j++) {
      if (active[j]) {
        index[n++] = j;
      }
    }
    double[][] a = new double[n][n + 1];
    for (Measurement m : measurements) {
      double[] x = terms(m);
      double w = weight(m);
      for (int r = 0; r < n; r++) {
        for (int c = 0; c < n; c++) {
          a[r][c] += w * x[index[r]] * x[index[c]];
        }
        a[r][n] += w * x[index[r]] * m.milliseconds();
      }
    }
    // A tiny ridge keeps the system solvable when a term is constant over the measurements
    // (all at one length, say): its weight then goes to the terms that vary.
    for (int r = 0; r < n; r++) {
      a[r][r] += 1e-9 * (1 + a[r][r]);
    }
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
          pivot = r;
        }
      }
      double[] swap = a[col];
      a[col] = a[pivot];
      a[pivot] = swap;
      for (int r = 0; r < n; r++) {
        if (r != col && a[col][col] != 0) {
          double f = a[r][col] / a[col][col];
          for (int c = col; c <= n; c++) {
            a[r][c] -= f * a[col][c];
          }
        }
      }
    }
    double[] coefficients = new double[TERMS];
    for (int r = 0; r < n; r++) {
      coefficients[index[r]] = a[r][r] == 0 ? 0 : a[r][n] / a[r][r];
    }
    return coefficients;
  }
}
