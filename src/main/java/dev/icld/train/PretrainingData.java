package dev.icld.train;

import dev.icld.data.Manifest;
import dev.icld.data.ManifestEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * The unlabelled speech of a pretraining run: the training utterances of one or more corpora,
 * less every utterance of a {@link HeldOutSpeakers held-out speaker} and, when any speaker is held
 * out, every utterance without a speaker id (it could be anyone). A small random share becomes a
 * dev set for the masked-prediction loss. Audio paths are made absolute so that the manifests
 * can live anywhere.
 *
 * @param train utterances to pretrain on
 * @param dev utterances to evaluate the pretraining loss on (same speakers, other utterances)
 * @param offered utterances in the corpora's training manifests
 * @param droppedHeldOut utterances left out because their speaker is held out
 * @param droppedNoSpeaker utterances left out because they name no speaker
 */
public record PretrainingData(List<ManifestEntry> train, List<ManifestEntry> dev, int offered,
    int droppedHeldOut, int droppedNoSpeaker) {
  /** File names of the written manifests. */
  public static final String TRAIN = "train.jsonl";
  public static final String DEV = "dev.jsonl";

  public PretrainingData {
    train = List.copyOf(train);
    dev = List.copyOf(dev);
  }

  /**
   * @param sources corpus directories (their train.jsonl is read) or manifest files
   * @param devShare share of the kept utterances held back for dev, at least one and at most
   *     {@code maxDev}
   * @param seed which utterances go to dev
   * @throws IOException when a source has no manifest, or nothing is left after exclusion
   */
  public static PretrainingData select(List<Path> sources, HeldOutSpeakers heldOut,
      double devShare, int maxDev, long seed) throws IOException {
    List<ManifestEntry> kept = new ArrayList<>();
    int offered = 0;
    int droppedHeldOut = 0;
    int droppedNoSpeaker = 0;
    for (Path source : sources) {
      Path manifest = Files.isDirectory(source) ? source.resolve(TRAIN) : source;
      if (!Files.isRegularFile(manifest)) {
        throw new NoSuchFileException(manifest.toString(), null, "no training manifest");
      }
      Path base = manifest.toAbsolutePath().getParent();
      for (ManifestEntry e : Manifest.read(manifest)) {
        offered++;
        boolean noSpeaker = e.speaker() == null || e.speaker().isBlank();
        if (!heldOut.isEmpty() && noSpeaker) {
          droppedNoSpeaker++;
        } else if (!noSpeaker && heldOut.contains(e.speaker())) {
          droppedHeldOut++;
        } else {
          kept.add(new ManifestEntry(base.resolve(e.audio()).normalize().toString(), e.duration(),
              e.label(), e.transcript(), e.speaker(), e.source()));
        }
      }
    }
    if (kept.size() < 2) {
      throw new IOException("only " + kept.size() + " of " + offered + " utterances in "
          + sources + " are left after holding out " + heldOut.speakers().size()
          + " speakers; pretraining needs at least 2");
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < kept.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(seed));
    int devCount = (int) Math.max(1, Math.min(maxDev, Math.round(devShare * kept.size())));
    boolean[] isDev = new boolean[kept.size()];
    for (int i = 0; i < devCount; i++) {
      isDev[order.get(i)] = true;
    }
    List<ManifestEntry> train = new ArrayList<>();
    List<ManifestEntry> dev = new ArrayList<>();
    for (int i = 0; i < kept.size(); i++) {
      (isDev[i] ? dev : train).add(kept.get(i));
    }
    return new PretrainingData(train, dev, offered, droppedHeldOut, droppedNoSpeaker);
  }

  /** Writes {@link #TRAIN} and {@link #DEV} into {@code dir}. */
  public void write(Path dir) throws IOException {
    Manifest.write(dir.resolve(TRAIN), train);
    Manifest.write(dir.resolve(DEV), dev);
  }

  /** Distinct speakers over train and dev (utterances without an id are not counted). */
  public Set<String> speakers() {
    Set<String> speakers = new TreeSet<>();
    for (List<ManifestEntry> split : List.of(train, dev)) {
      for (ManifestEntry e : split) {
        if (e.speaker() != null && !e.speaker().isBlank()) {
          speakers.add(e.speaker());
        }
      }
    }
    return speakers;
  }

  /** Hours of audio in the training split, by the manifests' durations. */
  public double trainHours() {
    return train.stream().mapToDouble(ManifestEntry::duration).sum() / 3600;
  }

  /** One line for logs and the model card. */
  public String summary() {
    return String.format(Locale.ROOT,
        "%d of %d utterances kept (%d train, %.2f h; %d dev), %d speakers; dropped %d of held-out "
            + "speakers and %d without a speaker id",
        train.size() + dev.size(), offered, train.size(), trainHours(), dev.size(),
        speakers().size(), droppedHeldOut, droppedNoSpeaker);
  }
}
