package dev.icld.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.icld.model.Checkpoints;
import dev.icld.model.Flops;
import dev.icld.model.FoundationModel;
import dev.icld.model.LoadSummary;
import dev.icld.model.ModelConfig;
import dev.icld.model.Torch;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code icld inspect MODEL_DIR}: what a checkpoint holds and what it costs to run. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = "Print a model's architecture, parameter counts, GFLOPs per second of audio at "
        + "every number of kept layers, and its load time.")
final class InspectCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "MODEL_DIR",
      description = "Hugging Face model directory (config.json + model.safetensors or pytorch_model.bin)")
  Path modelDir;

  @Option(names = "--seconds", defaultValue = "10",
      description = "utterance length the FLOPs are computed for; attention's cost per second "
          + "grows with length (default: ${DEFAULT-VALUE})")
  double seconds;

  @Option(names = "--json", description = "print one JSON object instead of text")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (!(seconds > 0)) {
      throw new IllegalArgumentException("--seconds must be positive, got " + seconds);
    }
    // Started apart so that the load time is the checkpoint's, not the engine's first start.
    long engineStart = System.nanoTime();
    Torch.engine();
    double engineSeconds = (System.nanoTime() - engineStart) / 1e9;
    try (FoundationModel model = Checkpoints.load(modelDir)) {
      Flops flops = Flops.of(model.config(), seconds);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(new GsonBuilder().setPrettyPrinting().create().toJson(report(model, flops, engineSeconds)));
      } else {
        printText(out, model, flops, engineSeconds);
      }
      out.flush();
    }
    return 0;
  }

  private static long total(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  private static String convStack(ModelConfig c) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < c.convDim().size(); i++) {
      s.append(i == 0 ? "" : " ").append("(").append(c.convDim().get(i)).append(", k")
          .append(c.convKernel().get(i)).append(", s").append(c.convStride().get(i)).append(")");
    }
    return s.toString();
  }

  private void printText(PrintWriter out, FoundationModel model, Flops flops, double engineSeconds) {
    ModelConfig c = model.config();
    LoadSummary summary = model.loadSummary();
    out.printf("model        %s (%s, %s naming)%n", modelDir, summary.weightsFile().getFileName(),
        summary.naming());
    out.printf("type         %s (%s), %s layers, %s-norm feature encoder%n", c.modelType().id(),
        c.modelType().architecture(), c.variant(), c.featExtractNorm());
    out.printf("encoder      %d layers, hidden %d, %d heads, feed-forward %d, %s%n",
        c.numHiddenLayers(), c.hiddenSize(), c.numAttentionHeads(), c.intermediateSize(), c.hiddenAct());
    out.printf("conv stack   %d layers (channels, kernel, stride): %s%n", c.convDim().size(), convStack(c));
    out.printf("pos conv     kernel %d, %d groups%n", c.numConvPosEmbeddings(), c.numConvPosEmbeddingGroups());
    out.println("parameters");
    Map<String, Long> counts = model.parameterCounts();
    for (Map.Entry<String, Long> e : counts.entrySet()) {
      out.printf("  %-28s %,14d%n", e.getKey(), e.getValue());
    }
    out.printf("  %-28s %,14d%n", "total", total(counts));
    if (!summary.ignored().isEmpty()) {
      out.printf("ignored      %d task-head tensors: %s%n", summary.ignored().size(),
          String.join(", ", summary.ignored()));
    }
    out.printf("FLOPs        for a %.1f s utterance (%d frames), per second of audio%n",
        flops.seconds(), flops.frames());
    out.println("  kept layers   GFLOPs/s");
    for (int k = 0; k <= flops.layers(); k++) {
      out.printf("  %11d   %8.3f%n", k, flops.gigaFlopsPerSecond(k));
    }
    out.printf("load time    %.3f s (engine start %.3f s before it)%n", summary.loadSeconds(),
        engineSeconds);
  }

  private JsonObject report(FoundationModel model, Flops flops, double engineSeconds) {
    ModelConfig c = model.config();
    LoadSummary summary = model.loadSummary();
    JsonObject o = new JsonObject();
    o.addProperty("model_dir", modelDir.toString());
    o.addProperty("weights_file", summary.weightsFile().toString());
    o.addProperty("naming", summary.naming());
    o.addProperty("model_type", c.modelType().id());
    o.addProperty("variant", c.variant());
    o.addProperty("feat_extract_norm", c.featExtractNorm());
    o.addProperty("num_hidden_layers", c.numHiddenLayers());
    o.addProperty("hidden_size", c.hiddenSize());
    o.addProperty("num_attention_heads", c.numAttentionHeads());
    o.addProperty("intermediate_size", c.intermediateSize());
    o.addProperty("conv_stack", convStack(c));
    JsonObject parameters = new JsonObject();
    Map<String, Long> counts = model.parameterCounts();
    counts.forEach(parameters::addProperty);
    o.add("parameters", parameters);
    o.addProperty("parameters_total", total(counts));
    JsonArray ignored = new JsonArray();
    summary.ignored().forEach(ignored::add);
    o.add("ignored_tensors", ignored);
    o.addProperty("flops_utterance_seconds", flops.seconds());
    o.addProperty("flops_frames", flops.frames());
    JsonArray perSecond = new JsonArray();
    for (int k = 0; k <= flops.layers(); k++) {
      perSecond.add(flops.gigaFlopsPerSecond(k));
    }
    o.add("gflops_per_second_by_kept_layers", perSecond);
    o.addProperty("load_seconds", summary.loadSeconds());
    o.addProperty("engine_start_seconds", engineSeconds);
    return o;
  }
}
