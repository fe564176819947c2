package dev.icld.train;

import ai.djl.ndarray.NDArray;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What one training batch produced.
 *
 * @param loss the scalar to minimise (the trainer scales it for gradient accumulation)
 * @param activeParameters names of the parameters that took part in the forward pass; only
 *     these are stepped, so a layer that the whole batch skipped keeps its weights and its
 *     optimizer moments
 * @param logValues extra numbers to log for this batch (per-exit losses, kept layers...), averaged
 *     over the batches of an optimizer step
 */
public record StepOutput(NDArray loss, Set<String> activeParameters, Map<String, Double> logValues) {
  public StepOutput {
    activeParameters = Set.copyOf(activeParameters);
    logValues = Collections.unmodifiableMap(new LinkedHashMap<>(logValues));
  }
}
