package dev.icld.model;

import ai.djl.ndarray.NDArray;

/**
 * What runs a backbone for inference, in two stages: the front end (conv feature encoder and
 * feature projection) once per input, then the transformer encoder under a layer mask, as often
 * as wanted on the same front end. The layer selector reads the front end's features between the
 * two stages, so it never costs a second front-end pass.
 *
 * <p>{@link FoundationModel} is the DJL (PyTorch eager) engine; the ONNX Runtime engine lives in
 * the runtime package and is chosen by the command line. Whatever the engine, inputs and results
 * are NDArrays in the manager of the input waveforms, so that task heads and the layer selector
 * read them the same way. Engines may be called from several threads at once.
 */
public interface BackboneEngine {
  /** A short name for reports: "djl" or "onnx". */
  String engineName();

  ModelConfig config();

  int layerCount();

  /** Valid frames for {@code samples} valid samples. */
  int frames(int samples);

  /**
   * @param waveforms [B, S] at 16 kHz, zero-padded after each utterance's end
   * @param sampleLengths valid samples per utterance
   */
  FrontEndOutput frontEnd(NDArray waveforms, int[] sampleLengths);

  /**
   * The transformer encoder on a front end's output under an inference-form {@code mask}: skipped
   * layers are never computed. Results belong to the manager of the front end's arrays.
   */
  ModelOutput encode(FrontEndOutput frontEnd, LayerMask mask);
}
