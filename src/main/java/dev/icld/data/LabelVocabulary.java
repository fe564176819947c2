package dev.icld.data;

import dev.icld.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Class labels and their indices. Built from the training manifest in sorted (String) order, so
 * the same training data always gives the same indices, whatever the order of its lines.
 */
public final class LabelVocabulary {
  private final List<String> labels;
  private final Map<String, Integer> indices;

  private LabelVocabulary(List<String> labels) {
    this.labels = List.copyOf(labels);
    this.indices = new HashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      String label = labels.get(i);
      if (label == null || label.isBlank()) {
        throw new IllegalArgumentException("label " + i + " is empty");
      }
      if (indices.put(label, i) != null) {
        throw new IllegalArgumentException("label \"" + label + "\" appears twice");
      }
    }
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("a label vocabulary needs at least one label");
    }
  }

  /** The labels in exactly this order (e.g. the order stored with a trained model). */
  public static LabelVocabulary of(List<String> labels) {
    return new LabelVocabulary(labels);
  }

  /** The distinct labels of the training utterances, sorted. */
  public static LabelVocabulary fromTraining(Collection<Utterance> training) {
    TreeSet<String> distinct = new TreeSet<>();
    for (Utterance u : training) {
      String label = u.entry().label();
      if (label == null || label.isBlank()) {
        throw new IllegalArgumentException(u.file() + ": training utterance without a label");
      }
      distinct.add(label);
    }
    return new LabelVocabulary(new ArrayList<>(distinct));
  }

  public int size() {
    return labels.size();
  }

  public List<String> labels() {
    return labels;
  }

  public String label(int index) {
    return labels.get(index);
  }

  public boolean contains(String label) {
    return indices.containsKey(label);
  }

  /** @throws IllegalArgumentException for a label the vocabulary does not have */
  public int indexOf(String label) {
    Integer index = indices.get(label);
    if (index == null) {
      throw new IllegalArgumentException(
          "label \"" + label + "\" is not one of the " + labels.size() + " training labels");
    }
    return index;
  }

  /** Writes one label per line, in index order (atomically). */
  public void write(Path file) throws IOException {
    StringBuilder text = new StringBuilder();
    labels.forEach(label -> text.append(label).append('\n'));
    AtomicFiles.writeString(file, text.toString());
  }

  /** Reads a file written by {@link #write}. */
  public static LabelVocabulary read(Path file) throws IOException {
    try {
      return of(Files.readAllLines(file, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": not a label vocabulary: " + e.getMessage());
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LabelVocabulary v && v.labels.equals(labels);
  }

  @Override
  public int hashCode() {
    return labels.hashCode();
  }

  @Override
  public String toString() {
    return labels.toString();
  }
}
