package dev.icld.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.icld.audio.Audio;
import dev.icld.audio.WavWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {
  @TempDir Path dir;

  @Test
  void loadsAGoodManifestWithPathsRelativeToIt() throws IOException {
    CorpusFixtures.tone(dir.resolve("audio/a.wav"), 8000, 1);
    CorpusFixtures.tone(dir.resolve("audio/b.wav"), 12000, 2);
    Path manifest = CorpusFixtures.manifest(dir.resolve("lists/train.jsonl"), List.of(
        CorpusFixtures.labelled("../audio/a.wav", 0.5, "yes"),
        CorpusFixtures.labelled("../audio/b.wav", 0.75, "no")));

    Corpus corpus = Corpus.load(manifest, LoadOptions.of(TargetKind.LABEL));

    assertEquals(2, corpus.size());
    assertEquals(dir.resolve("audio/b.wav").toAbsolutePath().normalize(), corpus.get(1).file());
    assertEquals(12000, corpus.get(1).samples());
    assertEquals(2, corpus.get(1).line());
    assertEquals(1.25, corpus.totalSeconds(), 1e-9);
    assertEquals(8000, corpus.samples(0).length);
    assertTrue(corpus.skipped().isEmpty());
  }

  @Test
  void resamplesToSixteenKilohertz() throws IOException {
    CorpusFixtures.tone(dir.resolve("a.wav"), 8000, 1, 8000);
    Path manifest = CorpusFixtures.manifest(dir.resolve("m.jsonl"),
        List.of(CorpusFixtures.labelled("a.wav", 1.0, "yes")));

    Corpus corpus = Corpus.load(manifest, LoadOptions.of(TargetKind.LABEL));

    assertEquals(16000, corpus.get(0).samples(), 1);
    assertEquals(corpus.get(0).samples(), corpus.samples(0).length);
  }

  /** Every kind of bad line in one manifest: all of them come back in a single error. */
  @Test
  void reportsEveryBadLineAtOnceWithFileAndReason() throws IOException {
    Path manifest = manifestWithEveryProblem();

    CorpusException e = assertThrows(CorpusException.class,
        () -> Corpus.load(manifest, LoadOptions.of(TargetKind.LABEL)));

    List<ManifestProblem> problems = e.problems();
    assertEquals(List.of(2, 3, 4, 5, 6, 7, 8, 9, 11),
        problems.stream().map(ManifestProblem::line).toList(), e.getMessage());
    assertProblem(problems.get(0), "missing.wav", "audio file not found");
    assertProblem(problems.get(1), "corrupt.wav", "undecodable audio");
    assertProblem(problems.get(2), "text.wav", "undecodable audio");
    assertProblem(problems.get(3), "zero-bytes.wav", "empty (0 bytes)");
    assertProblem(problems.get(4), "no-samples.wav", "undecodable audio");
    assertProblem(problems.get(5), "unlabelled.wav", "no label");
    assertProblem(problems.get(6), "?", "not a JSON manifest entry");
    assertProblem(problems.get(7), "wrong-duration.wav", "manifest says 3.000 s but the audio lasts 0.500 s");
    assertProblem(problems.get(8), "./good.wav", "same audio file as line 1");
    for (ManifestProblem p : problems) {
      assertEquals(manifest, p.manifest());
      assertTrue(e.getMessage().contains(p.toString()), "message lacks " + p);
    }
    assertTrue(e.getMessage().startsWith(manifest + ": 9 bad lines of 11:"), e.getMessage());
  }

  @Test
  void skipsBadLinesOnlyWhenAskedAndWarnsWithTheirReasons() throws IOException {
    Path manifest = manifestWithEveryProblem();
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    Corpus corpus;
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      corpus = Corpus.load(manifest, LoadOptions.of(TargetKind.LABEL).skippingBadLines());
    } finally {
      System.setErr(err);
    }

    assertEquals(List.of("good.wav", "also-good.wav"),
        corpus.utterances().stream().map(u -> u.entry().audio()).toList());
    assertEquals(9, corpus.skipped().size());
    String warning = captured.toString(StandardCharsets.UTF_8);
    assertTrue(warning.contains("9 bad lines of 11"), warning);
    assertTrue(warning.contains("left out these 9 lines"), warning);
    for (ManifestProblem p : corpus.skipped()) {
      assertTrue(warning.contains(p.toString()), "warning lacks " + p);
    }
  }

  /** Lines 1 and 10 are good; the others each break one rule. */
  private Path manifestWithEveryProblem() throws IOException {
    CorpusFixtures.tone(dir.resolve("good.wav"), 8000, 1);
    Files.write(dir.resolve("corrupt.wav"), Arrays.copyOf(Files.readAllBytes(dir.resolve("good.wav")), 30));
    Files.writeString(dir.resolve("text.wav"), "this is not audio\n");
    Files.write(dir.resolve("zero-bytes.wav"), new byte[0]);
    WavWriter.writePcm16(dir.resolve("no-samples.wav"), new Audio(new float[0], 16000));
    CorpusFixtures.tone(dir.resolve("unlabelled.wav"), 8000, 3);
    CorpusFixtures.tone(dir.resolve("wrong-duration.wav"), 8000, 4);
    CorpusFixtures.tone(dir.resolve("also-good.wav"), 4000, 5);
    Path manifest = CorpusFixtures.manifest(dir.resolve("train.jsonl"), List.of(
        CorpusFixtures.labelled("good.wav", 0.5, "yes"),
        CorpusFixtures.labelled("missing.wav", 0.5, "yes"),
        CorpusFixtures.labelled("corrupt.wav", 0.5, "yes"),
        CorpusFixtures.labelled("text.wav", 0.5, "yes"),
        CorpusFixtures.labelled("zero-bytes.wav", 0.5, "yes"),
        CorpusFixtures.labelled("no-samples.wav", 0.5, "yes"),
        CorpusFixtures.labelled("unlabelled.wav", 0.5, " ")));
    String lines = Files.readString(manifest)
        + "{\"audio\": \"broken.wav\", \"duration\": \n"
        + Manifest.GSON.toJson(CorpusFixtures.labelled("wrong-duration.wav", 3.0, "no")) + "\n"
        + Manifest.GSON.toJson(CorpusFixtures.labelled("also-good.wav", 0.25, "no")) + "\n"
        + Manifest.GSON.toJson(CorpusFixtures.labelled("./good.wav", 0.5, "no")) + "\n";
    Files.writeString(manifest, lines);
    return manifest;
  }

  private static void assertProblem(ManifestProblem p, String audio, String reason) {
    assertEquals(audio, p.audio(), p.toString());
    assertTrue(p.reason().contains(reason), p + " should say " + reason);
  }

  @Test
  void anUnreadableFileIsABadLine() throws IOException {
    Path wav = CorpusFixtures.tone(dir.resolve("locked.wav"), 1600, 1);
    Files.setPosixFilePermissions(wav, PosixFilePermissions.fromString("---------"));
    assumeFalse(Files.isReadable(wav), "permissions do not bind this user (root)");
    Path manifest = CorpusFixtures.manifest(dir.resolve("m.jsonl"),
        List.of(CorpusFixtures.labelled("locked.wav", 0.1, "yes")));

    CorpusException e = assertThrows(CorpusException.class,
        () -> Corpus.load(manifest, LoadOptions.of(TargetKind.LABEL)));

    assertProblem(e.problems().get(0), "locked.wav", "not readable (permission denied)");
  }

  @Test
  void transcriptTasksNeedEncodableTranscripts() throws IOException {
    CorpusFixtures.tone(dir.resolve("a.wav"), 1600, 1);
    CorpusFixtures.tone(dir.resolve("b.wav"), 1600, 2);
    CorpusFixtures.tone(dir.resolve("c.wav"), 1600, 3);
    Path manifest = CorpusFixtures.manifest(dir.resolve("asr.jsonl"), List.of(
        CorpusFixtures.transcribed("a.wav", 0.1, "it's fine"),
        CorpusFixtures.transcribed("b.wav", 0.1, "Upper Case 42"),
        CorpusFixtures.labelled("c.wav", 0.1, "yes")));

    CorpusException e = assertThrows(CorpusException.class,
        () -> Corpus.load(manifest, LoadOptions.of(TargetKind.TRANSCRIPT)));

    assertEquals(2, e.problems().size(), e.getMessage());
    assertProblem(e.problems().get(0), "b.wav", "outside a-z, space and apostrophe: \"UC42\"");
    assertProblem(e.problems().get(1), "c.wav", "no transcript");
  }

  @Test
  void labelsOutsideTheTrainingVocabularyAreBadLines() throws IOException {
    CorpusFixtures.tone(dir.resolve("a.wav"), 1600, 1);
    CorpusFixtures.tone(dir.resolve("b.wav"), 1600, 2);
    Path manifest = CorpusFixtures.manifest(dir.resolve("dev.jsonl"), List.of(
        CorpusFixtures.labelled("a.wav", 0.1, "yes"), CorpusFixtures.labelled("b.wav", 0.1, "maybe")));
    LabelVocabulary training = LabelVocabulary.of(List.of("no", "yes"));

    CorpusException e = assertThrows(CorpusException.class,
        () -> Corpus.load(manifest, LoadOptions.of(TargetKind.LABEL).withVocabulary(training)));

    assertEquals(1, e.problems().size());
    assertProblem(e.problems().get(0), "b.wav", "\"maybe\" is not one of the 2 training labels");
  }

  @Test
  void audioOnlyCorporaNeedNoTargets() throws IOException {
    CorpusFixtures.tone(dir.resolve("a.wav"), 1600, 1);
    Path manifest = CorpusFixtures.manifest(dir.resolve("m.jsonl"),
        List.of(new ManifestEntry("a.wav", 0.1, null, null, null, null)));

    assertEquals(1, Corpus.load(manifest, LoadOptions.of(TargetKind.NONE)).size());
  }

  @Test
  void cachedAudioIsDecodedOnceAndMatchesTheFile() throws IOException {
    Path wav = CorpusFixtures.tone(dir.resolve("a.wav"), 1600, 1);
    Path manifest = CorpusFixtures.manifest(dir.resolve("m.jsonl"),
        List.of(CorpusFixtures.labelled("a.wav", 0.1, "yes")));
    Corpus plain = Corpus.load(manifest, LoadOptions.of(TargetKind.LABEL));
    Corpus cached = Corpus.load(manifest, LoadOptions.of(TargetKind.LABEL).cachingAudio());

    assertArrayEquals(plain.samples(0), cached.samples(0));
    Files.delete(wav);
    assertSame(cached.samples(0), cached.samples(0));
    IOException gone = assertThrows(IOException.class, () -> plain.samples(0));
    assertTrue(gone.getMessage().contains("a.wav"), gone.getMessage());
  }

  @Test
  void lineNumbersCountBlankLines() throws IOException {
    CorpusFixtures.tone(dir.resolve("a.wav"), 1600, 1);
    CorpusFixtures.tone(dir.resolve("b.wav"), 1600, 2);
    Path manifest = dir.resolve("m.jsonl");
    Files.writeString(manifest, Manifest.GSON.toJson(CorpusFixtures.labelled("a.wav", 0.1, "yes"))
        + "\r\n\n" + Manifest.GSON.toJson(CorpusFixtures.labelled("b.wav", 0.1, "no")) + "\n");

    Corpus corpus = Corpus.load(manifest, LoadOptions.of(TargetKind.LABEL));

    assertEquals(List.of(1, 3), corpus.utterances().stream().map(Utterance::line).toList());
  }

  /** A data chunk declaring more bytes than the file has is in the header: loading sees it. */
  @Test
  void aTruncatedWavIsStillABadLineWhenLoading() throws IOException {
    Path whole = CorpusFixtures.tone(dir.resolve("whole.wav"), 8000, 1);
    byte[] bytes = Files.readAllBytes(whole);
    Files.write(dir.resolve("cut.wav"), Arrays.copyOf(bytes, bytes.length - 100));
    Path manifest = CorpusFixtures.manifest(dir.resolve("m.jsonl"),
        List.of(CorpusFixtures.labelled("cut.wav", 0.5, "yes")));

    CorpusException e = assertThrows(CorpusException.class,
        () -> Corpus.load(manifest, LoadOptions.of(TargetKind.LABEL)));

    assertProblem(e.problems().get(0), "cut.wav", "undecodable audio: truncated WAV: chunk 'data' "
        + "declares 16000 bytes but only 15900 follow");
  }

  /**
   * Loading reads headers only: a FLAC whose every frame is noise loads, with the length its
   * STREAMINFO declares, and fails when its samples are asked for, naming the line and the file.
   * Caching decodes while loading, so there it is a bad line.
   */
  @Test
  void audioThatOnlyDecodingRefusesLoadsAndFailsOnUse() throws IOException {
    Path noise = dir.resolve("audio/noise.flac");
    Files.createDirectories(noise.getParent());
    byte[] flac = Files.readAllBytes(testResource("/audio/flac/s16_mono.flac"));
    byte[] garbage = new byte[flac.length - FLAC_FIXTURE_FRAMES];
    new Random(7).nextBytes(garbage);
    System.arraycopy(garbage, 0, flac, FLAC_FIXTURE_FRAMES, garbage.length);
    Files.write(noise, flac);
    CorpusFixtures.tone(dir.resolve("audio/good.wav"), 1600, 1);
    Path manifest = CorpusFixtures.manifest(dir.resolve("m.jsonl"), List.of(
        CorpusFixtures.labelled("audio/good.wav", 0.1, "yes"),
        CorpusFixtures.labelled("audio/noise.flac", 0.5625, "no")));

    Corpus corpus = Corpus.load(manifest, LoadOptions.of(TargetKind.LABEL));

    assertEquals(9000, corpus.get(1).samples());
    assertEquals(1600, corpus.samples(0).length);
    IOException e = assertThrows(IOException.class, () -> corpus.samples(1));
    assertTrue(e.getMessage().startsWith(
        manifest + ":2: " + noise.toAbsolutePath() + ": undecodable audio: "), e.getMessage());
    assertTrue(e.getMessage().contains("FLAC"), e.getMessage());

    CorpusException cached = assertThrows(CorpusException.class,
        () -> Corpus.load(manifest, LoadOptions.of(TargetKind.LABEL).cachingAudio()));
    assertEquals(1, cached.problems().size());
    assertProblem(cached.problems().get(0), "audio/noise.flac", "undecodable audio: ");
  }

  @Test
  void aFlacWithOneCorruptFrameLoadsButFailsOnUse() throws IOException {
    byte[] flac = Files.readAllBytes(testResource("/audio/flac/s16_stereo.flac"));
    flac[flac.length / 2] ^= 0x5A;
    Path file = Files.write(dir.resolve("damaged.flac"), flac);
    Path manifest = CorpusFixtures.manifest(dir.resolve("m.jsonl"),
        List.of(CorpusFixtures.labelled("damaged.flac", 0.5625, "yes")));

    Corpus corpus = Corpus.load(manifest, LoadOptions.of(TargetKind.LABEL));

    IOException e = assertThrows(IOException.class, () -> corpus.samples(0));
    assertTrue(e.getMessage().startsWith(manifest + ":1: " + file.toAbsolutePath() + ": "),
        e.getMessage());
    assertTrue(e.getMessage().contains("undecodable audio: corrupt FLAC"), e.getMessage());
  }

  /** Where sox puts the first frame of the FLAC fixtures, after three metadata blocks. */
  private static final int FLAC_FIXTURE_FRAMES = 136;

  private static Path testResource(String name) {
    try {
      return Path.of(CorpusTest.class.getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aMissingOrEmptyManifestIsAClearError() throws IOException {
    IOException missing = assertThrows(IOException.class,
        () -> Corpus.load(dir.resolve("nope.jsonl"), LoadOptions.of(TargetKind.LABEL)));
    assertTrue(missing.getMessage().contains("nope.jsonl"), missing.getMessage());

    Path empty = Files.writeString(dir.resolve("empty.jsonl"), "\n\n");
    IOException none = assertThrows(IOException.class,
        () -> Corpus.load(empty, LoadOptions.of(TargetKind.LABEL)));
    assertEquals(empty + ": manifest has no entries", none.getMessage());
  }
}
