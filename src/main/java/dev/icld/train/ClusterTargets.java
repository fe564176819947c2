package dev.icld.train;

import dev.icld.data.Corpus;
import dev.icld.data.ProgressBar;
import dev.icld.data.Utterance;
import dev.icld.model.io.SafeTensors;
import dev.icld.model.io.TensorData;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * HuBERT's pretraining targets: k-means over frame features of a subsample of the corpus, then
 * one cluster label per feature frame of every utterance. Everything depends only on the corpus,
 * the features and the seed; the labels and the k-means model are cached in a directory and reused
 * when a later run asks for the same targets.
 */
public final class ClusterTargets {
  /** How the targets are made. */
  public record Options(int clusters, int maxFitFrames, int maxIterations, long seed) {
    public Options {
      if (clusters < 2 || clusters > Short.MAX_VALUE || maxFitFrames < clusters
          || maxIterations < 1) {
        throw new IllegalArgumentException("need 2 to 32767 clusters, at least as many fitting "
            + "frames as clusters and at least 1 iteration; got " + clusters + ", "
            + maxFitFrames + ", " + maxIterations);
      }
    }
  }

  static final String LABELS_FILE = "labels.bin";
  static final String KMEANS_FILE = "kmeans.safetensors";
  private static final String CENTROIDS = "centroids";
  private static final String MAGIC = "icld-cluster-labels-1";

  private final int[][] labels;
  private final int frameRate;
  private final float[][] centroids;
  private final boolean fromCache;

  private ClusterTargets(int[][] labels, int frameRate, float[][] centroids, boolean fromCache) {
    this.labels = labels;
    this.frameRate = frameRate;
    this.centroids = centroids;
    this.fromCache = fromCache;
  }

  /**
   * The targets of every utterance of {@code corpus}, read from {@code cacheDir} when it holds
   * targets made the same way from the same utterances, else computed and written there.
   */
  public static ClusterTargets build(Corpus corpus, FrameFeatures features, Options options,
      Path cacheDir) throws IOException {
    String key = cacheKey(corpus, features, options);
    ClusterTargets cached = readCache(cacheDir, key, corpus.size(), features.frameRate());
    if (cached != null) {
      return cached;
    }
    KMeans.Model kmeans = KMeans.fit(fittingFrames(corpus, features, options), options.clusters(),
        options.maxIterations(), options.seed());
    int[][] labels = new int[corpus.size()][];
    try (ProgressBar progress = new ProgressBar("labelling frames", corpus.size())) {
      IntStream.range(0, corpus.size()).parallel().forEach(i -> {
        labels[i] = kmeans.assignAll(features.compute(samples(corpus, i)));
        progress.step();
      });
    }
    ClusterTargets targets =
        new ClusterTargets(labels, features.frameRate(), kmeans.centroids(), false);
    targets.writeCache(cacheDir, key);
    return targets;
  }

  /** Frames of whole utterances in a seeded random order, up to the fitting budget. */
  private static float[][] fittingFrames(Corpus corpus, FrameFeatures features, Options options) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < corpus.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(options.seed()));
    List<Integer> chosen = new ArrayList<>();
    double expectedFrames = 0;
    for (int i : order) {
      if (expectedFrames >= options.maxFitFrames()) {
        break;
      }
      chosen.add(i);
      expectedFrames += corpus.get(i).durationSeconds() * features.frameRate();
    }
    float[][][] perUtterance = new float[chosen.size()][][];
    try (ProgressBar progress = new ProgressBar("features for k-means", chosen.size())) {
      IntStream.range(0, chosen.size()).parallel().forEach(k -> {
        perUtterance[k] = features.compute(samples(corpus, chosen.get(k)));
        progress.step();
      });
    }
    List<float[]> frames = new ArrayList<>();
    for (float[][] utterance : perUtterance) {
      for (float[] frame : utterance) {
        if (frames.size() < options.maxFitFrames()) {
          frames.add(frame);
        }
      }
    }
    if (frames.size() < options.clusters()) {
      throw new IllegalArgumentException("the corpus has only " + frames.size()
          + " feature frames, fewer than the " + options.clusters() + " clusters asked for");
    }
    return frames.toArray(float[][]::new);
  }

  private static float[] samples(Corpus corpus, int index) {
    try {
      return corpus.samples(index);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Cluster label per feature frame of utterance {@code index} of the corpus. */
  public int[] labels(int index) {
    return labels[index];
  }

  /** Feature frames (and so labels) per second. */
  public int frameRate() {
    return frameRate;
  }

  public int clusters() {
    return centroids.length;
  }

  /** The k-means centroids, [clusters][dimensions]. */
  public float[][] centroids() {
    return centroids;
  }

  /** Whether these targets were read from the cache rather than computed. */
  public boolean fromCache() {
    return fromCache;
  }

  /** Share of all labelled frames in each cluster (how evenly the targets use the clusters). */
  public double[] clusterShares() {
    double[] shares = new double[centroids.length];
    long total = 0;
    for (int[] utterance : labels) {
      for (int label : utterance) {
        shares[label]++;
        total++;
      }
    }
    for (int c = 0; c < shares.length; c++) {
      shares[c] /= Math.max(1, total);
    }
    return shares;
  }

  /** Writes the k-means model (F32 centroids [clusters, dimensions]) as safetensors. */
  public void saveKMeans(Path file) throws IOException {
    int dims = centroids[0].length;
    float[] flat = new float[centroids.length * dims];
    for (int c = 0; c < centroids.length; c++) {
      System.arraycopy(centroids[c], 0, flat, c * dims, dims);
    }
    SafeTensors.write(file, Map.of(CENTROIDS,
        TensorData.f32(new long[] {centroids.length, dims}, flat)));
  }

  private static String cacheKey(Corpus corpus, FrameFeatures features, Options options) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update((features.description() + "|" + options + "\n").getBytes(StandardCharsets.UTF_8));
      for (Utterance u : corpus.utterances()) {
        digest.update((u.file() + "|" + u.samples() + "\n").getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  private static ClusterTargets readCache(Path dir, String key, int utterances, int frameRate)
      throws IOException {
    Path labelsFile = dir.resolve(LABELS_FILE);
    Path kmeansFile = dir.resolve(KMEANS_FILE);
    if (!Files.isRegularFile(labelsFile) || !Files.isRegularFile(kmeansFile)) {
      return null;
    }
    try (DataInputStream in = new DataInputStream(
        new BufferedInputStream(Files.newInputStream(labelsFile)))) {
      if (!in.readUTF().equals(MAGIC) || !in.readUTF().equals(key)) {
        return null;
      }
      int count = in.readInt();
      int rate = in.readInt();
      if (count != utterances || rate != frameRate) {
        throw new IOException(labelsFile + ": cache key matches but it holds " + count
            + " utterances at " + rate + " Hz, expected " + utterances + " at " + frameRate);
      }
      int[][] labels = new int[count][];
      for (int i = 0; i < count; i++) {
        labels[i] = new int[in.readInt()];
        for (int t = 0; t < labels[i].length; t++) {
          labels[i][t] = in.readShort();
        }
      }
      TensorData centroids = SafeTensors.read(kmeansFile).get(CENTROIDS);
      if (centroids == null || centroids.shape().length != 2) {
        throw new IOException(kmeansFile + ": no [clusters, dimensions] tensor '" + CENTROIDS + "'");
      }
      int clusters = (int) centroids.shape()[0];
      int dims = (int) centroids.shape()[1];
      float[][] rows = new float[clusters][dims];
      for (int c = 0; c < clusters; c++) {
        System.arraycopy(centroids.values(), c * dims, rows[c], 0, dims);
      }
      return new ClusterTargets(labels, rate, rows, true);
    } catch (java.io.EOFException e) {
      throw new IOException(labelsFile + ": truncated target cache; delete it to rebuild", e);
    }
  }

  private void writeCache(Path dir, String key) throws IOException {
    Files.createDirectories(dir);
    saveKMeans(dir.resolve(KMEANS_FILE));
    Path file = dir.resolve(LABELS_FILE);
    Path tmp = Files.createTempFile(dir, LABELS_FILE, ".tmp");
    try {
      try (DataOutputStream out = new DataOutputStream(
          new BufferedOutputStream(Files.newOutputStream(tmp)))) {
        out.writeUTF(MAGIC);
        out.writeUTF(key);
        out.writeInt(labels.length);
        out.writeInt(frameRate);
        for (int[] utterance : labels) {
          out.writeInt(utterance.length);
          for (int label : utterance) {
            out.writeShort(label);
          }
        }
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
