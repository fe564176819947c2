package dev.icld.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.icld.model.io.SafeTensors;
import dev.icld.train.Pretraining;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * icld's log-mel front end: its features against a float64 torch/torchaudio reference
 * (scripts/fixtures/make_log_mel_fixtures.py), their independence of gain and of padding, its
 * config, its save/load round trip and its FLOPs. ONNX parity is in OnnxBackboneTest.
 */
class LogMelFrontEndTest {
  private static final double TOLERANCE = 2e-4;

  @TempDir Path temp;

  static ModelConfig tinyLogMel() {
    return new ModelConfig(ModelType.HUBERT, 32, 2, 4, 64, "gelu", "gelu", List.of(80),
        List.of(400), List.of(320), false, "group", 8, 4, true, 1e-5, false, 320, 800,
        ModelConfig.LOG_MEL_FRONT_END);
  }

  @Test
  void featuresMatchTheTorchReference() throws IOException {
    JsonObject meta = JsonParser.parseString(
        new String(resource("meta.json"), StandardCharsets.UTF_8)).getAsJsonObject();
    float[] speech = floats("speech.f32");
    float[] expected = floats("features.f32");
    int frames = meta.get("frames").getAsInt();
    try (FoundationModel model = Checkpoints.randomlyInitialised(tinyLogMel(), 1);
        NDManager manager = Torch.newManager()) {
      assertEquals(frames, model.frames(speech.length));
      NDArray features = model.featureEncoderOutput(
          manager.create(speech, new Shape(1, speech.length)));
      assertEquals(new Shape(1, frames, 80), features.getShape());
      assertClose(expected, features.toFloatArray(), "features");
    }
  }

  @Test
  void gainAndPaddingLeaveTheFeaturesAlone() throws IOException {
    float[] speech = floats("speech.f32");
    float[] quiet = new float[speech.length];
    float[] padded = new float[2 * (speech.length + 2000)];
    for (int i = 0; i < speech.length; i++) {
      quiet[i] = speech[i] * 0.05f;
      padded[i] = speech[i];
      padded[speech.length + 2000 + i] = speech[i];
    }
    try (FoundationModel model = Checkpoints.randomlyInitialised(tinyLogMel(), 1);
        NDManager manager = Torch.newManager()) {
      float[] alone = model.featureEncoderOutput(manager.create(speech, new Shape(1, speech.length)))
          .toFloatArray();
      assertClose(alone, model.featureEncoderOutput(
          manager.create(quiet, new Shape(1, quiet.length))).toFloatArray(), "at -26 dB");
      NDArray batch = model.featureEncoderOutput(
          manager.create(padded, new Shape(2, speech.length + 2000)));
      int frames = model.frames(speech.length);
      float[] first = batch.get("0, 0:" + frames + ", :").toFloatArray();
      assertClose(alone, first, "padded row");
    }
  }

  @Test
  void configRoundTripsAndRefusesWhatItCannotCompute() {
    ModelConfig config = tinyLogMel();
    JsonObject json = config.toJson(null);
    assertEquals("log_mel", json.get("feat_extract_type").getAsString());
    assertEquals(config, ModelConfig.fromJson(json.toString(), "config.json"));
    assertFalse(Pretraining.defaultArchitecture(ModelType.HUBERT, 32, 2, 4, 16, true).toJson(null)
        .has("feat_extract_type"), "Hugging Face configs stay as they are");

    json.add("conv_dim", JsonParser.parseString("[80, 80]"));
    json.add("conv_kernel", JsonParser.parseString("[400, 2]"));
    json.add("conv_stride", JsonParser.parseString("[320, 2]"));
    IllegalArgumentException twoLayers = assertThrows(IllegalArgumentException.class,
        () -> ModelConfig.fromJson(json.toString(), "stacked/config.json"));
    assertTrue(twoLayers.getMessage().contains("stacked/config.json")
        && twoLayers.getMessage().contains("log_mel"), twoLayers.getMessage());

    JsonObject tooManyMels = config.toJson(null);
    tooManyMels.add("conv_dim", JsonParser.parseString("[300]"));
    assertThrows(IllegalArgumentException.class,
        () -> ModelConfig.fromJson(tooManyMels.toString(), "config.json"));

    JsonObject unknown = config.toJson(null);
    unknown.addProperty("feat_extract_type", "mfcc");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelConfig.fromJson(unknown.toString(), "config.json"));
    assertTrue(e.getMessage().contains("\"mfcc\""), e.getMessage());
  }

  @Test
  void savesWithoutConvWeightsAndLoadsToTheSameOutputs() throws IOException {
    float[] speech = floats("speech.f32");
    Path dir = temp.resolve("log-mel");
    try (FoundationModel model = Checkpoints.randomlyInitialised(tinyLogMel(), 3);
        NDManager manager = Torch.newManager()) {
      assertTrue(model.featureEncoderParameterNames().isEmpty());
      Checkpoints.save(model, dir);
      assertTrue(SafeTensors.read(dir.resolve("model.safetensors")).keySet().stream()
          .noneMatch(name -> name.startsWith("feature_extractor.")));
      NDArray waveform = manager.create(speech, new Shape(1, speech.length));
      float[] expected = model.forward(waveform, new int[] {speech.length}).lastHiddenState()
          .toFloatArray();
      try (FoundationModel loaded = Checkpoints.load(dir)) {
        assertTrue(loaded.config().logMelFrontEnd());
        assertArrayEquals(expected, loaded.forward(waveform, new int[] {speech.length})
            .lastHiddenState().toFloatArray(), 1e-6f);
      }
    }
  }

  @Test
  void costsAFractionOfTheConvStack() {
    LogMelFrontEnd spec = LogMelFrontEnd.of(tinyLogMel());
    assertEquals(512, spec.fftSize());
    assertEquals(257, spec.bins());
    Flops logMel = Flops.of(tinyLogMel(), 1.0);
    assertEquals(49, logMel.frames(), "the conv stack's frame grid: (16000 - 400) / 320 + 1");
    assertEquals(49L * (2L * 400 * 2 * 257 + 2L * 257 * 80), logMel.featureEncoder());
    assertEquals(2L * 80 * 32 * 49, logMel.featureProjection());
    Flops conv = Flops.of(Pretraining.defaultArchitecture(ModelType.HUBERT, 32, 2, 4, 128, true), 1.0);
    assertEquals(conv.frames(), logMel.frames());
    assertTrue(logMel.featureEncoder() < conv.featureEncoder() / 10,
        logMel.featureEncoder() + " vs " + conv.featureEncoder());
  }

  private static void assertClose(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what + " size");
    double max = 0;
    for (int i = 0; i < expected.length; i++) {
      max = Math.max(max, Math.abs(expected[i] - actual[i]));
    }
    assertTrue(max <= TOLERANCE, what + ": max abs difference " + max);
  }

  private static float[] floats(String name) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(resource(name)).order(ByteOrder.LITTLE_ENDIAN);
    float[] values = new float[bytes.remaining() / 4];
    bytes.asFloatBuffer().get(values);
    return values;
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = LogMelFrontEndTest.class.getResourceAsStream("/log-mel/" + name)) {
      if (in == null) {
        throw new IOException("missing test resource /log-mel/" + name);
      }
      return in.readAllBytes();
    }
  }
}
