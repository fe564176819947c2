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
import java.util.Set;
import java.util.TreeSet;

/**
 * The speakers a pretraining set must not contain: everyone who speaks in the test split (and
 * the dev split, when there is one) of the downstream corpora, so that no downstream evaluation
 * hears a voice the foundation model was pretrained on.
 */
public final class HeldOutSpeakers {
  static final List<String> HELD_OUT_SPLITS = List.of("test.jsonl", "dev.jsonl");

  private final Set<String> speakers;
  private final List<Path> manifests;

  private HeldOutSpeakers(Set<String> speakers, List<Path> manifests) {
    this.speakers = Collections.unmodifiableSet(speakers);
    this.manifests = List.copyOf(manifests);
  }

  /**
   * Reads test.jsonl (required: without it the exclusion would silently hold out nobody) and
   * dev.jsonl (when present) of every corpus directory; no directory holds nobody out.
   */
  public static HeldOutSpeakers of(List<Path> corpora) throws IOException {
    Set<String> speakers = new TreeSet<>();
    List<Path> read = new ArrayList<>();
    for (Path corpus : corpora) {
      if (!Files.isRegularFile(corpus.resolve(HELD_OUT_SPLITS.get(0)))) {
        throw new NoSuchFileException(corpus.toString(), null,
            "no " + HELD_OUT_SPLITS.get(0) + " whose speakers could be held out");
      }
      for (String split : HELD_OUT_SPLITS) {
        Path manifest = corpus.resolve(split);
        if (!Files.isRegularFile(manifest)) {
          continue;
        }
        for (ManifestEntry e : Manifest.read(manifest)) {
          if (e.speaker() != null && !e.speaker().isBlank()) {
            speakers.add(e.speaker());
          }
        }
        read.add(manifest);
      }
    }
    return new HeldOutSpeakers(speakers, read);
  }

  /** True when nothing is held out (no corpus was named). */
  public boolean isEmpty() {
    return manifests.isEmpty();
  }

  public boolean contains(String speaker) {
    return speakers.contains(speaker);
  }

  /** The held-out speaker ids, sorted. */
  public Set<String> speakers() {
    return speakers;
  }

  /** The manifests the speakers were read from. */
  public List<Path> manifests() {
    return manifests;
  }
}
