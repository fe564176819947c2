package dev.icld.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.icld.audio.features.KaldiFbank;
import dev.icld.audio.features.KaldiFbankOptions;
import dev.icld.data.Batch;
import dev.icld.data.BatchLoader;
import dev.icld.model.FoundationModel;
import dev.icld.model.Scalar;
import dev.icld.model.Torch;
import dev.icld.model.io.TensorData;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Starts the raw-waveform conv feature encoder where log-mel starts: the encoder, followed by a
 * linear map, regresses per-utterance-normalised 80-bin log-mel frames on its own 20 ms grid
 * (25 ms windows, as its receptive field). From random weights the conv stack learns slowly inside
 * a full model; alone, against a dense target, it learns in minutes, and the transformer trained
 * afterwards starts from features as informative as a filterbank's. The linear map is thrown away.
 */
public final class FrontEndDistillation implements TrainingObjective, AutoCloseable {
  static final String METRIC = "negative_log_mel_error";
  static final int MEL_BINS = 80;
  static final String WEIGHT = "log_mel_regression.weight";
  static final String BIAS = "log_mel_regression.bias";
  /** Kaldi's features assume 16-bit sample values; the scale only shifts the log. */
  private static final float PCM_SCALE = 32768f;

  private final FoundationModel model;
  private final NDManager headManager = Torch.newManager();
  private final Map<String, NDArray> parameters;
  private final KaldiFbank fbank;

  public FrontEndDistillation(FoundationModel model, long seed) {
    this.model = model;
    int hop = PhonePretraining.hop(model);
    int window = PhonePretraining.receptiveField(model);
    this.fbank = new KaldiFbank(KaldiFbankOptions.builder()
        .numMelBins(MEL_BINS)
        .frameLength(1000.0 * window / FoundationModel.SAMPLE_RATE)
        .frameShift(1000.0 * hop / FoundationModel.SAMPLE_RATE)
        .dither(0)
        .build());
    int channels = model.config().convDim().get(model.config().convDim().size() - 1);
    Random random = new Random(seed);
    double bound = 1 / Math.sqrt(channels);
    Map<String, NDArray> all = new LinkedHashMap<>();
    for (String name : model.featureEncoderParameterNames()) {
      all.put(name, model.parameters().get(name));
    }
    all.put(WEIGHT, parameter(WEIGHT, PhoneHeads.uniform(random, bound, MEL_BINS, channels)));
    all.put(BIAS, parameter(BIAS, PhoneHeads.uniform(random, bound, MEL_BINS)));
    this.parameters = Collections.unmodifiableMap(all);
  }

  private NDArray parameter(String name, TensorData values) {
    NDArray array = headManager.create(values.values(), new Shape(values.shape()));
    array.setName(name);
    return array;
  }

  @Override
  public Map<String, NDArray> parameters() {
    return parameters;
  }

  @Override
  public StepOutput step(Batch batch, NDManager manager, Random random) {
    Fit fit = run(batch, manager);
    return new StepOutput(fit.loss(), parameters.keySet(), Map.of("log_mel_mse", fit.mse()));
  }

  private record Fit(NDArray loss, long frames) {
    double mse() {
      return loss.getFloat();
    }
  }

  private Fit run(Batch batch, NDManager manager) {
    int size = batch.size();
    NDArray waves = manager.create(batch.audio());
    NDArray features = model.frontEnd(waves, batch.lengths()).features();
    int frames = (int) features.getShape().get(1);
    float[] target = new float[size * frames * MEL_BINS];
    float[] weight = new float[size * frames];
    long count = 0;
    for (int b = 0; b < size; b++) {
      float[] samples = new float[batch.lengths()[b]];
      for (int i = 0; i < samples.length; i++) {
        samples[i] = batch.audio()[b][i] * PCM_SCALE;
      }
      float[][] mel = normalised(fbank.compute(samples));
      int n = Math.min(Math.min(mel.length, frames), model.frames(batch.lengths()[b]));
      for (int t = 0; t < n; t++) {
        System.arraycopy(mel[t], 0, target, (b * frames + t) * MEL_BINS, MEL_BINS);
        weight[b * frames + t] = 1;
        count++;
      }
    }
    NDArray predicted = ai.djl.nn.core.Linear.linear(features, parameters.get(WEIGHT),
        parameters.get(BIAS)).singletonOrThrow();
    NDArray error = predicted.sub(manager.create(target, new Shape(size, frames, MEL_BINS)))
        .square().mul(manager.create(weight, new Shape(size, frames, 1)));
    NDArray loss = error.sum().div(Scalar.of(error, Math.max(1, count) * (double) MEL_BINS));
    return new Fit(loss, count);
  }

  /** Each mel bin to zero mean and unit variance over the utterance. */
  static float[][] normalised(float[][] mel) {
    if (mel.length == 0) {
      return mel;
    }
    int bins = mel[0].length;
    float[][] out = new float[mel.length][bins];
    for (int k = 0; k < bins; k++) {
      double sum = 0;
      double squares = 0;
      for (float[] frame : mel) {
        sum += frame[k];
        squares += frame[k] * (double) frame[k];
      }
      double mean = sum / mel.length;
      double std = Math.sqrt(Math.max(squares / mel.length - mean * mean, 0)) + 1e-5;
      for (int t = 0; t < mel.length; t++) {
        out[t][k] = (float) ((mel[t][k] - mean) / std);
      }
    }
    return out;
  }

  /** Mean squared error per mel value over the dev set; the score is its negative. */
  @Override
  public Evaluation evaluate(BatchLoader dev) {
    double sum = 0;
    long frames = 0;
    Iterator<Batch> batches = dev.epoch(0);
    while (batches.hasNext()) {
      Batch batch = batches.next();
      try (NDManager manager = Torch.newManager()) {
        Fit fit = run(batch, manager);
        sum += fit.mse() * fit.frames();
        frames += fit.frames();
      }
    }
    double mse = frames == 0 ? Double.NaN : sum / frames;
    return new Evaluation(METRIC, -mse, Map.of("log_mel_mse", mse));
  }

  @Override
  public void close() {
    headManager.close();
  }
}
