package dev.icld.runtime;

import dev.icld.audio.Audio;
import dev.icld.data.LabelVocabulary;
import dev.icld.model.Checkpoints;
import dev.icld.model.LayerDrop;
import dev.icld.model.Task;
import dev.icld.model.TaskModel;
import dev.icld.selection.LayerSelector;
import dev.icld.selection.SelectorConfig;
import dev.icld.selection.SelectorInputKind;
import dev.icld.selection.StaticSubsets;
import dev.icld.train.TinySetup;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Tiny random model directories and generated audio for the runtime and bench tests. */
public final class TinyModels {
  static final int LAYERS = 4;
  static final List<String> LABELS = List.of("low", "mid", "high");
  /** The tiny config's feature encoder width (the selector's input channels). */
  static final int FEATURE_CHANNELS = 16;

  private TinyModels() {}

  static TaskModel taskModel(Task task, LayerDrop.Mode mode, long seed) {
    return TaskModel.create(Checkpoints.randomlyInitialised(TinySetup.config(LAYERS), seed), task,
        task.classification() ? LabelVocabulary.of(LABELS) : null,
        new LayerDrop(mode, mode == LayerDrop.Mode.NONE ? 1 : 0.5, false), seed + 1);
  }

  /** A classifier with a selector (features, a calibrated adaptive threshold for k = 2) and
   * static subsets, saved in {@code dir}. */
  public static Path classifierWithSelector(Path dir) throws IOException {
    try (TaskModel model = taskModel(Task.KWS, LayerDrop.Mode.RANDOM, 3);
        LayerSelector selector = LayerSelector.initialise(
            SelectorConfig.of(SelectorInputKind.FEATURES, FEATURE_CHANNELS, LAYERS), 5)) {
      model.save(dir);
      selector.recordAdaptiveThreshold(2, 0.5);
      selector.save(dir);
      staticSubsets().save(dir);
    }
    return dir;
  }

  /** Layer subsets that differ from the first k, so that the static policy is seen to apply. */
  static StaticSubsets staticSubsets() {
    return new StaticSubsets(LAYERS, "greedy-drop", Map.of(
        1, new StaticSubsets.Entry(new boolean[] {false, false, true, false}, 0.5),
        2, new StaticSubsets.Entry(new boolean[] {false, true, true, false}, 0.6),
        3, new StaticSubsets.Entry(new boolean[] {true, true, false, true}, 0.7),
        4, new StaticSubsets.Entry(new boolean[] {true, true, true, true}, 0.8)));
  }

  static Path save(TaskModel model, Path dir) throws IOException {
    try (model) {
      model.save(dir);
    }
    return dir;
  }

  /** A noisy tone of {@code samples} samples at {@code rate}. */
  public static Audio tone(int samples, int rate, double hz, long seed) {
    Random random = new Random(seed);
    float[] x = new float[samples];
    for (int t = 0; t < samples; t++) {
      x[t] = (float) (0.3 * Math.sin(2 * Math.PI * hz * t / rate) + 0.05 * random.nextGaussian());
    }
    return new Audio(x, rate);
  }
}
