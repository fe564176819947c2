package dev.icld.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.icld.data.CharacterVocabulary;
import dev.icld.data.LabelVocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskModelTest {
  @TempDir Path temp;

  private static void assertSameOutputs(TaskModel a, TaskModel b) {
    assertEquals(a.heads().size(), b.heads().size());
    try (NDManager manager = Torch.newManager()) {
      float[] samples = new float[2 * 1200];
      Random random = new Random(1);
      for (int i = 0; i < samples.length; i++) {
        samples[i] = (float) random.nextGaussian() * 0.1f;
      }
      int[] lengths = {1200, 900};
      var x = manager.create(samples, new Shape(2, 1200));
      ModelOutput outA = a.backbone().forward(x, lengths);
      ModelOutput outB = b.backbone().forward(x, lengths);
      for (int head = 0; head < a.heads().size(); head++) {
        assertArrayEquals(a.logits(outA, head).toFloatArray(), b.logits(outB, head).toFloatArray(),
            "head " + head);
      }
    }
  }

  @Test
  void anEarlyExitClassifierSavesAndLoadsBack() throws IOException {
    LabelVocabulary labels = LabelVocabulary.of(List.of("no", "yes", "up"));
    try (TaskModel model = TaskModel.create(
        Checkpoints.randomlyInitialised(RandomInitialisationTest.tinyWav2Vec2(), 1), Task.KWS,
        labels, new LayerDrop(LayerDrop.Mode.EARLY_EXIT, 1, false), 2)) {
      model.save(temp);
      try (TaskModel loaded = TaskModel.load(temp)) {
        assertEquals(Task.KWS, loaded.task());
        assertEquals(labels, loaded.labels());
        assertEquals(List.of(1, 2), loaded.exits());
        assertEquals(LayerDrop.Mode.EARLY_EXIT, loaded.layerDrop().mode());
        assertEquals(ClassificationHead.TYPE, loaded.heads().get(0).type());
        assertSameOutputs(model, loaded);
      }
    }
    // The backbone files are an ordinary Hugging Face directory.
    try (FoundationModel backbone = Checkpoints.load(temp)) {
      assertEquals(2, backbone.layerCount());
    }
  }

  @Test
  void anAsrModelSavesAndLoadsBack() throws IOException {
    try (TaskModel model = TaskModel.create(
        Checkpoints.randomlyInitialised(RandomInitialisationTest.tinyWav2Vec2(), 1), Task.ASR,
        null, new LayerDrop(LayerDrop.Mode.RANDOM, 0.5, true), 2)) {
      model.save(temp);
      try (TaskModel loaded = TaskModel.load(temp)) {
        assertEquals(CharacterVocabulary.SIZE, loaded.heads().get(0).classes());
        assertTrue(loaded.layerDrop().perUtterance());
        assertSameOutputs(model, loaded);
      }
    }
  }

  @Test
  void aBareBackboneIsNotATaskModel() throws IOException {
    try (FoundationModel backbone =
        Checkpoints.randomlyInitialised(RandomInitialisationTest.tinyWav2Vec2(), 1)) {
      Checkpoints.save(backbone, temp);
    }
    IOException e = assertThrows(IOException.class, () -> TaskModel.load(temp));
    assertTrue(e.getMessage().startsWith(temp + ": no icld.json"), e.getMessage());
    Files.writeString(temp.resolve(TaskModel.DESCRIPTION), "{\"task\": \"kws\"}");
    e = assertThrows(IOException.class, () -> TaskModel.load(temp));
    assertTrue(e.getMessage().contains("not a valid icld model description"), e.getMessage());
  }
}
