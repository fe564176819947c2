package dev.icld.selection;

import dev.icld.model.LayerMask;

/**
 * Utterances of a batch that share one layer mask and one exit, so that they can run together
 * with the skipped layers not computed at all.
 *
 * @param mask which layers run (0-based)
 * @param exit the number of layers after which the output is read
 * @param utterances the utterances' indices in the batch, ascending
 */
public record SelectionGroup(boolean[] mask, int exit, int[] utterances) {
  public SelectionGroup {
    mask = mask.clone();
    utterances = utterances.clone();
  }

  /** The inference-form mask for this group. */
  public LayerMask layerMask() {
    return LayerMask.keep(mask);
  }

  @Override
  public boolean[] mask() {
    return mask.clone();
  }

  @Override
  public int[] utterances() {
    return utterances.clone();
  }
}
