package dev.icld.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.icld.data.Manifest;
import dev.icld.data.ManifestEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Smoke tests of the tiny sid, asr and sound corpora, built with the real engines. */
class OtherCorporaTest {
  @TempDir Path dir;

  private Map<Split, List<ManifestEntry>> build(SynthTask task) throws IOException {
    Path out = dir.resolve(task.id());
    new CorpusBuilder(Tools.fromEnvironment(), new PrintStream(new ByteArrayOutputStream()))
        .build(new CorpusRequest(task, CorpusSize.TINY, 3, 12, out, 2));
    Map<Split, List<ManifestEntry>> manifests = new EnumMap<>(Split.class);
    for (Split s : Split.values()) {
      List<ManifestEntry> entries = Manifest.read(out.resolve(s.manifestName()));
      assertTrue(!entries.isEmpty(), s + " is empty");
      for (ManifestEntry e : entries) {
        assertTrue(Files.isRegularFile(out.resolve(e.audio())), e.audio());
      }
      manifests.put(s, entries);
    }
    assertTrue(Files.isRegularFile(out.resolve("CARD.md")));
    return manifests;
  }

  @Test
  @NeedsSystemTools(tasks = SynthTask.SID)
  void sidHasEverySpeakerInEverySplitWithTwoToFiveSecondClips() throws IOException {
    Map<Split, List<ManifestEntry>> m = build(SynthTask.SID);
    Set<String> train = speakers(m.get(Split.TRAIN));
    assertEquals(train, speakers(m.get(Split.DEV)));
    assertEquals(train, speakers(m.get(Split.TEST)));
    for (List<ManifestEntry> entries : m.values()) {
      for (ManifestEntry e : entries) {
        assertEquals(e.speaker(), e.label());
        assertTrue(e.duration() >= 2 - 1e-9 && e.duration() <= 5 + 1e-9, e.audio() + " "
            + e.duration());
      }
    }
  }

  @Test
  @NeedsSystemTools(tasks = SynthTask.ASR)
  void asrHasNormalisedTranscriptsAndUnseenTestSpeakersAndSentences() throws IOException {
    Map<Split, List<ManifestEntry>> m = build(SynthTask.ASR);
    Set<String> trainSpeakers = speakers(m.get(Split.TRAIN));
    Set<String> testSpeakers = speakers(m.get(Split.TEST));
    testSpeakers.retainAll(trainSpeakers);
    assertTrue(testSpeakers.isEmpty(), "test speakers heard in training: " + testSpeakers);
    Set<String> trainTexts = m.get(Split.TRAIN).stream().map(ManifestEntry::transcript)
        .collect(Collectors.toSet());
    for (List<ManifestEntry> entries : m.values()) {
      for (ManifestEntry e : entries) {
        assertNull(e.label());
        assertTrue(e.transcript().matches("[a-z']+( [a-z']+){3,13}"), e.transcript());
        assertTrue(e.duration() > 0.5, e.audio());
      }
    }
    for (ManifestEntry e : m.get(Split.TEST)) {
      assertTrue(!trainTexts.contains(e.transcript()), "test sentence in training: "
          + e.transcript());
    }
  }

  @Test
  @NeedsSystemTools(tasks = SynthTask.SOUND)
  void soundHasEveryClassInEverySplitAndNoRecordingInTwoSplits() throws IOException {
    Map<Split, List<ManifestEntry>> m = build(SynthTask.SOUND);
    Set<String> classes = labels(m.get(Split.TRAIN));
    assertTrue(classes.size() >= 5, "classes: " + classes);
    assertEquals(classes, labels(m.get(Split.DEV)));
    assertEquals(classes, labels(m.get(Split.TEST)));
    Map<String, Split> recordingSplit = new java.util.HashMap<>();
    for (Map.Entry<Split, List<ManifestEntry>> split : m.entrySet()) {
      for (ManifestEntry e : split.getValue()) {
        assertNull(e.speaker());
        assertEquals(3.0, e.duration(), 1e-9);
        String recording = e.source().split("[ ;]", 2)[0];
        Split before = recordingSplit.putIfAbsent(recording, split.getKey());
        assertTrue(before == null || before == split.getKey(), recording + " in two splits");
      }
    }
  }

  private static Set<String> speakers(List<ManifestEntry> entries) {
    Set<String> s = new HashSet<>();
    entries.forEach(e -> s.add(e.speaker()));
    return s;
  }

  private static Set<String> labels(List<ManifestEntry> entries) {
    Set<String> s = new TreeSet<>();
    entries.forEach(e -> s.add(e.label()));
    return s;
  }
}
