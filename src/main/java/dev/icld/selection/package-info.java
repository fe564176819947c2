/**
 * Which transformer layers run for an input under a budget (METHOD.md design points 3 to 6).
 *
 * <p>Every policy implements {@link dev.icld.selection.LayerSelectionPolicy}: given a
 * {@link dev.icld.selection.SelectionInput} and a {@link dev.icld.selection.Budget} (k of L layers)
 * it returns a {@link dev.icld.selection.Selection}, a per-utterance layer mask and the exit to read.
 * The policies: {@link dev.icld.selection.FullDepthPolicy}, {@link dev.icld.selection.RandomLayersPolicy},
 * {@link dev.icld.selection.EarlyExitPolicy} (and the dynamic {@link dev.icld.selection.DynamicExitPolicy}
 * with its {@link dev.icld.selection.EntropyExit} rule),
 * {@link dev.icld.selection.StaticSubsetPolicy} (subsets from
 * {@link dev.icld.selection.StaticSubsetSearch}) and {@link dev.icld.selection.InputConditionedPolicy}
 * around the {@link dev.icld.selection.LayerSelector} network. Training the selector uses
 * {@link dev.icld.selection.GumbelTopK} (or {@link dev.icld.selection.GumbelSigmoidGates} with
 * {@link dev.icld.selection.KeptFractionRegulariser} for adaptive mode) with a
 * {@link dev.icld.selection.TemperatureSchedule}; {@link dev.icld.selection.SelectorFlops} counts
 * its cost.
 */
package dev.icld.selection;
