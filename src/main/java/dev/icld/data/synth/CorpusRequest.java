package dev.icld.data.synth;

import java.nio.file.Path;

/**
 * What to build. {@code jobs} only sets how many clips are made at once; it never changes the
 * output, so it is not part of {@link #command}.
 *
 * @param classes keyword-spotting protocol: 12 or 35 (ignored by other tasks)
 */
public record CorpusRequest(SynthTask task, CorpusSize size, long seed, int classes, Path out,
    int jobs) {
  public CorpusRequest {
    if (jobs < 1) {
      throw new IllegalArgumentException("--jobs must be at least 1, got " + jobs);
    }
    if (task == SynthTask.KWS && classes != 12 && classes != 35) {
      throw new IllegalArgumentException("--classes must be 12 or 35, got " + classes);
    }
  }

  /** The command line that rebuilds this corpus byte for byte. */
  public String command() {
    return "icld synth --task " + task.id() + " --size " + size.id() + " --seed " + seed
        + (task == SynthTask.KWS ? " --classes " + classes : "") + " --out " + out;
  }
}
