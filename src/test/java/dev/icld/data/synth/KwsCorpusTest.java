package dev.icld.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.icld.audio.Audio;
import dev.icld.audio.AudioFiles;
import dev.icld.data.Manifest;
import dev.icld.data.ManifestEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds the tiny keyword-spotting corpus with the real engines and checks what it holds. */
@NeedsSystemTools(tasks = SynthTask.KWS)
class KwsCorpusTest {
  @TempDir static Path dir;
  static Path corpus;
  static Map<String, String> firstBuild;
  static Map<Split, List<ManifestEntry>> manifests = new EnumMap<>(Split.class);

  @BeforeAll
  static void buildOnce() throws IOException {
    corpus = dir.resolve("kws-tiny");
    build(2);
    firstBuild = checksums(corpus);
    for (Split s : Split.values()) {
      manifests.put(s, Manifest.read(corpus.resolve(s.manifestName())));
    }
  }

  static void build(int jobs) throws IOException {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    new CorpusBuilder(Tools.fromEnvironment(), quiet)
        .build(new CorpusRequest(SynthTask.KWS, CorpusSize.TINY, 7, 12, corpus, jobs));
  }

  @Test
  void rebuildingWithTheSameSeedGivesTheSameBytesWhateverTheNumberOfJobs() throws IOException {
    build(1);
    Map<String, String> second = checksums(corpus);
    assertEquals(firstBuild.keySet(), second.keySet());
    for (String file : firstBuild.keySet()) {
      assertEquals(firstBuild.get(file), second.get(file), file + " differs between builds");
    }
    assertTrue(firstBuild.size() > 90, "expected every clip, manifest and card to be written");
  }

  @Test
  void everySplitHasEveryClassEquallyOften() {
    KwsRecipe recipe = new KwsRecipe(CorpusSize.TINY, 12, 7, null, List.of());
    int[] perClass = {4, 2, 2};
    for (Split s : Split.values()) {
      Map<String, Integer> counts = new TreeMap<>();
      manifests.get(s).forEach(e -> counts.merge(e.label(), 1, Integer::sum));
      assertEquals(Set.copyOf(recipe.labels()), counts.keySet(), s + " labels");
      counts.values().forEach(n -> assertEquals(perClass[s.ordinal()], n, s + " per-class count"));
    }
  }

  @Test
  void clipsAreOneSecondOfSixteenKilohertzAudioWithTheirNoiseRecorded() throws IOException {
    for (List<ManifestEntry> entries : manifests.values()) {
      for (ManifestEntry e : entries) {
        assertEquals(1.0, e.duration(), 1e-9, e.audio());
        Audio audio = AudioFiles.read(corpus.resolve(e.audio()));
        assertEquals(16000, audio.sampleRate());
        assertEquals(16000, audio.samples().length, e.audio());
        assertTrue(Signals.meanSquare(audio.samples(), 0, 16000) > 1e-7, e.audio() + " is silent");
        if (e.label().equals(KwsRecipe.SILENCE)) {
          assertNull(e.speaker());
          assertNull(e.snr());
        } else {
          assertNotNull(e.speaker(), e.audio());
          assertNotNull(e.snr(), e.audio());
          assertTrue(e.snr() >= 0 && e.snr() <= 25, e.audio() + " snr " + e.snr());
          assertTrue(KwsRecipe.VOCABULARY.contains(e.transcript())
              || e.label().equals(KwsRecipe.UNKNOWN), e.audio());
        }
      }
    }
  }

  @Test
  void speakersAreDisjointAcrossSplits() {
    Map<String, Split> seen = new TreeMap<>();
    for (Map.Entry<Split, List<ManifestEntry>> m : manifests.entrySet()) {
      for (ManifestEntry e : m.getValue()) {
        if (e.speaker() != null) {
          Split before = seen.putIfAbsent(e.speaker(), m.getKey());
          assertTrue(before == null || before == m.getKey(),
              e.speaker() + " in both " + before + " and " + m.getKey());
        }
      }
    }
    Set<Engine> engines = new HashSet<>();
    for (String speaker : seen.keySet()) {
      engines.add(Engine.valueOf(speaker.substring(0, speaker.indexOf('-')).toUpperCase()));
    }
    assertEquals(Set.of(Engine.ESPEAK, Engine.FLITE, Engine.FESTIVAL), engines);
  }

  @Test
  void cardCountsWhatTheManifestsHold() throws IOException {
    JsonObject card = JsonParser.parseString(Files.readString(corpus.resolve("card.json")))
        .getAsJsonObject();
    int clips = manifests.values().stream().mapToInt(List::size).sum();
    assertEquals(clips, card.get("clips").getAsInt());
    assertEquals("icld synth --task kws --size tiny --seed 7 --classes 12 --out " + corpus,
        card.get("command").getAsString());
    for (Split s : Split.values()) {
      assertEquals(manifests.get(s).size(),
          card.getAsJsonObject("splits").getAsJsonObject(s.id()).get("clips").getAsInt());
    }
    assertTrue(Files.readString(corpus.resolve("CARD.md")).contains("## Clips per speaker"));
  }

  static Map<String, String> checksums(Path root) throws IOException {
    Map<String, String> sums = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        sums.put(root.relativize(p).toString(), sha256(Files.readAllBytes(p)));
      }
    }
    return sums;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
