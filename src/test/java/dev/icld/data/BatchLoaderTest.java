package dev.icld.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchLoaderTest {
  private static final int[] LENGTHS = {1600, 4000, 2400, 800, 3200};
  private static final String[] LABELS = {"yes", "no", "yes", "up", "no"};
  private static final String[] TRANSCRIPTS = {"go", "it's here", "a", "stop now", "yes"};

  @TempDir Path dir;

  private Corpus corpus(TargetKind target) throws IOException {
    List<ManifestEntry> entries = new ArrayList<>();
    for (int i = 0; i < LENGTHS.length; i++) {
      CorpusFixtures.tone(dir.resolve("u" + i + ".wav"), LENGTHS[i], i);
      entries.add(new ManifestEntry("u" + i + ".wav", LENGTHS[i] / 16000.0, LABELS[i],
          TRANSCRIPTS[i], "s" + i, "test"));
    }
    return Corpus.load(CorpusFixtures.manifest(dir.resolve("train.jsonl"), entries),
        LoadOptions.of(target).cachingAudio());
  }

  @Test
  void padsToTheLongestWithLengthsMaskAndLabels() throws IOException {
    Corpus corpus = corpus(TargetKind.LABEL);
    LabelVocabulary labels = LabelVocabulary.fromTraining(corpus.utterances());
    assertEquals(List.of("no", "up", "yes"), labels.labels());

    try (BatchLoader loader = new BatchLoader(corpus, labels,
        BatchSampler.Options.evaluation(3, 0), 0)) {
      Batch batch = loader.load(new int[] {0, 1, 3});

      assertEquals(3, batch.size());
      assertEquals(4000, batch.maxLength());
      assertArrayEquals(new int[] {1600, 4000, 800}, batch.lengths());
      assertArrayEquals(new int[] {2, 0, 1}, batch.labels());
      assertNull(batch.targets());
      int[] rows = {0, 1, 3};
      for (int row = 0; row < 3; row++) {
        float[] expected = Arrays.copyOf(corpus.samples(rows[row]), 4000);
        assertArrayEquals(expected, batch.audio()[row]);
        for (int t = 0; t < 4000; t++) {
          assertEquals(t < batch.lengths()[row], batch.mask()[row][t]);
        }
      }
      assertEquals(1600 + 4000 + 800, batch.realSamples());
      assertEquals(3 * 4000, batch.paddedSamples());
    }
  }

  @Test
  void transcriptsBecomeBlankPaddedCharacterTargets() throws IOException {
    try (BatchLoader loader = new BatchLoader(corpus(TargetKind.TRANSCRIPT), null,
        BatchSampler.Options.evaluation(2, 0), 0)) {
      Batch batch = loader.load(new int[] {1, 2});

      assertArrayEquals(new int[] {9, 1}, batch.targetLengths());
      assertArrayEquals(CharacterVocabulary.encode("it's here"), batch.targets()[0]);
      assertArrayEquals(new int[] {1, 0, 0, 0, 0, 0, 0, 0, 0}, batch.targets()[1]);
      assertNull(batch.labels());
    }
  }

  @Test
  void anEpochYieldsEveryUtteranceOnceWithOrWithoutPrefetch() throws IOException {
    Corpus corpus = corpus(TargetKind.LABEL);
    LabelVocabulary labels = LabelVocabulary.fromTraining(corpus.utterances());
    BatchSampler.Options options = BatchSampler.Options.training(2, 0, 11);
    List<String> direct = new ArrayList<>();
    List<String> prefetched = new ArrayList<>();
    try (BatchLoader plain = new BatchLoader(corpus, labels, options, 0);
        BatchLoader ahead = new BatchLoader(corpus, labels, options, 2)) {
      plain.epoch(1).forEachRemaining(b -> direct.add(describe(b)));
      ahead.epoch(1).forEachRemaining(b -> prefetched.add(describe(b)));
    }

    assertEquals(direct, prefetched);
    assertEquals(3, direct.size());
    List<String> files = direct.stream()
        .flatMap(d -> Arrays.stream(d.split(" "))).sorted().toList();
    assertEquals(List.of("u0.wav", "u1.wav", "u2.wav", "u3.wav", "u4.wav"), files);
  }

  @Test
  void aFileThatVanishesAfterLoadingNamesItselfDuringTheEpoch() throws IOException {
    Corpus corpus = Corpus.load(corpus(TargetKind.NONE).manifest(), LoadOptions.of(TargetKind.NONE));
    Files.delete(dir.resolve("u2.wav"));
    try (BatchLoader loader = new BatchLoader(corpus, null,
        BatchSampler.Options.evaluation(5, 0), 1)) {
      Iterator<Batch> epoch = loader.epoch(0);
      UncheckedIOException e = assertThrows(UncheckedIOException.class, epoch::next);
      assertTrue(e.getCause().getMessage().contains("u2.wav"), e.getCause().getMessage());
    }
  }

  @Test
  void labelledCorporaNeedTheTrainingVocabulary() throws IOException {
    Corpus corpus = corpus(TargetKind.LABEL);
    BatchSampler.Options options = BatchSampler.Options.evaluation(2, 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new BatchLoader(corpus, null, options, 0));
    assertTrue(e.getMessage().contains("needs the training label vocabulary"), e.getMessage());
  }

  private static String describe(Batch batch) {
    return String.join(" ", batch.utterances().stream().map(u -> u.entry().audio()).toList());
  }
}
