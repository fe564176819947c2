package dev.icld.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * What a forward pass returns; arrays belong to the manager of the input waveforms.
 *
 * @param features the conv feature encoder's output [B, T, C]
 * @param frameLengths valid frames per utterance (the rest of each row is padding)
 * @param hiddenStates L + 1 states [B, T, D]: the encoder layers' input (after the positional
 *     conv, and layer norm in the post-LN form), then the state after each layer. A skipped
 *     layer's entry is its input, so index i always means "after layer i".
 * @param lastHiddenState the encoder output, as Hugging Face's last_hidden_state: the final state,
 *     layer-normalised in the pre-LN form
 * @param mask the layer mask it ran under
 */
public record ModelOutput(
    NDArray features,
    int[] frameLengths,
    List<NDArray> hiddenStates,
    NDArray lastHiddenState,
    LayerMask mask) {}
