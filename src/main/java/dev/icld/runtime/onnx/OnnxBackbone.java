package dev.icld.runtime.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.icld.model.FoundationModel;
import dev.icld.model.LayerMask;
import dev.icld.model.ModelConfig;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
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
 * <p>Forward passes may run concurrently (ONNX Runtime sessions are thread-safe); {@link #close}
 * must not overlap them. Results are plain float arrays; every native tensor of a call is
 * released before it returns.
 */
public final class OnnxBackbone implements AutoCloseable {
  /** Additive score for padded keys, as the DJL model uses; finite so an all-padding row gives no NaN. */
  private static final float MASKED = -1e9f;

  private final ModelConfig config;
  private final OrtEnvironment environment;
  private final OrtSession featureEncoder;
  private final OrtSession positionalEmbedding;
  private final List<OrtSession> layers;
  private final OrtSession finalLayerNorm;
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

  private OnnxBackbone(ModelConfig config, OrtEnvironment environment, OrtSession featureEncoder,
      OrtSession positionalEmbedding, List<OrtSession> layers, OrtSession finalLayerNorm) {
    this.config = config;
    this.environment = environment;
    this.featureEncoder = featureEncoder;
    this.positionalEmbedding = positionalEmbedding;
    this.layers = layers;
    this.finalLayerNorm = finalLayerNorm;
  }

  /**
   * Exports every component of {@code model} and opens its sessions. The model may be closed
   * afterwards: the sessions hold their own copy of the weights.
   *
   * @throws IllegalArgumentException when a component cannot be exported (WavLM layers) or
   *     ONNX Runtime refuses a graph; the message names the component
   */
  public static OnnxBackbone export(FoundationModel model, Options options) {
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    List<OrtSession> opened = new ArrayList<>();
    try (OrtSession.SessionOptions sessionOptions = sessionOptions(options)) {
      OrtSession features = open(environment, sessionOptions, FeatureEncoderGraph.COMPONENT,
          FeatureEncoderGraph.export(model), opened);
      OrtSession positional = open(environment, sessionOptions, PositionalEmbeddingGraph.COMPONENT,
          PositionalEmbeddingGraph.export(model), opened);
      List<OrtSession> layers = new ArrayList<>();
      for (int i = 0; i < model.layerCount(); i++) {
        layers.add(open(environment, sessionOptions, EncoderLayerGraph.component(i),
            EncoderLayerGraph.export(model, i), opened));
      }
      OrtSession finalNorm = model.config().doStableLayerNorm()
          ? open(environment, sessionOptions, FinalLayerNormGraph.COMPONENT,
              FinalLayerNormGraph.export(model), opened)
          : null;
      return new OnnxBackbone(model.config(), environment, features, positional, List.copyOf(layers),
          finalNorm);
    } catch (RuntimeException e) {
      closeAll(opened);
      throw e;
    } catch (OrtException e) {
      closeAll(opened);
      throw new IllegalArgumentException("ONNX Runtime session options: " + e.getMessage(), e);
    }
  }

  private static OrtSession.SessionOptions sessionOptions(Options options) throws OrtException {
    OrtSession.SessionOptions s = new OrtSession.SessionOptions();
    s.setIntraOpNumThreads(options.intraOpThreads());
    s.setInterOpNumThreads(1);
    s.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
    s.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    s.addConfigEntry("session.intra_op.allow_spinning", options.allowSpinning() ? "1" : "0");
    return s;
  }

  private static OrtSession open(OrtEnvironment environment, OrtSession.SessionOptions options,
      String component, byte[] graph, List<OrtSession> opened) {
    try {
      OrtSession session = environment.createSession(graph, options);
      opened.add(session);
      return session;
    } catch (OrtException e) {
      throw new IllegalArgumentException(
          "ONNX Runtime could not load the " + component + " graph: " + e.getMessage(), e);
    }
  }

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
    if (closed) {
      throw new IllegalStateException("this ONNX backbone is closed");
    }
    int batch = sampleLengths.length;
    if (batch == 0) {
      throw new IllegalArgumentException("an empty batch: no utterances to run");
    }
    if (padded.length % batch != 0) {
      throw new IllegalArgumentException("a batch of " + padded.length
          + " samples cannot hold " + batch + " equally padded utterances");
    }
    if (mask.gates() != null || mask.layers() != layers.size()) {
      throw new IllegalArgumentException("the ONNX engine needs an inference-form layer mask of "
          + layers.size() + " layers, got " + mask.layers() + (mask.gates() != null ? " gated" : ""));
    }
    int samples = padded.length / batch;
    int frames = frames(samples);
    if (frames < 1) {
      throw new IllegalArgumentException("utterances of " + samples
          + " samples are shorter than the feature encoder's receptive field");
    }
    int[] frameLengths = new int[batch];
    for (int b = 0; b < batch; b++) {
      if (sampleLengths[b] < 0 || sampleLengths[b] > samples) {
        throw new IllegalArgumentException("utterance " + b + " has " + sampleLengths[b]
            + " samples, outside 0.." + samples);
      }
      frameLengths[b] = frames(sampleLengths[b]);
    }
    int width = config.hiddenSize();
    List<float[]> hiddenStates = new ArrayList<>();
    try (OnnxTensor waveforms = tensor(padded, batch, samples);
        OnnxTensor frameMask = tensor(frameMask(frameLengths, frames), batch, frames, 1);
        OnnxTensor keyMask = tensor(keyMask(frameLengths, frames), batch, 1, 1, frames);
        Chain chain = new Chain()) {
      OnnxTensor projected = chain.run(featureEncoder, FeatureEncoderGraph.COMPONENT,
          Map.of(FeatureEncoderGraph.WAVEFORMS, waveforms), FeatureEncoderGraph.PROJECTED);
      OnnxTensor h = chain.run(positionalEmbedding, PositionalEmbeddingGraph.COMPONENT,
          Map.of(PositionalEmbeddingGraph.PROJECTED, projected,
              PositionalEmbeddingGraph.FRAME_MASK, frameMask),
          PositionalEmbeddingGraph.HIDDEN);
      float[] state = keepHiddenStates ? values(h) : null;
      if (keepHiddenStates) {
        hiddenStates.add(state);
      }
      for (int i = 0; i < layers.size(); i++) {
        if (mask.executes(i)) {
          h = chain.run(layers.get(i), EncoderLayerGraph.component(i),
              Map.of(EncoderLayerGraph.HIDDEN, h, EncoderLayerGraph.KEY_MASK, keyMask),
              EncoderLayerGraph.OUTPUT);
          state = keepHiddenStates ? values(h) : null;
        }
        if (keepHiddenStates) {
          hiddenStates.add(state);
        }
      }
      if (finalLayerNorm != null) {
        h = chain.run(finalLayerNorm, FinalLayerNormGraph.COMPONENT,
            Map.of(FinalLayerNormGraph.HIDDEN, h), FinalLayerNormGraph.OUTPUT);
      }
      return new Output(batch, frames, width, frameLengths, values(h), List.copyOf(hiddenStates));
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime: " + e.getMessage(), e);
    }
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

  private int frames(int samples) {
    int length = samples;
    for (int i = 0; i < config.convKernel().size(); i++) {
      int kernel = config.convKernel().get(i);
      length = length < kernel ? 0 : (length - kernel) / config.convStride().get(i) + 1;
    }
    return length;
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

  /** A tensor over a direct buffer, which ONNX Runtime reads without another copy. */
  private OnnxTensor tensor(float[] values, long... shape) throws OrtException {
    FloatBuffer buffer = ByteBuffer.allocateDirect(values.length * Float.BYTES)
        .order(ByteOrder.nativeOrder())
        .asFloatBuffer();
    buffer.put(values).rewind();
    return OnnxTensor.createTensor(environment, buffer, shape);
  }

  private static float[] values(OnnxTensor tensor) {
    FloatBuffer buffer = tensor.getFloatBuffer();
    float[] values = new float[buffer.remaining()];
    buffer.get(values);
    return values;
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
    closeAll(all);
  }

  private static void closeAll(List<OrtSession> sessions) {
    IllegalStateException failure = null;
    for (OrtSession session : sessions) {
      try {
        session.close();
      } catch (OrtException e) {
        if (failure == null) {
          failure = new IllegalStateException("closing an ONNX Runtime session: " + e.getMessage(), e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
