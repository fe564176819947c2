package dev.icld.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.icld.files.AtomicFiles;
import dev.icld.files.TextFiles;
import dev.icld.model.io.DType;
import dev.icld.model.io.SafeTensors;
import dev.icld.model.io.TensorData;
import dev.icld.model.io.TorchCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads and saves Hugging Face model directories: config.json plus model.safetensors (preferred)
 * or pytorch_model.bin. Both the bare backbone naming ({@code encoder.layers.0...}) and the
 * prefixed naming of task models ({@code wav2vec2.encoder.layers.0...}) load; task-head tensors
 * are ignored and listed in the {@link LoadSummary}.
 */
public final class Checkpoints {
  static final String CONFIG = "config.json";
  static final String SAFETENSORS = "model.safetensors";
  static final String TORCH_BIN = "pytorch_model.bin";

  /** Top-level modules of the bare backbone; any other top-level name is a task head. */
  private static final Set<String> BACKBONE =
      Set.of("feature_extractor", "feature_projection", "encoder", "masked_spec_embed");

  private Checkpoints() {}

  /** Loads the model in {@code dir}, preferring model.safetensors over pytorch_model.bin. */
  public static FoundationModel load(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + ": " + (Files.exists(dir) ? "not a directory" : "no such directory")
          + " (a model is a directory with config.json and its weights)");
    }
    Path weights = dir.resolve(SAFETENSORS);
    if (!Files.isRegularFile(weights)) {
      weights = dir.resolve(TORCH_BIN);
    }
    if (!Files.isRegularFile(weights)) {
      throw new IOException(dir + ": no " + SAFETENSORS + " or " + TORCH_BIN + " (not a Hugging "
          + "Face model directory?)");
    }
    return load(dir, weights);
  }

  /**
   * Loads config.json of {@code dir} with the tensors of {@code weightsFile}: safetensors when
   * its name ends in .safetensors, else a torch.save archive (pytorch_model.bin).
   */
  public static FoundationModel load(Path dir, Path weightsFile) throws IOException {
    long start = System.nanoTime();
    Path configFile = dir.resolve(CONFIG);
    if (!Files.isRegularFile(configFile)) {
      throw new IOException(dir + ": no " + CONFIG);
    }
    String configText = TextFiles.readUtf8(configFile);
    ModelConfig config = ModelConfig.fromJson(configText, configFile.toString());
    JsonObject configJson = JsonParser.parseString(configText).getAsJsonObject();
    Map<String, TensorData> tensors = readTensors(weightsFile);
    return fromTensors(config, configJson, tensors, weightsFile, start);
  }

  private static Map<String, TensorData> readTensors(Path file) throws IOException {
    return file.getFileName().toString().endsWith(".safetensors")
        ? SafeTensors.read(file)
        : TorchCheckpoint.read(file);
  }

  /** Builds a model from checkpoint tensors; {@code file} names them in errors. */
  static FoundationModel fromTensors(ModelConfig config, JsonObject configJson,
      Map<String, TensorData> tensors, Path file, long startNanos) throws IOException {
    String prefix = config.modelType().id() + ".";
    boolean prefixed = tensors.keySet().stream().anyMatch(name -> name.startsWith(prefix));
    Map<String, TensorData> backbone = new LinkedHashMap<>();
    List<String> ignored = new ArrayList<>();
    for (Map.Entry<String, TensorData> t : tensors.entrySet()) {
      String name = t.getKey();
      if (prefixed && !name.startsWith(prefix)) {
        ignored.add(name);
      } else if (prefixed) {
        backbone.put(name.substring(prefix.length()), t.getValue());
      } else if (BACKBONE.contains(name.split("\\.", 2)[0])) {
        backbone.put(name, t.getValue());
      } else {
        ignored.add(name);
      }
    }
    List<String> disagreements = ConfigAgreement.problems(config, backbone);
    if (!disagreements.isEmpty()) {
      throw new CheckpointMismatchException(file, disagreements);
    }
    NDManager manager = Torch.newManager();
    FoundationModel model;
    List<String> problems = new ArrayList<>();
    try {
      WeightSource weights = new WeightSource(backbone, manager);
      model = FoundationModel.build(config, configJson, weights);
      weights.missing().forEach(m -> problems.add("missing " + m));
      weights.misshaped().forEach(m -> problems.add("mis-shaped " + m));
      weights.unused().forEach(u -> problems.add("unexpected " + (prefixed ? prefix : "") + u));
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
    if (!problems.isEmpty()) {
      manager.close();
      throw new CheckpointMismatchException(file, problems);
    }
    LoadSummary summary = new LoadSummary(file, prefixed ? prefix : "bare", backbone.size(),
        ignored, (System.nanoTime() - startNanos) / 1e9);
    return model.withSummary(summary);
  }

  /**
   * A backbone of the given architecture with fresh weights, initialised as Hugging Face does
   * (see {@link RandomInitialiser}) from {@code seed} alone: the same config and seed give
   * bit-identical weights. It includes masked_spec_embed, like a transformers model built for
   * pretraining. Its {@link FoundationModel#loadSummary()} is null: it was not loaded.
   */
  public static FoundationModel randomlyInitialised(ModelConfig config, long seed) {
    NDManager manager = Torch.newManager();
    try {
      WeightSource weights =
          new WeightSource(Map.of(), manager, new RandomInitialiser(Architecture.of(config), seed));
      return FoundationModel.build(config, config.toJson(null), weights);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /**
   * Writes config.json and model.safetensors (F32, bare Hugging Face naming, the positional conv
   * weight split back into weight_g/weight_v) so that transformers loads the directory unchanged.
   * Both files are written atomically.
   */
  public static void save(FoundationModel model, Path dir) throws IOException {
    save(model, dir, DType.F32);
  }

  /**
   * As {@link #save(FoundationModel, Path)}, with the weights stored as {@code dtype} (F32, F16 or
   * BF16; half precision halves the file, and loading widens the values back to F32).
   */
  public static void save(FoundationModel model, Path dir, DType dtype) throws IOException {
    if (dtype != DType.F32 && dtype != DType.F16 && dtype != DType.BF16) {
      throw new IllegalArgumentException("weights can be saved as F32, F16 or BF16, not " + dtype);
    }
    Files.createDirectories(dir);
    Map<String, TensorData> tensors = new LinkedHashMap<>();
    Architecture.PositionalConv positional = model.architecture().posConvEmbed();
    for (Map.Entry<String, NDArray> p : model.parameters().entrySet()) {
      if (p.getKey().equals(positional.weight().name())) {
        NDArray[] parts = PositionalConvEmbedding.weightNormParts(p.getValue());
        for (int i = 0; i < parts.length; i++) {
          tensors.put(positional.stored().get(i).name(), tensorData(parts[i], dtype));
        }
        parts[0].close();
      } else {
        tensors.put(p.getKey(), tensorData(p.getValue(), dtype));
      }
    }
    SafeTensors.write(dir.resolve(SAFETENSORS), tensors);
    String json = new GsonBuilder().setPrettyPrinting().create()
        .toJson(model.config().toJson(model.configJson()));
    AtomicFiles.writeString(dir.resolve(CONFIG), json + "\n");
  }

  private static TensorData tensorData(NDArray array, DType dtype) {
    return new TensorData(dtype.name(), array.getShape().getShape(), array.toFloatArray());
  }

}
