package dev.icld.runtime;

import dev.icld.model.Flops;
import dev.icld.model.ModelConfig;
import java.util.List;

/**
 * The work of one inference call as the latency model sees it: the seconds of audio (summed over a
 * batch), which the front end's cost grows with, and the GFLOPs of one transformer layer over them,
 * which grows faster than the length because of attention.
 *
 * @param seconds audio seconds in the call
 * @param layerGigaFlops one layer's GFLOPs over every input of the call
 */
public record CallShape(double seconds, double layerGigaFlops) {
  public CallShape {
    if (!(seconds >= 0) || !(layerGigaFlops >= 0)) {
      throw new IllegalArgumentException("a call's seconds and layer GFLOPs must be >= 0, got "
          + seconds + " and " + layerGigaFlops);
    }
  }

  /** The shape of a call on inputs of the given lengths through a model of {@code config}. */
  public static CallShape of(ModelConfig config, List<Double> secondsPerInput) {
    double seconds = 0;
    double layerFlops = 0;
    for (double s : secondsPerInput) {
      seconds += s;
      layerFlops += Flops.of(config, s).perLayer();
    }
    return new CallShape(seconds, layerFlops / 1e9);
  }
}
