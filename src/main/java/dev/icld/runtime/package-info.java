/**
 * Serving: a model directory answering calls under a per-call compute budget, the Java API.
 *
 * <p>{@link dev.icld.runtime.DynamicSpeechModel} loads a fine-tuned model directory (backbone, heads
 * and, when present, the layer selector and static subsets) and runs inputs under an
 * {@link dev.icld.runtime.InferenceBudget}: a number of layers, a fraction, an adaptive target for
 * the selector, or a deadline. Each call returns an {@link dev.icld.runtime.InferenceResult}: the
 * {@link dev.icld.inference.TaskOutput}, the executed layers, FLOPs and the measured
 * {@link dev.icld.runtime.Latency} per component. Deadlines go through the
 * {@link dev.icld.runtime.DeadlineController}, which scales a calibrated
 * {@link dev.icld.runtime.LatencyModel} by the load it observes. The backbone and heads run on the
 * {@link dev.icld.runtime.InferenceEngine} chosen at load (DJL, or ONNX Runtime from
 * {@code runtime.onnx}). The model is a facade over three package-private parts: loading
 * ({@code ModelParts}), running and decoding calls ({@code CallRunner}, with the
 * {@code ServedPolicies}) and calibrating deadlines ({@code DeadlineCalibration}).
 *
 * <p>Only what a call needs lives here: measuring the runtime (benchmarks, the deadline
 * experiment, the load test) is the {@code bench} package's, which depends on this one, never the
 * reverse. Nor does it import {@code eval}: a call runs and decodes through {@code inference}, the
 * path the reports take too.
 */
package dev.icld.runtime;
