package dev.icld.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.icld.audio.Audio;
import dev.icld.audio.WavWriter;
import dev.icld.data.BatchLoader;
import dev.icld.data.BatchSampler;
import dev.icld.data.Corpus;
import dev.icld.data.LabelVocabulary;
import dev.icld.data.LoadOptions;
import dev.icld.data.Manifest;
import dev.icld.data.ManifestEntry;
import dev.icld.data.TargetKind;
import dev.icld.model.Checkpoints;
import dev.icld.model.FrontEndOutput;
import dev.icld.model.LayerDrop;
import dev.icld.model.ModelConfig;
import dev.icld.model.ModelType;
import dev.icld.model.Task;
import dev.icld.model.TaskModel;
import dev.icld.selection.Budget;
import dev.icld.selection.InputConditionedPolicy;
import dev.icld.selection.SelectionInput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Tiny random models and generated corpora for the training tests. */
public final class TinySetup {
  /** Three tones far apart in pitch: an easy classification task. */
  static final String[] CLASSES = {"low", "mid", "high"};
  private static final double[] PITCH = {220, 660, 1760};
  static final String[] WORDS = {"go", "no", "on"};

  private TinySetup() {}

  /** A wav2vec 2.0 (Base form) with hidden 32 and 320 samples per frame (20 ms, as the real ones). */
  /** An untrained two-layer CTC model saved in {@code dir}, for reports on an asr corpus. */
  public static Path untrainedAsrModel(Path dir) throws IOException {
    try (TaskModel model = TaskModel.create(Checkpoints.randomlyInitialised(config(2), 2),
        Task.ASR, null, LayerDrop.none(), 1)) {
      model.save(dir);
    }
    return dir;
  }

  public static ModelConfig config(int layers) {
    return new ModelConfig(ModelType.WAV2VEC2, 32, layers, 4, 64, "gelu", "gelu",
        List.of(16, 16, 16), List.of(10, 4, 4), List.of(5, 8, 8), false, "group", 8, 4, false,
        1e-5, true, 320, 800);
  }

  /**
   * Writes train/dev/test.jsonl and their WAVs under {@code dir}: noisy tones of 0.15 to 0.3 s at
   * one pitch per class, each labelled with its class and transcribed with one word per class.
   */
  public static Path corpus(Path dir, int trainPerClass, int devPerClass, long seed)
      throws IOException {
    Random random = new Random(seed);
    String[] splits = {"train", "dev", "test"};
    int[] counts = {trainPerClass, devPerClass, devPerClass};
    for (int s = 0; s < splits.length; s++) {
      List<ManifestEntry> entries = new ArrayList<>();
      for (int i = 0; i < counts[s] * CLASSES.length; i++) {
        int c = i % CLASSES.length;
        int samples = 2400 + random.nextInt(2400);
        float[] x = new float[samples];
        double hz = PITCH[c] * (1 + 0.05 * random.nextGaussian());
        double amplitude = 0.2 + 0.3 * random.nextDouble();
        for (int t = 0; t < samples; t++) {
          x[t] = (float) (amplitude * Math.sin(2 * Math.PI * hz * t / 16000)
              + 0.02 * random.nextGaussian());
        }
        String name = splits[s] + "/" + i + ".wav";
        Files.createDirectories(dir.resolve(splits[s]));
        WavWriter.writePcm16(dir.resolve(name), new Audio(x, 16000));
        entries.add(new ManifestEntry(name, samples / 16000.0, CLASSES[c], WORDS[c], "spk", "tones"));
      }
      Manifest.write(dir.resolve(splits[s] + ".jsonl"), entries);
    }
    return dir;
  }

  static Corpus load(Path dir, String split, TargetKind target) throws IOException {
    return Corpus.load(dir.resolve(split + ".jsonl"), LoadOptions.of(target).cachingAudio());
  }

  static BatchLoader trainLoader(Corpus corpus, LabelVocabulary labels, long seed) {
    return new BatchLoader(corpus, labels, BatchSampler.Options.training(6, 0, seed), 0);
  }

  static BatchLoader evalLoader(Corpus corpus, LabelVocabulary labels) {
    return new BatchLoader(corpus, labels, BatchSampler.Options.evaluation(16, 0), 0);
  }

  /** The layers the selector's policy keeps for one utterance of {@code corpus} at a budget. */
  static boolean[] selectedMask(TaskModel model, InputConditionedPolicy policy, Corpus corpus,
      int utterance, Budget budget, NDManager manager) throws IOException {
    float[] samples = corpus.samples(utterance);
    FrontEndOutput frontEnd = model.backbone().frontEnd(
        manager.create(samples, new Shape(1, samples.length)), new int[] {samples.length});
    return policy.select(SelectionInput.ofFeatures(frontEnd.features(), frontEnd.frameLengths()),
        budget).mask(0);
  }
}
