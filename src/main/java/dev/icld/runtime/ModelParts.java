package dev.icld.runtime;

import dev.icld.model.BackboneEngine;
import dev.icld.model.TaskModel;
import dev.icld.selection.LayerSelector;
import dev.icld.selection.SelectorInputKind;
import dev.icld.selection.StaticSubsets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Loading: what a {@link DynamicSpeechModel} serves from, checked to fit together and opened on
 * its engine. The task model, its engine session, and, when the directory holds them, the layer
 * selector and the static subsets; closing the parts frees them all.
 */
final class ModelParts implements AutoCloseable {
  final TaskModel model;
  final InferenceEngine.Session engine;
  /** Null when the model has none. */
  final LayerSelector selector;
  /** Null when the model has none. */
  final StaticSubsets staticSubsets;

  private ModelParts(TaskModel model, InferenceEngine.Session engine, LayerSelector selector,
      StaticSubsets staticSubsets) {
    this.model = model;
    this.engine = engine;
    this.selector = selector;
    this.staticSubsets = staticSubsets;
  }

  /** See {@link DynamicSpeechModel#load(Path, InferenceEngine)}. */
  static ModelParts load(Path dir, InferenceEngine engine) throws IOException {
    TaskModel model = TaskModel.load(dir);
    LayerSelector selector = null;
    try {
      selector = LayerSelector.existsIn(dir) ? LayerSelector.load(dir) : null;
      StaticSubsets subsets = Files.isRegularFile(dir.resolve(StaticSubsets.FILE))
          ? StaticSubsets.load(dir)
          : null;
      return of(model, selector, subsets, engine);
    } catch (IllegalArgumentException e) {
      close(selector, model);
      throw new IOException(dir + ": " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      close(selector, model);
      throw e;
    }
  }

  private static void close(LayerSelector selector, TaskModel model) {
    if (selector != null) {
      selector.close();
    }
    model.close();
  }

  /** See {@link DynamicSpeechModel#of(TaskModel, LayerSelector, StaticSubsets, InferenceEngine)}. */
  static ModelParts of(TaskModel model, LayerSelector selector, StaticSubsets staticSubsets,
      InferenceEngine engine) {
    int layers = model.backbone().layerCount();
    if (layers < 1) {
      throw new IllegalArgumentException("a dynamic-depth model needs transformer layers");
    }
    if (selector != null) {
      if (selector.layers() != layers) {
        throw new IllegalArgumentException("the layer selector is for " + selector.layers()
            + " layers, the backbone has " + layers);
      }
      List<Integer> convDim = model.backbone().config().convDim();
      if (selector.config().input() == SelectorInputKind.FEATURES
          && selector.config().inputChannels() != convDim.get(convDim.size() - 1)) {
        throw new IllegalArgumentException("the layer selector reads " + selector.config().inputChannels()
            + " feature channels, the backbone's feature encoder gives " + convDim.get(convDim.size() - 1));
      }
    }
    if (staticSubsets != null && staticSubsets.layers() != layers) {
      throw new IllegalArgumentException("the static subsets are for " + staticSubsets.layers()
          + " layers, the backbone has " + layers);
    }
    return new ModelParts(model, engine.open(model), selector, staticSubsets);
  }

  BackboneEngine backbone() {
    return engine.backbone();
  }

  /** The native arrays of the weights: backbone, heads and selector. */
  int liveArrayCount() {
    int n = model.backbone().parameters().values().iterator().next().getManager()
        .getManagedArrays().size();
    n += model.heads().get(0).weight().getManager().getManagedArrays().size();
    if (selector != null) {
      n += selector.parameters().values().iterator().next().getManager().getManagedArrays().size();
    }
    return n;
  }

  @Override
  public void close() {
    engine.close();
    if (selector != null) {
      selector.close();
    }
    model.close();
  }
}
