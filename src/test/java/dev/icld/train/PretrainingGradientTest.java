package dev.icld.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.icld.data.Batch;
import dev.icld.data.BatchLoader;
import dev.icld.data.BatchSampler;
import dev.icld.data.Corpus;
import dev.icld.data.LoadOptions;
import dev.icld.data.TargetKind;
import dev.icld.model.Checkpoints;
import dev.icld.model.FoundationModel;
import dev.icld.model.FreedMemory;
import dev.icld.model.Torch;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A step of HuBERT masked-prediction pretraining gives the same gradients, every one finite,
 * whether or not Java frees and reuses native memory between the forward and the backward pass
 * (as the garbage collector may do at any moment of a training run).
 */
class PretrainingGradientTest {
  private static final int REPETITIONS = 4;

  @TempDir Path temp;

  @Test
  void gradientsDoNotDependOnFreedMemory() throws Exception {
    Path corpusDir = temp.resolve("corpus");
    SpeechFixtures.corpus(corpusDir, new String[] {"a", "b"}, new String[] {"c"}, new String[0],
        2, 16_000);
    Corpus train = Corpus.load(corpusDir.resolve("train.jsonl"),
        LoadOptions.of(TargetKind.NONE).cachingAudio());
    Corpus dev = Corpus.load(corpusDir.resolve("dev.jsonl"),
        LoadOptions.of(TargetKind.NONE).cachingAudio());
    ClusterTargets targets = ClusterTargets.build(train, dev, new MfccFrameFeatures(),
        new ClusterTargets.Options(8, 5000, 10, 1), temp.resolve("targets"));
    try (FoundationModel model =
            Checkpoints.randomlyInitialised(HubertPretrainingTest.tinyConfig(), 1);
        MaskedPredictionHead head = MaskedPredictionHead.initialise(32, 16, 8, new Random(2));
        BatchLoader loader =
            new BatchLoader(train, null, BatchSampler.Options.training(4, 0, 3), 0);
        NDManager root = Torch.newManager()) {
      HubertPretraining objective =
          new HubertPretraining(model, head, targets, SpanMasking.hubert(), 4);
      Batch batch = loader.epoch(0).next();
      Map<String, NDArray> parameters = objective.parameters();
      parameters.values().forEach(p -> p.setRequiresGradient(true));
      try {
        Map<String, float[]> reference = gradients(objective, batch, root, false);
        for (int rep = 0; rep < REPETITIONS; rep++) {
          Map<String, float[]> churned = gradients(objective, batch, root, true);
          List<String> differing = new ArrayList<>();
          for (Map.Entry<String, float[]> g : churned.entrySet()) {
            float[] values = g.getValue();
            for (float v : values) {
              assertTrue(Float.isFinite(v), g.getKey() + " gradient at repetition " + rep);
            }
            float[] expected = reference.get(g.getKey());
            for (int i = 0; i < values.length; i++) {
              if (Math.abs(values[i] - expected[i]) > 1e-6f * (1 + Math.abs(expected[i]))) {
                differing.add(g.getKey());
                break;
              }
            }
          }
          assertEquals(List.of(), differing, "gradients changed by freed memory at repetition "
              + rep);
        }
      } finally {
        parameters.values().forEach(p -> p.setRequiresGradient(false));
      }
    }
  }

  /** One step's gradients (the same span masks every time), then zeroed. */
  private static Map<String, float[]> gradients(HubertPretraining objective, Batch batch,
      NDManager root, boolean churnMemory) throws InterruptedException {
    List<ByteBuffer> filler = List.of();
    try (NDManager manager = root.newSubManager();
        GradientCollector collector = Torch.engine().newGradientCollector()) {
      StepOutput output = objective.step(batch, manager, new Random(3));
      assertTrue(Float.isFinite(output.loss().getFloat()));
      if (churnMemory) {
        filler = FreedMemory.overwrite();
      }
      collector.backward(output.loss());
    }
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> p : objective.parameters().entrySet()) {
      try (NDArray gradient = p.getValue().getGradient()) {
        out.put(p.getKey(), gradient.toFloatArray());
        gradient.muli(0);
      }
    }
    assertTrue(filler.isEmpty() || filler.size() == 4000);
    return out;
  }
}
