package dev.icld.train;

import dev.icld.data.Corpus;
import dev.icld.data.ProgressBar;
import dev.icld.data.Utterance;
import dev.icld.files.AtomicFiles;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
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

  /** One utterance to label: an index into one of the corpora. */
  private record Source(Corpus corpus, int index) {
    Path file() {
      return corpus.get(index).file();
    }

    float[] samples() {
      try {
        return corpus.samples(index);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private final Map<Path, int[]> labels;
  private final int frameRate;
  private final float[][] centroids;
  private final boolean fromCache;

  private ClusterTargets(Map<Path, int[]> labels, int frameRate, float[][] centroids,
      boolean fromCache) {
    this.labels = labels;
    this.frameRate = frameRate;
    this.centroids = centroids;
    this.fromCache = fromCache;
  }

  /**
   * Fits k-means on frames of {@code train} and labels every utterance of {@code train} and
   * {@code dev} (null for none); reads all of it from {@code cacheDir} when that holds targets
   * made the same way from the same utterances, else writes it there.
   */
  public static ClusterTargets build(Corpus train, Corpus dev, FrameFeatures features,
      Options options, Path cacheDir) throws IOException {
    List<Source> sources = new ArrayList<>();
    for (Corpus corpus : dev == null ? List.of(train) : List.of(train, dev)) {
      for (int i = 0; i < corpus.size(); i++) {
        sources.add(new Source(corpus, i));
      }
    }
    String key = cacheKey(sources, features, options);
    ClusterTargets cached = readCache(cacheDir, key, sources, features.frameRate());
    if (cached != null) {
      return cached;
    }
    KMeans.Model kmeans = KMeans.fit(fittingFrames(train, features, options), options.clusters(),
        options.maxIterations(), options.seed());
    int[][] labels = new int[sources.size()][];
    try (ProgressBar progress = new ProgressBar("labelling frames", sources.size())) {
      IntStream.range(0, sources.size()).parallel().forEach(i -> {
        labels[i] = kmeans.assignAll(features.compute(sources.get(i).samples()));
        progress.step();
      });
    }
    writeCache(cacheDir, key, labels, features.frameRate(), kmeans.centroids());
    return new ClusterTargets(byFile(sources, labels), features.frameRate(), kmeans.centroids(),
        false);
  }

  private static Map<Path, int[]> byFile(List<Source> sources, int[][] labels) {
    Map<Path, int[]> out = new HashMap<>();
    for (int i = 0; i < sources.size(); i++) {
      out.put(sources.get(i).file(), labels[i]);
    }
    return out;
  }

  /** Frames of whole utterances in a seeded random order, up to the fitting budget. */
  private static float[][] fittingFrames(Corpus corpus, FrameFeatures features, Options options) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < corpus.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(options.seed()));
    List<Source> chosen = new ArrayList<>();
    double expectedFrames = 0;
    for (int i : order) {
      if (expectedFrames >= options.maxFitFrames()) {
        break;
      }
      chosen.add(new Source(corpus, i));
      expectedFrames += corpus.get(i).durationSeconds() * features.frameRate();
    }
    float[][][] perUtterance = new float[chosen.size()][][];
    try (ProgressBar progress = new ProgressBar("features for k-means", chosen.size())) {
      IntStream.range(0, chosen.size()).parallel().forEach(k -> {
        perUtterance[k] = features.compute(chosen.get(k).samples());
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

  /**
   * Cluster label per feature frame of the utterance in {@code file}.
   *
   * @throws IllegalArgumentException for a file these targets were not made for
   */
  public int[] labels(Path file) {
    int[] out = labels.get(file);
    if (out == null) {
      throw new IllegalArgumentException(file + ": no pretraining targets for this utterance");
    }
    return out;
  }

  /** Feature frames (and so labels) per second. */
  public int frameRate() {
    return frameRate;
  }

  public int clusters() {
    return centroids.length;
  }

  /** Whether these targets were read from the cache rather than computed. */
  public boolean fromCache() {
    return fromCache;
  }

  /** Share of all labelled frames in each cluster (how evenly the targets use the clusters). */
  public double[] clusterShares() {
    double[] shares = new double[centroids.length];
    long total = 0;
    for (int[] utterance : labels.values()) {
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
    saveCentroids(file, centroids);
  }

  private static void saveCentroids(Path file, float[][] centroids) throws IOException {
    int dims = centroids[0].length;
    float[] flat = new float[centroids.length * dims];
    for (int c = 0; c < centroids.length; c++) {
      System.arraycopy(centroids[c], 0, flat, c * dims, dims);
    }
    SafeTensors.write(file, Map.of(CENTROIDS,
        TensorData.f32(new long[] {centroids.length, dims}, flat)));
  }

  private static String cacheKey(List<Source> sources, FrameFeatures features,
      Options options) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update((features.description() + "|" + options + "\n").getBytes(StandardCharsets.UTF_8));
      for (Source source : sources) {
        Utterance u = source.corpus().get(source.index());
        digest.update((u.file() + "|" + u.samples() + "\n").getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  private static ClusterTargets readCache(Path dir, String key, List<Source> sources,
      int frameRate) throws IOException {
    int utterances = sources.size();
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
      return new ClusterTargets(byFile(sources, labels), rate, rows, true);
    } catch (java.io.EOFException e) {
      throw new IOException(labelsFile + ": truncated target cache; delete it to rebuild", e);
    }
  }

  private static void writeCache(Path dir, String key, int[][] labels, int frameRate,
      float[][] centroids) throws IOException {
    Files.createDirectories(dir);
    saveCentroids(dir.resolve(KMEANS_FILE), centroids);
    Path file = dir.resolve(LABELS_FILE);
    AtomicFiles.write(file, stream -> {
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream));
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
      out.flush();
    });
  }
}
