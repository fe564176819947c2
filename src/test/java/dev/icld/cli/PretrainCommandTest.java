package dev.icld.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.icld.model.Checkpoints;
import dev.icld.model.FoundationModel;
import dev.icld.model.io.SafeTensors;
import dev.icld.model.io.TensorData;
import dev.icld.train.SpeechFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code icld pretrain} end to end at tiny scale: a loadable F16 model directory and its card. */
class PretrainCommandTest {
  @TempDir Path temp;

  @Test
  void writesALoadableHalfPrecisionModelWithItsCard() throws Exception {
    Path speech = temp.resolve("speech");
    Path downstream = temp.resolve("downstream");
    SpeechFixtures.corpus(speech, new String[] {"a", "b", "held"}, new String[0], new String[0],
        3, 16_000);
    SpeechFixtures.corpus(downstream, new String[] {"a"}, new String[] {"b"},
        new String[] {"held"}, 1, 16_000);
    Path out = temp.resolve("model");
    String[] args = {"pretrain", "--data", speech.toString(), "--exclude-speakers-of",
        downstream.toString(), "--out", out.toString(), "--hidden", "32", "--layers", "2",
        "--conv-channels", "16", "--clusters", "6", "--max-steps", "3", "--batch-seconds", "2"};
    CliRun.Result r = CliRun.run(args);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("held out 2 speakers of 2 dev/test manifests"), r.out());
    assertTrue(r.out().contains("dropped 6 of held-out speakers"), r.out());

    try (FoundationModel model = Checkpoints.load(out)) {
      assertEquals(2, model.layerCount());
      assertEquals("hubert", model.config().modelType().id());
      assertTrue(model.parameters().containsKey(FoundationModel.MASK_EMBEDDING));
    }
    Map<String, TensorData> weights = SafeTensors.read(out.resolve("model.safetensors"));
    weights.values().forEach(t -> assertEquals("F16", t.dtype()));
    assertEquals(6, SafeTensors.read(out.resolve("kmeans.safetensors")).get("centroids")
        .shape()[0]);
    assertTrue(Files.size(out.resolve("training").resolve("metrics.jsonl")) > 0);
    String card = Files.readString(out.resolve("CARD.md"));
    assertTrue(card.contains("icld pretrain --data " + speech + " --exclude-speakers-of "
        + downstream + " --out " + out), card);
    // b (dev) and held (test) are downstream speakers: only a's 3 utterances remain.
    assertTrue(card.contains("3 of 9 utterances kept"), card);
    assertTrue(card.contains("dropped 6 of held-out speakers"), card);
    assertTrue(card.contains("3 steps"), card);
    assertTrue(card.contains("masked accuracy"), card);

    // Second iteration: targets from layer 1 of the first model, training continued from it.
    Path second = temp.resolve("second");
    r = CliRun.run("pretrain", "--data", speech.toString(), "--exclude-speakers-of",
        downstream.toString(), "--out", second.toString(), "--init", out.toString(),
        "--targets-from-layer", "1", "--clusters", "4", "--max-steps", "2", "--batch-seconds",
        "2");
    assertEquals(0, r.code(), r.err());
    String secondCard = Files.readString(second.resolve("CARD.md"));
    assertTrue(secondCard.contains("hidden state after layer 1 of " + out + " at 50 Hz"),
        secondCard);
    try (FoundationModel model = Checkpoints.load(second)) {
      assertEquals(2, model.layerCount());
    }
  }

  @Test
  void targetsFromALayerNeedAnInitialModel() {
    CliRun.Result r = CliRun.run("pretrain", "--data", temp.toString(), "--out", temp.resolve("m").toString(),
        "--max-steps", "3", "--targets-from-layer", "2");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("--targets-from-layer needs --init"), r.err());
  }

  @Test
  void aStepCountAndATimeLimitTogetherAreRefused() {
    CliRun.Result r = CliRun.run("pretrain", "--data", temp.toString(), "--out", temp.resolve("m").toString(),
        "--max-steps", "3", "--max-minutes", "2");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("exactly one of --max-steps and --max-minutes"), r.err());
  }
}
