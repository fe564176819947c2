package dev.icld.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.icld.model.Checkpoints;
import dev.icld.model.FoundationModel;
import dev.icld.train.TinySetup;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The two models an evaluation with early exit needs, fine-tuned for a few steps from one tiny
 * random backbone on generated tones: one with random LayerDrop, one with exit heads.
 *
 * @param data the corpus (6 training, 3 dev clips per class)
 */
record TinyModelPair(Path data, Path layerDrop, Path earlyExit) {
  static TinyModelPair make(Path dir, int layers, long corpusSeed, long backboneSeed)
      throws IOException {
    Path data = TinySetup.corpus(dir.resolve("data"), 6, 3, corpusSeed);
    Path backbone = dir.resolve("backbone");
    try (FoundationModel model =
        Checkpoints.randomlyInitialised(TinySetup.config(layers), backboneSeed)) {
      Checkpoints.save(model, backbone);
    }
    TinyModelPair pair =
        new TinyModelPair(data, dir.resolve("layer-drop"), dir.resolve("early-exit"));
    for (Path out : new Path[] {pair.layerDrop, pair.earlyExit}) {
      CliRun.Result r = CliRun.run("finetune", "--model", backbone.toString(), "--task", "kws",
          "--data", data.toString(), "--out", out.toString(), "--layer-drop",
          out == pair.layerDrop ? "random" : "early-exit", "--max-steps", "20",
          "--batch-seconds", "1.5", "--lr", "5e-3");
      assertEquals(0, r.code(), r.err());
    }
    return pair;
  }
}
