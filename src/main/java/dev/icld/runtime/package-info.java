/**
 * Inference with a per-call compute budget: the top layer, which may use every package below.
 *
 * <p>{@link dev.icld.runtime.DynamicSpeechModel} loads a fine-tuned model directory (backbone, heads
 * and, when present, the layer selector and static subsets) and runs inputs under an
 * {@link dev.icld.runtime.InferenceBudget}: a number of layers, a fraction, an adaptive target for
 * the selector, or a deadline. Each call returns an {@link dev.icld.runtime.InferenceResult}: the
 * {@link dev.icld.inference.TaskOutput}, the executed layers, FLOPs and the measured
 * {@link dev.icld.runtime.Latency} per component. Deadlines go through the
 * {@link dev.icld.runtime.DeadlineController}, which scales a calibrated
 * {@link dev.icld.runtime.LatencyModel} by the load it observes. {@link dev.icld.runtime.DeadlineExperiment}
 * measures how it copes with a {@link dev.icld.runtime.CompetingLoad} switched on and off.
 * {@link dev.icld.runtime.Benchmark} times backbones on DJL and ONNX Runtime, and
 * {@link dev.icld.runtime.PyTorchEager} the same weights in PyTorch eager where Debian's
 * python3-torch is installed; {@link dev.icld.runtime.BenchmarkReport} writes what both found.
 */
package dev.icld.runtime;
