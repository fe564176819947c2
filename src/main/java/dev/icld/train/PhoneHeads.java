package dev.icld.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.icld.data.CharacterVocabulary;
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
 * (index 0 the blank); optionally a third, CTC over {@link CharacterVocabulary characters}, for the
 * spelling of the words the TTS engines were given. One set serves every supervised depth, so
 * that shallow and deep states learn to speak the same language, which is what dropping layers
 * later relies on.
 */
final class PhoneHeads implements AutoCloseable {
  static final String FRAME_WEIGHT = "phone_frame_head.weight";
  static final String FRAME_BIAS = "phone_frame_head.bias";
  static final String CTC_WEIGHT = "phone_ctc_head.weight";
  static final String CTC_BIAS = "phone_ctc_head.bias";
  static final String CHARACTER_WEIGHT = "character_ctc_head.weight";
  static final String CHARACTER_BIAS = "character_ctc_head.bias";
  private static final List<String> PHONE_NAMES =
      List.of(FRAME_WEIGHT, FRAME_BIAS, CTC_WEIGHT, CTC_BIAS);
  private static final List<String> CHARACTER_NAMES = List.of(CHARACTER_WEIGHT, CHARACTER_BIAS);

  private final NDManager manager;
  private final Map<String, NDArray> parameters;

  private PhoneHeads(NDManager manager, Map<String, NDArray> parameters) {
    this.manager = manager;
    this.parameters = Collections.unmodifiableMap(parameters);
  }

  /**
   * New heads, uniform in +-1/sqrt(hidden) as torch's Linear.
   *
   * @param characters with the character CTC head
   */
  static PhoneHeads initialise(int hidden, boolean characters, Random random) {
    return fromTensors(Map.of(), hidden, characters, random);
  }

  /**
   * Heads from saved tensors, checked against the encoder width and the inventories. A head that
   * is wanted but was not saved (an earlier run without characters) starts from new weights; a
   * saved character head that is not wanted is left out.
   *
   * @param saved tensors by name; empty for all new heads
   * @param characters with the character CTC head
   * @param random draws the weights of heads not saved
   */
  static PhoneHeads fromTensors(Map<String, TensorData> saved, int hidden, boolean characters,
      Random random) {
    Map<String, TensorData> tensors = new LinkedHashMap<>();
    boolean phonesSaved = PHONE_NAMES.stream().anyMatch(saved::containsKey);
    int phones = PhoneTargets.INVENTORY.size();
    addHead(tensors, saved, phonesSaved, FRAME_WEIGHT, FRAME_BIAS, phones, hidden, random);
    addHead(tensors, saved, phonesSaved, CTC_WEIGHT, CTC_BIAS, phones, hidden, random);
    if (characters) {
      boolean charactersSaved = CHARACTER_NAMES.stream().anyMatch(saved::containsKey);
      addHead(tensors, saved, charactersSaved, CHARACTER_WEIGHT, CHARACTER_BIAS,
          CharacterVocabulary.SIZE, hidden, random);
    }
    NDManager manager = Torch.newManager();
    Map<String, NDArray> parameters = new LinkedHashMap<>();
    tensors.forEach((name, t) -> {
      NDArray array = manager.create(t.values(), new Shape(t.shape()));
      array.setName(name);
      parameters.put(name, array);
    });
    return new PhoneHeads(manager, parameters);
  }

  /** One linear head, saved (checked) or new. */
  private static void addHead(Map<String, TensorData> into, Map<String, TensorData> saved,
      boolean fromSaved, String weight, String bias, int classes, int hidden, Random random) {
    double bound = 1 / Math.sqrt(hidden);
    Map<String, long[]> shapes = new LinkedHashMap<>();
    shapes.put(weight, new long[] {classes, hidden});
    shapes.put(bias, new long[] {classes});
    shapes.forEach((name, expected) -> {
      if (!fromSaved) {
        into.put(name, uniform(random, bound, expected));
        return;
      }
      TensorData t = saved.get(name);
      if (t == null || !java.util.Arrays.equals(t.shape(), expected)) {
        throw new IllegalArgumentException("phone heads need " + name + " of shape "
            + java.util.Arrays.toString(expected) + ", got "
            + (t == null ? "none" : java.util.Arrays.toString(t.shape())));
      }
      into.put(name, t);
    });
  }

  boolean hasCharacterHead() {
    return parameters.containsKey(CHARACTER_WEIGHT);
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

  /** [B, T, characters] character CTC logits (index 0 the blank) of encoder states [B, T, D]. */
  NDArray characterLogits(NDArray states) {
    if (!hasCharacterHead()) {
      throw new IllegalStateException("these heads have no character head");
    }
    return ai.djl.nn.core.Linear.linear(states, parameters.get(CHARACTER_WEIGHT),
        parameters.get(CHARACTER_BIAS)).singletonOrThrow();
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
