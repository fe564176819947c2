package dev.icld.runtime.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.icld.model.Architecture;
import dev.icld.model.BackboneEngine;
import dev.icld.model.FoundationModel;
import dev.icld.model.FrontEndOutput;
import dev.icld.model.LayerMask;
import dev.icld.model.ModelConfig;
import dev.icld.model.ModelOutput;
import dev.icld.model.RelativePositionBias;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A backbone's inference on ONNX Runtime: the model is exported component by component (feature
 * encoder, positional embedding, each layer, and for pre-LN models the final layer norm), each
 * becomes its own {@link OrtSession} built once from the in-memory graph, and a forward pass runs
 * only the sessions of the layers the mask keeps, so a skipped layer costs nothing. Intermediate
 * tensors go from one session to the next without a copy through Java.
 *
 * <p>Two ways in: {@link #forward} runs a whole pass on plain float arrays (the benchmark's
 * path: nothing is copied between sessions), and as a {@link BackboneEngine} the two stages
 * {@link #frontEnd} and {@link #encode} on NDArrays, so that the layer selector can read the
 * features in between and the task heads read the hidden states as they do on DJL (the stage
 * outputs are copied into NDArrays, a small cost beside the layers).
 *
 * <p>Forward passes may run concurrently (ONNX Runtime sessions are thread-safe); {@link #close}
 * must not overlap them. Every native ONNX Runtime tensor of a call is released before it returns.
 */
public final class OnnxBackbone implements BackboneEngine, AutoCloseable {
  /** Its {@link #engineName()}. */
  public static final String ENGINE = "onnx";
  /** Additive score for padded keys, as the DJL model uses; finite so an all-padding row gives no NaN. */
  private static final float MASKED = -1e9f;

  private final ModelConfig config;
  private final Architecture architecture;
  private final OrtEnvironment environment;
  private final OrtSession featureEncoder;
  private final OrtSession positionalEmbedding;
  private final List<OrtSession> layers;
  private final OrtSession finalLayerNorm;
  /** WavLM's shared relative position bias, or null for wav2vec 2.0 and HuBERT. */
  private final OrtSession positionBias;
  private volatile boolean closed;

  /** Session settings. */
  public record Options(int intraOpThreads, boolean allowSpinning) {
    public Options {
      if (intraOpThreads < 1) {
        throw new IllegalArgumentException("intra-op threads must be >= 1, got " + intraOpThreads);
      }
    }

    /**
     * One intra-op thread per core; worker threads sleep instead of spinning when idle. Spinning
     * can save a little latency on a quiet machine but costs a lot on a busy one: on the shared
     * 2-core development host, a Base-sized model on 1 s of audio took a median 873 ms with
     * sleeping workers and 1895 ms with spinning ones (2 threads each).
     */
    public static Options defaults() {
      return new Options(Runtime.getRuntime().availableProcessors(), false);
    }
  }

  /**
   * What a forward pass returns, row-major.
   *
   * @param lastHiddenState [batch, frames, width]: the encoder output (layer-normalised in the
   *     pre-LN form), as {@link dev.icld.model.ModelOutput#lastHiddenState()}
   * @param hiddenStates the L + 1 states [batch, frames, width] when asked for (a skipped layer's
   *     entry is its input), otherwise empty
   * @param frameLengths valid frames per utterance; later frames are padding of no meaning
   */
  public record Output(int batch, int frames, int width, int[] frameLengths,
      float[] lastHiddenState, List<float[]> hiddenStates) {}

  private OnnxBackbone(ModelConfig config, Architecture architecture, OrtEnvironment environment,
      OrtSession featureEncoder, OrtSession positionalEmbedding, List<OrtSession> layers,
      OrtSession finalLayerNorm, OrtSession positionBias) {
    this.config = config;
    this.architecture = architecture;
    this.environment = environment;
    this.featureEncoder = featureEncoder;
    this.positionalEmbedding = positionalEmbedding;
    this.layers = layers;
    this.finalLayerNorm = finalLayerNorm;
    this.positionBias = positionBias;
  }

  /**
   * Exports every component of {@code model} and opens its sessions. The model may be closed
   * afterwards: the sessions hold their own copy of the weights.
   *
   * @throws IllegalArgumentException when a component cannot be exported or ONNX Runtime refuses
   *     a graph; the message names the component
   */
  public static OnnxBackbone export(FoundationModel model, Options options) {
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    Architecture architecture = model.architecture();
    List<OrtSession> opened = new ArrayList<>();
    try (OrtSession.SessionOptions sessionOptions = OrtSupport.sessionOptions(options)) {
      OrtSession features = OrtSupport.open(environment, sessionOptions,
          FeatureEncoderGraph.COMPONENT, FeatureEncoderGraph.export(model), opened);
      OrtSession positional = OrtSupport.open(environment, sessionOptions,
          PositionalEmbeddingGraph.COMPONENT, PositionalEmbeddingGraph.export(model), opened);
      List<OrtSession> layers = new ArrayList<>();
      for (int i = 0; i < model.layerCount(); i++) {
        layers.add(OrtSupport.open(environment, sessionOptions, EncoderLayerGraph.component(i),
            EncoderLayerGraph.export(model, i), opened));
      }
      OrtSession finalNorm = architecture.normPlacement() == Architecture.NormPlacement.PRE
          ? OrtSupport.open(environment, sessionOptions, FinalLayerNormGraph.COMPONENT,
              FinalLayerNormGraph.export(model), opened)
          : null;
      OrtSession positionBias = architecture.relativePositionBias() != null
          ? OrtSupport.open(environment, sessionOptions, PositionBiasGraph.COMPONENT,
              PositionBiasGraph.export(model), opened)
          : null;
      return new OnnxBackbone(model.config(), architecture, environment, features, positional,
          List.copyOf(layers), finalNorm, positionBias);
    } catch (RuntimeException e) {
      OrtSupport.closeAll(opened);
      throw e;
    } catch (OrtException e) {
      OrtSupport.closeAll(opened);
      throw new IllegalArgumentException("ONNX Runtime session options: " + e.getMessage(), e);
    }
  }

  @Override
  public int layerCount() {
    return layers.size();
  }

  /** Runs utterances of any lengths, zero-padded into one batch. */
  public Output forward(float[][] waveforms, LayerMask mask, boolean keepHiddenStates) {
    int longest = 0;
    for (float[] w : waveforms) {
      longest = Math.max(longest, w.length);
    }
    float[] padded = new float[waveforms.length * longest];
    int[] lengths = new int[waveforms.length];
    for (int b = 0; b < waveforms.length; b++) {
      System.arraycopy(waveforms[b], 0, padded, b * longest, waveforms[b].length);
      lengths[b] = waveforms[b].length;
    }
    return forward(padded, lengths, mask, keepHiddenStates);
  }

  /**
   * @param padded [B, S] row-major 16 kHz waveforms, zero after each utterance's end, where B is
   *     {@code sampleLengths.length}
   * @param sampleLengths valid samples per utterance
   * @param mask the layers to run (inference form)
   * @param keepHiddenStates also return the L + 1 hidden states (copied out of native memory)
   */
  public Output forward(float[] padded, int[] sampleLengths, LayerMask mask, boolean keepHiddenStates) {
    checkOpen();
    checkMask(mask);
    int batch = sampleLengths.length;
    int samples = samplesPerRow(padded.length, batch);
    int[] frameLengths = frameLengths(sampleLengths, samples);
    int frames = frames(samples);
    try (OnnxTensor waveforms = OrtSupport.tensor(environment, padded, batch, samples);
        Chain chain = new Chain()) {
      OnnxTensor projected = chain.run(featureEncoder, FeatureEncoderGraph.COMPONENT,
          Map.of(FeatureEncoderGraph.WAVEFORMS, waveforms), FeatureEncoderGraph.PROJECTED);
      Encoded encoded = encode(chain, projected, frameLengths, frames, mask, keepHiddenStates);
      return new Output(batch, frames, config.hiddenSize(), frameLengths, encoded.last(),
          encoded.hiddenStates());
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime: " + e.getMessage(), e);
    }
  }

  @Override
  public String engineName() {
    return ENGINE;
  }

  @Override
  public ModelConfig config() {
    return config;
  }

  /** The feature encoder and projection, their outputs copied into the waveforms' manager. */
  @Override
  public FrontEndOutput frontEnd(NDArray waveforms, int[] sampleLengths) {
    checkOpen();
    Shape shape = waveforms.getShape();
    if (shape.dimension() != 2 || shape.get(0) != sampleLengths.length) {
      throw new IllegalArgumentException("waveforms must be [batch, samples] with one length per "
          + "utterance, got " + shape + " and " + sampleLengths.length + " lengths");
    }
    int batch = sampleLengths.length;
    int samples = samplesPerRow(Math.toIntExact(shape.size()), batch);
    int[] frameLengths = frameLengths(sampleLengths, samples);
    int frames = frames(samples);
    NDManager manager = waveforms.getManager();
    try (OnnxTensor input = OrtSupport.tensor(environment, waveforms.toFloatArray(), batch, samples);
        OrtSession.Result result = featureEncoder.run(Map.of(FeatureEncoderGraph.WAVEFORMS, input),
            Set.of(FeatureEncoderGraph.FEATURES, FeatureEncoderGraph.PROJECTED))) {
      Architecture.LinearWeights projection = architecture.featureProjection().projection();
      NDArray features = manager.create(OrtSupport.values(result, FeatureEncoderGraph.FEATURES),
          new Shape(batch, frames, projection.in()));
      NDArray projected = manager.create(OrtSupport.values(result, FeatureEncoderGraph.PROJECTED),
          new Shape(batch, frames, projection.out()));
      return new FrontEndOutput(features, projected, frameLengths);
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed in the " + FeatureEncoderGraph.COMPONENT
          + ": " + e.getMessage(), e);
    }
  }

  /**
   * The positional embedding, the layers {@code mask} keeps and the final layer norm; every hidden
   * state is copied into the front end's manager (a skipped layer's entry is the same array as
   * its input).
   */
  @Override
  public ModelOutput encode(FrontEndOutput frontEnd, LayerMask mask) {
    checkOpen();
    checkMask(mask);
    NDArray projectedArray = frontEnd.projected();
    Shape shape = projectedArray.getShape();
    int[] frameLengths = frontEnd.frameLengths();
    int batch = frameLengths.length;
    int frames = (int) shape.get(1);
    NDManager manager = projectedArray.getManager();
    try (OnnxTensor projected = OrtSupport.tensor(environment, projectedArray.toFloatArray(),
            batch, frames, shape.get(2));
        Chain chain = new Chain()) {
      Encoded encoded = encode(chain, projected, frameLengths, frames, mask, true);
      Shape stateShape = new Shape(batch, frames, config.hiddenSize());
      List<NDArray> hidden = new ArrayList<>();
      float[] previous = null;
      for (float[] state : encoded.hiddenStates()) {
        hidden.add(state == previous
            ? hidden.get(hidden.size() - 1)
            : manager.create(state, stateShape));
        previous = state;
      }
      NDArray last = finalLayerNorm == null
          ? hidden.get(hidden.size() - 1)
          : manager.create(encoded.last(), stateShape);
      return new ModelOutput(frontEnd.features(), frameLengths, hidden, last, mask);
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime: " + e.getMessage(), e);
    }
  }

  /** The encoder's output and, when kept, its L + 1 hidden states (a skipped layer repeats the
   * same array). */
  private record Encoded(float[] last, List<float[]> hiddenStates) {}

  private Encoded encode(Chain chain, OnnxTensor projected, int[] frameLengths, int frames,
      LayerMask mask, boolean keepHiddenStates) throws OrtException {
    int batch = frameLengths.length;
    List<float[]> hiddenStates = new ArrayList<>();
    try (OnnxTensor frameMask =
            OrtSupport.tensor(environment, frameMask(frameLengths, frames), batch, frames, 1);
        OnnxTensor keyMask =
            OrtSupport.tensor(environment, keyMask(frameLengths, frames), batch, 1, 1, frames);
        SharedBias bias = sharedBias(frames)) {
      Map<String, OnnxTensor> layerInputs = new HashMap<>();
      layerInputs.put(EncoderLayerGraph.KEY_MASK, keyMask);
      if (bias != null) {
        layerInputs.put(EncoderLayerGraph.POSITION_BIAS, bias.tensor());
      }
      OnnxTensor h = chain.run(positionalEmbedding, PositionalEmbeddingGraph.COMPONENT,
          Map.of(PositionalEmbeddingGraph.PROJECTED, projected,
              PositionalEmbeddingGraph.FRAME_MASK, frameMask),
          PositionalEmbeddingGraph.HIDDEN);
      float[] state = keepHiddenStates ? OrtSupport.values(h) : null;
      if (keepHiddenStates) {
        hiddenStates.add(state);
      }
      for (int i = 0; i < layers.size(); i++) {
        if (mask.executes(i)) {
          layerInputs.put(EncoderLayerGraph.HIDDEN, h);
          h = chain.run(layers.get(i), EncoderLayerGraph.component(i), layerInputs,
              EncoderLayerGraph.OUTPUT);
          state = keepHiddenStates ? OrtSupport.values(h) : null;
        }
        if (keepHiddenStates) {
          hiddenStates.add(state);
        }
      }
      if (finalLayerNorm != null) {
        h = chain.run(finalLayerNorm, FinalLayerNormGraph.COMPONENT,
            Map.of(FinalLayerNormGraph.HIDDEN, h), FinalLayerNormGraph.OUTPUT);
        return new Encoded(OrtSupport.values(h), hiddenStates);
      }
      return new Encoded(state != null ? state : OrtSupport.values(h), hiddenStates);
    }
  }

  /**
   * WavLM's relative position bias [H, T, T] for {@code frames}, computed once per pass (whether
   * layer 0 runs or not) and read by every layer; open until closed. Null for other models.
   */
  private SharedBias sharedBias(int frames) throws OrtException {
    if (positionBias == null) {
      return null;
    }
    try (OnnxTensor buckets = OnnxTensor.createTensor(environment,
        LongBuffer.wrap(RelativePositionBias.buckets(frames, architecture.relativePositionBias())),
        new long[] {frames, frames})) {
      OrtSession.Result result;
      try {
        result = positionBias.run(Map.of(PositionBiasGraph.BUCKETS, buckets),
            Set.of(PositionBiasGraph.BIAS));
      } catch (OrtException e) {
        throw new IllegalStateException("ONNX Runtime failed in the " + PositionBiasGraph.COMPONENT
            + ": " + e.getMessage(), e);
      }
      return new SharedBias(result);
    }
  }

  /** The position bias session's result, kept open while the layers read it. */
  private record SharedBias(OrtSession.Result result) implements AutoCloseable {
    OnnxTensor tensor() {
      return (OnnxTensor) result.get(PositionBiasGraph.BIAS).orElseThrow(
          () -> new IllegalStateException(PositionBiasGraph.COMPONENT + " returned no output"));
    }

    @Override
    public void close() {
      result.close();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("this ONNX backbone is closed");
    }
  }

  private void checkMask(LayerMask mask) {
    if (mask.gates() != null || mask.layers() != layers.size()) {
      throw new IllegalArgumentException("the ONNX engine needs an inference-form layer mask of "
          + layers.size() + " layers, got " + mask.layers() + (mask.gates() != null ? " gated" : ""));
    }
  }

  private static int samplesPerRow(int total, int batch) {
    if (batch == 0) {
      throw new IllegalArgumentException("an empty batch: no utterances to run");
    }
    if (total % batch != 0) {
      throw new IllegalArgumentException("a batch of " + total
          + " samples cannot hold " + batch + " equally padded utterances");
    }
    return total / batch;
  }

  /** Valid frames per utterance, after checking the lengths against the padded row. */
  private int[] frameLengths(int[] sampleLengths, int samples) {
    if (frames(samples) < 1) {
      throw new IllegalArgumentException("utterances of " + samples
          + " samples are shorter than the feature encoder's receptive field");
    }
    int[] frameLengths = new int[sampleLengths.length];
    for (int b = 0; b < sampleLengths.length; b++) {
      if (sampleLengths[b] < 0 || sampleLengths[b] > samples) {
        throw new IllegalArgumentException("utterance " + b + " has " + sampleLengths[b]
            + " samples, outside 0.." + samples);
      }
      frameLengths[b] = frames(sampleLengths[b]);
    }
    return frameLengths;
  }

  /**
   * The sessions of one forward pass, each fed the previous one's output. A result stays open
   * until the next session has consumed it; closing the chain releases the last one.
   */
  private static final class Chain implements AutoCloseable {
    private final List<OrtSession.Result> open = new ArrayList<>();

    OnnxTensor run(OrtSession session, String component, Map<String, OnnxTensor> inputs,
        String output) {
      OrtSession.Result result;
      try {
        result = session.run(inputs, Set.of(output));
      } catch (OrtException e) {
        throw new IllegalStateException("ONNX Runtime failed in the " + component + ": "
            + e.getMessage(), e);
      }
      // The earlier results fed this run and are no longer needed.
      close();
      open.add(result);
      OnnxValue value = result.get(output)
          .orElseThrow(() -> new IllegalStateException(component + " returned no " + output));
      return (OnnxTensor) value;
    }

    @Override
    public void close() {
      open.forEach(OrtSession.Result::close);
      open.clear();
    }
  }

  @Override
  public int frames(int samples) {
    return (int) architecture.frames(samples);
  }

  private static float[] frameMask(int[] frameLengths, int frames) {
    float[] mask = new float[frameLengths.length * frames];
    for (int b = 0; b < frameLengths.length; b++) {
      Arrays.fill(mask, b * frames, b * frames + frameLengths[b], 1f);
    }
    return mask;
  }

  private static float[] keyMask(int[] frameLengths, int frames) {
    float[] mask = new float[frameLengths.length * frames];
    for (int b = 0; b < frameLengths.length; b++) {
      Arrays.fill(mask, b * frames + frameLengths[b], (b + 1) * frames, MASKED);
    }
    return mask;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<OrtSession> all = new ArrayList<>(layers);
    all.add(0, positionalEmbedding);
    all.add(0, featureEncoder);
    if (finalLayerNorm != null) {
      all.add(finalLayerNorm);
    }
    if (positionBias != null) {
      all.add(positionBias);
    }
    OrtSupport.closeAll(all);
  }
}
