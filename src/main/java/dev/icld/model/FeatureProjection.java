package dev.icld.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Maps conv features [B, T, C] to the encoder width [B, T, D]: layer norm (absent in HuBERT
 * configs with feat_proj_layer_norm=false) then a linear projection.
 */
final class FeatureProjection {
  private final LayerNorm layerNorm;
  private final Linear projection;

  private FeatureProjection(LayerNorm layerNorm, Linear projection) {
    this.layerNorm = layerNorm;
    this.projection = projection;
  }

  static FeatureProjection load(WeightSource weights, Architecture.Projection projection) {
    return new FeatureProjection(
        projection.layerNorm() == null ? null : LayerNorm.load(weights, projection.layerNorm()),
        Linear.load(weights, projection.projection()));
  }

  NDArray forward(NDArray features) {
    return FrontEndStage.runAll(stages(), features);
  }

  List<FrontEndStage> stages() {
    FrontEndStage project = new FrontEndStage("feature projection", projection::forward);
    return layerNorm == null
        ? List.of(project)
        : List.of(new FrontEndStage("feature layer norm", layerNorm::forward), project);
  }
}
