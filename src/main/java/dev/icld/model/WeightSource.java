package dev.icld.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.icld.model.io.TensorData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The tensors a model is built from, in bare Hugging Face naming. Components take their
 * parameters from here by name and expected shape; a missing or mis-shaped tensor is recorded
 * (and replaced by zeros so construction can go on) so that one error can list every problem.
 * Every parameter taken is registered, in order, as one of the model's named parameters.
 */
final class WeightSource {
  private final Map<String, TensorData> tensors;
  private final NDManager manager;
  private final Set<String> used = new HashSet<>();
  private final List<String> missing = new ArrayList<>();
  private final List<String> misshaped = new ArrayList<>();
  private final Map<String, NDArray> parameters = new LinkedHashMap<>();
  private final RandomInitialiser initialiser;

  WeightSource(Map<String, TensorData> tensors, NDManager manager) {
    this(tensors, manager, null);
  }

  /**
   * @param initialiser when not null, every tensor absent from {@code tensors} (optional ones
   *     included) is drawn from it instead of being missing
   */
  WeightSource(Map<String, TensorData> tensors, NDManager manager, RandomInitialiser initialiser) {
    this.tensors = tensors;
    this.manager = manager;
    this.initialiser = initialiser;
  }

  NDManager manager() {
    return manager;
  }

  /** The parameter {@code weight}. */
  NDArray take(Architecture.Weight weight) {
    NDArray array = read(weight);
    if (array == null) {
      missing.add(weight.toString());
      array = manager.zeros(new Shape(weight.shape()));
    }
    register(weight.name(), array);
    return array;
  }

  /** The parameter {@code weight}, or null when the checkpoint does not have it. */
  NDArray takeOptional(Architecture.Weight weight) {
    NDArray array =
        tensors.containsKey(weight.name()) || initialiser != null ? read(weight) : null;
    if (array != null) {
      register(weight.name(), array);
    }
    return array;
  }

  /** The tensor {@code weight} without registering it as a parameter (for tensors folded at load). */
  NDArray read(Architecture.Weight weight) {
    String name = weight.name();
    long[] shape = weight.shape();
    TensorData data = tensors.get(name);
    if (data == null && initialiser != null) {
      data = initialiser.tensor(name, shape);
    }
    if (data == null) {
      return null;
    }
    used.add(name);
    if (!Arrays.equals(data.shape(), shape)) {
      misshaped.add(name + ": expected " + Arrays.toString(shape) + ", found " + data.shapeString());
      return manager.zeros(new Shape(shape));
    }
    return manager.create(data.values(), new Shape(shape));
  }

  boolean contains(String name) {
    return tensors.containsKey(name);
  }

  void recordMissing(String description) {
    missing.add(description);
  }

  /** Registers a parameter computed at load time (such as a folded weight-norm weight). */
  void register(String name, NDArray array) {
    array.setName(name);
    parameters.put(name, array);
  }

  Map<String, NDArray> parameters() {
    return Collections.unmodifiableMap(parameters);
  }

  Set<String> unused() {
    Set<String> names = new TreeSet<>(tensors.keySet());
    names.removeAll(used);
    return names;
  }

  List<String> missing() {
    return missing;
  }

  List<String> misshaped() {
    return misshaped;
  }
}
