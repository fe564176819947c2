/**
 * The training recipes that the command line runs, callable from Java with the same effect: each
 * takes its settings as values and prints its progress to a {@link java.io.PrintWriter}, and the
 * {@code cli} commands only parse and check options before calling them.
 *
 * <p>{@link dev.icld.recipes.FineTuningJob} fine-tunes a backbone with a task head and a
 * layer-drop mode ({@code icld finetune}); {@link dev.icld.recipes.SelectorTrainingJob} trains,
 * calibrates and saves a layer selector, optionally with joint fine-tuning ({@code icld
 * train-selector}, and each variant of {@code icld ablate}); {@link dev.icld.recipes.CorpusSplits}
 * loads a corpus directory's splits as every command reads them.
 *
 * <p>Why a package above {@code eval} and not in {@code train}: both recipes pick checkpoints and
 * calibrate on dev with {@code eval}'s scoring ({@code TaskEvaluator}, {@code DevScoring}), and
 * {@code eval} already depends on {@code train}. The pretraining recipes ({@code
 * train.Pretraining}, {@code train.PhonePretrainingRun}) need nothing above {@code train} and stay
 * there, beside the objectives they run.
 */
package dev.icld.recipes;
