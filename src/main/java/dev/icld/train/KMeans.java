package dev.icld.train;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * K-means over feature frames, for HuBERT's first-iteration targets (about 100 clusters of MFCC
 * frames). k-means++ seeding, then Lloyd iterations until assignments stop changing. Results
 * depend only on the data and the seed: the parallel assignment step writes per-frame results
 * and the centroid sums are accumulated in frame order.
 */
public final class KMeans {
  /** Fitted centroids, [clusters][dimensions], and how the fit went. */
  public record Model(float[][] centroids, int iterations, double inertia) {
    /** Index of the nearest centroid (squared Euclidean distance). */
    public int assign(float[] frame) {
      return nearest(centroids, frame);
    }

    public int[] assignAll(float[][] frames) {
      int[] out = new int[frames.length];
      IntStream.range(0, frames.length).parallel().forEach(i -> out[i] = assign(frames[i]));
      return out;
    }
  }

  private KMeans() {}

  /**
   * @param frames [n][d], n >= clusters
   * @param maxIterations upper bound on Lloyd iterations
   */
  public static Model fit(float[][] frames, int clusters, int maxIterations, long seed) {
    if (clusters < 1 || frames.length < clusters) {
      throw new IllegalArgumentException(
          "need at least as many frames as clusters: " + frames.length + " frames, " + clusters
              + " clusters");
    }
    int dims = frames[0].length;
    for (float[] f : frames) {
      if (f.length != dims) {
        throw new IllegalArgumentException("frames of different sizes: " + dims + " and " + f.length);
      }
    }
    float[][] centroids = seedPlusPlus(frames, clusters, new Random(seed));
    int[] assignment = new int[frames.length];
    Arrays.fill(assignment, -1);
    int iteration = 0;
    boolean changed = true;
    while (changed && iteration < maxIterations) {
      iteration++;
      float[][] current = centroids;
      int[] next = new int[frames.length];
      IntStream.range(0, frames.length).parallel()
          .forEach(i -> next[i] = nearest(current, frames[i]));
      changed = !Arrays.equals(next, assignment);
      assignment = next;
      centroids = means(frames, assignment, current);
    }
    return new Model(centroids, iteration, inertia(frames, centroids, assignment));
  }

  /** k-means++: each next centroid drawn with probability proportional to squared distance. */
  private static float[][] seedPlusPlus(float[][] frames, int clusters, Random random) {
    float[][] centroids = new float[clusters][];
    centroids[0] = frames[random.nextInt(frames.length)].clone();
    double[] distance = new double[frames.length];
    Arrays.fill(distance, Double.POSITIVE_INFINITY);
    for (int c = 1; c < clusters; c++) {
      float[] last = centroids[c - 1];
      double total = 0;
      for (int i = 0; i < frames.length; i++) {
        distance[i] = Math.min(distance[i], squaredDistance(frames[i], last));
        total += distance[i];
      }
      int chosen = frames.length - 1;
      if (total > 0) {
        double target = random.nextDouble() * total;
        for (int i = 0; i < frames.length; i++) {
          target -= distance[i];
          if (target < 0) {
            chosen = i;
            break;
          }
        }
      } else {
        chosen = random.nextInt(frames.length);
      }
      centroids[c] = frames[chosen].clone();
    }
    return centroids;
  }

  /** New centroids as cluster means; an emptied cluster keeps its previous centroid. */
  private static float[][] means(float[][] frames, int[] assignment, float[][] previous) {
    int clusters = previous.length;
    int dims = frames[0].length;
    double[][] sums = new double[clusters][dims];
    int[] counts = new int[clusters];
    for (int i = 0; i < frames.length; i++) {
      double[] s = sums[assignment[i]];
      for (int d = 0; d < dims; d++) {
        s[d] += frames[i][d];
      }
      counts[assignment[i]]++;
    }
    float[][] out = new float[clusters][dims];
    for (int c = 0; c < clusters; c++) {
      for (int d = 0; d < dims; d++) {
        out[c][d] = counts[c] == 0 ? previous[c][d] : (float) (sums[c][d] / counts[c]);
      }
    }
    return out;
  }

  private static double inertia(float[][] frames, float[][] centroids, int[] assignment) {
    double total = 0;
    for (int i = 0; i < frames.length; i++) {
      total += squaredDistance(frames[i], centroids[assignment[i]]);
    }
    return total;
  }

  private static int nearest(float[][] centroids, float[] frame) {
    int best = 0;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int c = 0; c < centroids.length; c++) {
      double d = squaredDistance(frame, centroids[c]);
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    return best;
  }

  private static double squaredDistance(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i];
      s += d * d;
    }
    return s;
  }
}
