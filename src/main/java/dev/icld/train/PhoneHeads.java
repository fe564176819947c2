package dev.icld.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.icld.data.PhoneTargets;
import dev.icld.model.Torch;
import dev.icld.model.io.TensorData;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The pretraining heads of phone targets: two linear maps from encoder states to the
 * {@link PhoneTargets#INVENTORY}, one read as frame labels (index 0 the pause), one as CTC outputs
 * (index 0 the blank). One pair serves every supervised depth, so that shallow and deep states
 * learn to speak the same language, which is what dropping layers later relies on.
 */
final class PhoneHeads implements AutoCloseable {
  static final String FRAME_WEIGHT = "phone_frame_head.weight";
  static final String FRAME_BIAS = "phone_frame_head.bias";
  static final String CTC_WEIGHT = "phone_ctc_head.weight";
  static final String CTC_BIAS = "phone_ctc_head.bias";
  private static final List<String> NAMES = List.of(FRAME_WEIGHT, FRAME_BIAS, CTC_WEIGHT, CTC_BIAS);

  private final NDManager manager;
  private final Map<String, NDArray> parameters;

  private PhoneHeads(NDManager manager, Map<String, NDArray> parameters) {
    this.manager = manager;
    this.parameters = Collections.unmodifiableMap(parameters);
  }

  /** New heads, uniform in +-1/sqrt(hidden) as torch's Linear. */
  static PhoneHeads initialise(int hidden, Random random) {
    int classes = PhoneTargets.INVENTORY.size();
    double bound = 1 / Math.sqrt(hidden);
    Map<String, TensorData> tensors = new LinkedHashMap<>();
    tensors.put(FRAME_WEIGHT, uniform(random, bound, classes, hidden));
    tensors.put(FRAME_BIAS, uniform(random, bound, classes));
    tensors.put(CTC_WEIGHT, uniform(random, bound, classes, hidden));
    tensors.put(CTC_BIAS, uniform(random, bound, classes));
    return fromTensors(tensors, hidden);
  }

  /** Heads from saved tensors, checked against the encoder width and the phone inventory. */
  static PhoneHeads fromTensors(Map<String, TensorData> tensors, int hidden) {
    int classes = PhoneTargets.INVENTORY.size();
    NDManager manager = Torch.newManager();
    Map<String, NDArray> parameters = new LinkedHashMap<>();
    for (String name : NAMES) {
      TensorData t = tensors.get(name);
      long[] expected = name.endsWith("weight") ? new long[] {classes, hidden}
          : new long[] {classes};
      if (t == null || !java.util.Arrays.equals(t.shape(), expected)) {
        manager.close();
        throw new IllegalArgumentException("phone heads need " + name + " of shape "
            + java.util.Arrays.toString(expected) + ", got "
            + (t == null ? "none" : java.util.Arrays.toString(t.shape())));
      }
      NDArray array = manager.create(t.values(), new Shape(t.shape()));
      array.setName(name);
      parameters.put(name, array);
    }
    return new PhoneHeads(manager, parameters);
  }

  Map<String, NDArray> parameters() {
    return parameters;
  }

  Map<String, TensorData> tensors() {
    Map<String, TensorData> out = new LinkedHashMap<>();
    parameters.forEach((name, array) ->
        out.put(name, TensorData.f32(array.getShape().getShape(), array.toFloatArray())));
    return out;
  }

  /** [B, T, phones] frame-label logits of encoder states [B, T, D]. */
  NDArray frameLogits(NDArray states) {
    return ai.djl.nn.core.Linear.linear(states, parameters.get(FRAME_WEIGHT),
        parameters.get(FRAME_BIAS)).singletonOrThrow();
  }

  /** [B, T, phones] CTC logits (index 0 the blank) of encoder states [B, T, D]. */
  NDArray ctcLogits(NDArray states) {
    return ai.djl.nn.core.Linear.linear(states, parameters.get(CTC_WEIGHT),
        parameters.get(CTC_BIAS)).singletonOrThrow();
  }

  /** Values uniform in +-bound (torch's Linear initialisation with bound 1/sqrt(in)). */
  static TensorData uniform(Random random, double bound, long... shape) {
    int n = 1;
    for (long s : shape) {
      n *= (int) s;
    }
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) (bound * (2 * random.nextDouble() - 1));
    }
    return TensorData.f32(shape, values);
  }

  @Override
  public void close() {
    manager.close();
  }
}
