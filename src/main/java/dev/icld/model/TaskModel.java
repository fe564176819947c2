package dev.icld.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.icld.data.CharacterVocabulary;
import dev.icld.data.LabelVocabulary;
import dev.icld.files.AtomicFiles;
import dev.icld.model.io.SafeTensors;
import dev.icld.model.io.TensorData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A fine-tuned model: a backbone, one task head (or, for early exit, one after every layer), the
 * task's labels and how it was trained to drop layers. On disk it is a Hugging Face backbone
 * directory (config.json + model.safetensors, which {@code icld inspect} reads) plus
 * heads.safetensors and {@value #DESCRIPTION}. As a {@link HeadEngine} it runs its heads on DJL.
 */
public final class TaskModel implements HeadEngine, AutoCloseable {
  public static final String DESCRIPTION = "icld.json";
  static final String HEADS = "heads.safetensors";
  private static final double HEAD_INIT_STD = 0.02;

  private final FoundationModel backbone;
  private final Task task;
  private final LabelVocabulary labels;
  private final LayerDrop layerDrop;
  private final List<TaskHead> heads;
  private final List<Integer> exits;
  private final NDManager headManager;
  private final Map<String, NDArray> headParameters;

  private TaskModel(FoundationModel backbone, Task task, LabelVocabulary labels,
      LayerDrop layerDrop, List<TaskHead> heads, List<Integer> exits, NDManager headManager) {
    this.backbone = backbone;
    this.task = task;
    this.labels = labels;
    this.layerDrop = layerDrop;
    this.heads = List.copyOf(heads);
    this.exits = List.copyOf(exits);
    this.headManager = headManager;
    Map<String, NDArray> named = new LinkedHashMap<>();
    for (int i = 0; i < heads.size(); i++) {
      named.put(headName(i, "weight"), heads.get(i).weight());
      named.put(headName(i, "bias"), heads.get(i).bias());
    }
    this.headParameters = Collections.unmodifiableMap(named);
  }

  /**
   * A new task model on {@code backbone} (which it then owns) with freshly initialised heads:
   * weights normal(0, 0.02) from {@code seed}, biases 0.
   *
   * @param labels the class labels for a classification task; null for ASR
   */
  public static TaskModel create(FoundationModel backbone, Task task, LabelVocabulary labels,
      LayerDrop layerDrop, long seed) {
    if (task.classification() != (labels != null)) {
      throw new IllegalArgumentException(task.classification()
          ? "task " + task.id() + " needs its class labels"
          : "task " + task.id() + " has no class labels");
    }
    int layers = backbone.layerCount();
    if (layers == 0 && layerDrop.mode() != LayerDrop.Mode.NONE) {
      throw new IllegalArgumentException("a model without transformer layers cannot drop layers");
    }
    List<Integer> exits = new ArrayList<>();
    if (layerDrop.mode() == LayerDrop.Mode.EARLY_EXIT) {
      for (int layer = 1; layer <= layers; layer++) {
        exits.add(layer);
      }
    } else {
      exits.add(layers);
    }
    int classes = task.classification() ? labels.size() : CharacterVocabulary.SIZE;
    int hidden = backbone.config().hiddenSize();
    NDManager manager = Torch.newManager();
    Random random = new Random(seed);
    List<TaskHead> heads = new ArrayList<>();
    for (int i = 0; i < exits.size(); i++) {
      float[] weight = new float[classes * hidden];
      for (int j = 0; j < weight.length; j++) {
        weight[j] = (float) (random.nextGaussian() * HEAD_INIT_STD);
      }
      heads.add(newHead(task, manager.create(weight, new Shape(classes, hidden)),
          manager.zeros(new Shape(classes))));
    }
    return new TaskModel(backbone, task, labels, layerDrop, heads, exits, manager);
  }

  private static TaskHead newHead(Task task, NDArray weight, NDArray bias) {
    return task.classification() ? new ClassificationHead(weight, bias) : new CtcHead(weight, bias);
  }

  private static String headName(int index, String part) {
    return "heads." + index + "." + part;
  }

  public FoundationModel backbone() {
    return backbone;
  }

  public Task task() {
    return task;
  }

  /** The class labels, or null for ASR. */
  public LabelVocabulary labels() {
    return labels;
  }

  public LayerDrop layerDrop() {
    return layerDrop;
  }

  public List<TaskHead> heads() {
    return heads;
  }

  /** For each head, the layer (1..L) whose output it reads; the last head reads layer L. */
  public List<Integer> exits() {
    return exits;
  }

  /** The head that reads the full-depth output. */
  public int finalHead() {
    return heads.size() - 1;
  }

  /** Every head's weight and bias, named heads.I.weight / heads.I.bias. */
  public Map<String, NDArray> headParameters() {
    return headParameters;
  }

  /** The logits of head {@code index} for a backbone output, on DJL; see {@link #headInput}. */
  @Override
  public NDArray logits(ModelOutput output, int index) {
    return heads.get(index).logits(headInput(output, index), output.frameLengths());
  }

  /**
   * What head {@code index} reads: the head after the last layer reads the encoder output
   * (layer-normalised in the pre-LN form); an earlier exit reads the hidden state after its layer.
   */
  public NDArray headInput(ModelOutput output, int index) {
    int layer = exits.get(index);
    return layer == backbone.layerCount()
        ? output.lastHiddenState()
        : output.hiddenStates().get(layer);
  }

  /** Writes the backbone, the heads and {@value #DESCRIPTION} (last, each file atomically). */
  public void save(Path dir) throws IOException {
    Checkpoints.save(backbone, dir);
    Map<String, TensorData> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> p : headParameters.entrySet()) {
      tensors.put(p.getKey(),
          TensorData.f32(p.getValue().getShape().getShape(), p.getValue().toFloatArray()));
    }
    SafeTensors.write(dir.resolve(HEADS), tensors);
    JsonObject o = new JsonObject();
    o.addProperty("task", task.id());
    o.addProperty("head", heads.get(0).type());
    if (labels != null) {
      JsonArray names = new JsonArray();
      labels.labels().forEach(names::add);
      o.add("labels", names);
    }
    JsonObject drop = new JsonObject();
    drop.addProperty("mode", layerDrop.mode().id());
    drop.addProperty("keep_probability", layerDrop.keepProbability());
    drop.addProperty("per_utterance", layerDrop.perUtterance());
    drop.addProperty("depth_sampling", layerDrop.sampling().id());
    drop.addProperty("subset_probability", layerDrop.subsetProbability());
    o.add("layer_drop", drop);
    JsonArray exitLayers = new JsonArray();
    exits.forEach(exitLayers::add);
    o.add("exits", exitLayers);
    Path file = dir.resolve(DESCRIPTION);
    AtomicFiles.writeString(file, new GsonBuilder().setPrettyPrinting().create().toJson(o) + "\n");
  }

  /** Reads a directory written by {@link #save}. */
  public static TaskModel load(Path dir) throws IOException {
    Path file = dir.resolve(DESCRIPTION);
    if (!Files.isRegularFile(file)) {
      throw new IOException(dir + ": no " + DESCRIPTION + " (not a fine-tuned icld model; "
          + "icld finetune writes one)");
    }
    Description d = Description.read(file);
    FoundationModel backbone = Checkpoints.load(dir);
    NDManager manager = Torch.newManager();
    try {
      Map<String, TensorData> tensors = SafeTensors.read(dir.resolve(HEADS));
      int classes = d.task.classification() ? d.labels.size() : CharacterVocabulary.SIZE;
      long hidden = backbone.config().hiddenSize();
      List<TaskHead> heads = new ArrayList<>();
      for (int i = 0; i < d.exits.size(); i++) {
        if (d.exits.get(i) < 1 || d.exits.get(i) > backbone.layerCount()) {
          throw new IOException(file + ": exit layer " + d.exits.get(i) + " outside 1.."
              + backbone.layerCount());
        }
        heads.add(newHead(d.task,
            headTensor(tensors, headName(i, "weight"), manager, dir, classes, hidden),
            headTensor(tensors, headName(i, "bias"), manager, dir, classes)));
      }
      return new TaskModel(backbone, d.task, d.labels, d.layerDrop, heads, d.exits, manager);
    } catch (IOException | RuntimeException e) {
      manager.close();
      backbone.close();
      throw e;
    }
  }

  private static NDArray headTensor(Map<String, TensorData> tensors, String name,
      NDManager manager, Path dir, long... shape) throws IOException {
    TensorData data = tensors.get(name);
    if (data == null) {
      throw new IOException(dir.resolve(HEADS) + ": missing " + name);
    }
    if (!java.util.Arrays.equals(data.shape(), shape)) {
      throw new IOException(dir.resolve(HEADS) + ": " + name + " has shape " + data.shapeString()
          + ", expected " + java.util.Arrays.toString(shape));
    }
    return manager.create(data.values(), new Shape(shape));
  }

  /** The fields of {@value #DESCRIPTION}. */
  private record Description(Task task, LabelVocabulary labels, LayerDrop layerDrop,
      List<Integer> exits) {
    static Description read(Path file) throws IOException {
      try {
        JsonObject o = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
            .getAsJsonObject();
        Task task = Task.fromId(o.get("task").getAsString());
        LabelVocabulary labels = null;
        if (task.classification()) {
          List<String> names = new ArrayList<>();
          for (JsonElement e : o.getAsJsonArray("labels")) {
            names.add(e.getAsString());
          }
          labels = LabelVocabulary.of(names);
        }
        JsonObject drop = o.getAsJsonObject("layer_drop");
        // Models fine-tuned before uniform-k sampling existed name no sampling: Bernoulli.
        LayerDrop.DepthSampling sampling = drop.has("depth_sampling")
            ? LayerDrop.DepthSampling.fromId(drop.get("depth_sampling").getAsString())
            : LayerDrop.DepthSampling.BERNOULLI;
        double subset = drop.has("subset_probability")
            ? drop.get("subset_probability").getAsDouble()
            : LayerDrop.DEFAULT_SUBSET_PROBABILITY;
        LayerDrop layerDrop = new LayerDrop(LayerDrop.Mode.fromId(drop.get("mode").getAsString()),
            drop.get("keep_probability").getAsDouble(), drop.get("per_utterance").getAsBoolean(),
            sampling, subset);
        List<Integer> exits = new ArrayList<>();
        for (JsonElement e : o.getAsJsonArray("exits")) {
          exits.add(e.getAsInt());
        }
        if (exits.isEmpty()) {
          throw new IllegalArgumentException("no exits");
        }
        return new Description(task, labels, layerDrop, exits);
      } catch (RuntimeException e) {
        // Gson reports missing or mistyped fields as assorted runtime exceptions.
        throw new IOException(file + ": not a valid icld model description: " + e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    headManager.close();
    backbone.close();
  }
}
