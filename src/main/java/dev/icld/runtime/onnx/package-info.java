/**
 * Inference on ONNX Runtime: the backbone exported from Java as one ONNX graph per component
 * (feature encoder with projection, positional embedding, each transformer layer, the pre-LN
 * final layer norm, linear heads), and {@link dev.icld.runtime.onnx.OnnxBackbone}, which runs one
 * session per component so that a skipped layer costs nothing; {@link
 * dev.icld.runtime.onnx.OnnxHeads} runs a task model's heads. Each graph takes its part's weight
 * names, shapes, norm placement and activation from {@link dev.icld.model.Architecture}, as the
 * DJL model does; only the operations are written here.
 *
 * <p>Why here and not in a model.onnx package: {@code OnnxBackbone} implements the model
 * package's {@link dev.icld.model.BackboneEngine} and {@code OnnxHeads} its {@link
 * dev.icld.model.HeadEngine}, so the eval package runs either engine through those interfaces
 * without importing this package, and only the runtime ({@code InferenceEngine}) and the command
 * line choose the implementation. Dependencies keep pointing one way with no move.
 *
 * <p>How the ONNX protobuf is written: {@code OnnxWire} encodes the seven ONNX messages the
 * export needs directly on protobuf-java's {@code CodedOutputStream}, with field numbers from the
 * ONNX IR specification. Compiling the published onnx.proto instead would need a protoc binary
 * downloaded by a Maven plugin per platform (one more native artifact that must resolve offline
 * and in CI) and generate thousands of lines for a few dozen fields; a wrong field number in the
 * hand-written encoder cannot pass unnoticed, since ONNX Runtime refuses or misreads the graph and
 * the parity tests against the DJL model fail.
 *
 * <p>The graphs use opset 17 (IR version 8): LayerNormalization is a single op there, group norm
 * with one group per channel is InstanceNormalization, and GELU is written as the exact erf
 * formula, which ONNX Runtime's optimiser fuses into one kernel. WavLM's relative position bias is
 * its own graph, run once per pass and fed to every layer, which gates it
 * ({@code PositionBiasGraph}, {@code EncoderLayerGraph}).
 */
package dev.icld.runtime.onnx;
