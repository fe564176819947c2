package dev.icld.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.icld.data.Batch;
import dev.icld.data.CharacterVocabulary;
import dev.icld.model.Checkpoints;
import dev.icld.model.FreedMemory;
import dev.icld.model.LayerDrop;
import dev.icld.model.Task;
import dev.icld.model.TaskModel;
import dev.icld.model.Torch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * CTC fine-tuning on a padded batch (utterance lengths far apart) gives finite gradients for
 * every parameter, every time, even when Java frees and reuses native memory between the forward
 * pass and the backward pass (as the garbage collector may do at any moment in a long run).
 */
class PaddedBatchGradientTest {
  private static final int REPETITIONS = 6;

  @Test
  void everyGradientIsFiniteOnAPaddedCtcBatch() throws Exception {
    Random random = new Random(11);
    float[] shortClip = noise(random, 3_000);
    float[] longClip = noise(random, 24_000);
    float[][] audio = new float[2][longClip.length];
    System.arraycopy(shortClip, 0, audio[0], 0, shortClip.length);
    System.arraycopy(longClip, 0, audio[1], 0, longClip.length);
    int[] lengths = {shortClip.length, longClip.length};
    int[][] targets = {CharacterVocabulary.encode("go"), CharacterVocabulary.encode("on and on")};
    int[][] paddedTargets = new int[2][targets[1].length];
    System.arraycopy(targets[0], 0, paddedTargets[0], 0, targets[0].length);
    System.arraycopy(targets[1], 0, paddedTargets[1], 0, targets[1].length);
    Batch batch = new Batch(List.of(), audio, lengths, new boolean[2][longClip.length], null,
        paddedTargets, new int[] {targets[0].length, targets[1].length});

    try (TaskModel model = TaskModel.create(
            Checkpoints.randomlyInitialised(TinySetup.config(3), 7), Task.ASR, null,
            new LayerDrop(LayerDrop.Mode.RANDOM, 0.5, true), 7);
        NDManager root = Torch.newManager()) {
      // No feature cache: the conv encoder must run (and free its arrays) on every repetition.
      FineTuning objective = new FineTuning(model, false, SpecAugment.NONE, 0, null);
      Map<String, NDArray> parameters = objective.parameters();
      parameters.values().forEach(p -> p.setRequiresGradient(true));
      try {
        for (int rep = 0; rep < REPETITIONS; rep++) {
          List<ByteBuffer> filler;
          try (NDManager manager = root.newSubManager();
              GradientCollector collector = Torch.engine().newGradientCollector()) {
            StepOutput output = objective.step(batch, manager, new Random(rep));
            assertTrue(Float.isFinite(output.loss().getFloat()), "loss at repetition " + rep);
            filler = FreedMemory.overwrite();
            collector.backward(output.loss());
          }
          List<String> bad = new ArrayList<>();
          for (Map.Entry<String, NDArray> p : parameters.entrySet()) {
            try (NDArray gradient = p.getValue().getGradient()) {
              for (float g : gradient.toFloatArray()) {
                if (!Float.isFinite(g)) {
                  bad.add(p.getKey());
                  break;
                }
              }
              gradient.muli(0);
            }
          }
          assertEquals(List.of(), bad, "non-finite gradients at repetition " + rep);
          assertEquals(4000, filler.size());
        }
      } finally {
        parameters.values().forEach(p -> p.setRequiresGradient(false));
      }
    }
  }

  private static float[] noise(Random random, int samples) {
    float[] x = new float[samples];
    for (int i = 0; i < samples; i++) {
      x[i] = (float) (0.3 * Math.sin(i * 0.05) + 0.05 * random.nextGaussian());
    }
    return x;
  }
}
