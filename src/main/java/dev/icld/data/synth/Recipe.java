package dev.icld.data.synth;

import java.util.List;
import java.util.Map;

/** How one task's corpus is planned and how each planned clip is turned into audio. */
interface Recipe {
  /** Every clip of the corpus, train first, then dev, then test; index i at position i. */
  List<ClipPlan> plan();

  /**
   * Makes the clip's audio. {@code speech} is the synthesised, 16 kHz utterance of the plan's
   * speech request, or null when the plan has none. Randomness comes only from the plan's seed.
   */
  Clip render(ClipPlan plan, float[] speech);

  /** Task-specific facts for the corpus card (vocabulary, class mapping, protocol notes). */
  Map<String, Object> notes();
}
