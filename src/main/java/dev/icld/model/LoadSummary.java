package dev.icld.model;

import java.nio.file.Path;
import java.util.List;

/**
 * How a checkpoint loaded.
 *
 * @param weightsFile the file the tensors came from
 * @param naming "bare" or the task-model prefix that was stripped ("wav2vec2.")
 * @param tensorsLoaded tensors used by the backbone
 * @param ignored task-head tensors (lm_head, projector, classifier, quantizer, ...) left unused
 * @param loadSeconds wall time of reading and building
 */
public record LoadSummary(
    Path weightsFile, String naming, int tensorsLoaded, List<String> ignored, double loadSeconds) {
  public LoadSummary {
    ignored = List.copyOf(ignored);
  }
}
