package dev.icld.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.icld.data.LabelVocabulary;
import dev.icld.data.Manifest;
import dev.icld.data.ManifestEntry;
import dev.icld.eval.EvaluationReport;
import dev.icld.model.Checkpoints;
import dev.icld.model.LayerDrop;
import dev.icld.model.Task;
import dev.icld.model.TaskModel;
import dev.icld.train.TinySetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * icld eval's "voices never heard in training" breakdown on a tiny tone corpus whose speakers
 * carry icld synth ids, laid out like a synth corpus: espeak-ng speakers in every split, one
 * recorded family trained on, others only on dev or test.
 */
class HeldOutVoicesEvalTest {
  /** Per split, the speakers its utterances take in turn. */
  private static final Map<String, List<String>> SPEAKERS = Map.of(
      "train", List.of("espeak-us-v000", "flite-slt-p00", "espeak-rp-v002"),
      "dev", List.of("espeak-gb-v001", "flite-rms-p00"),
      "test", List.of("espeak-sc-v003", "flite-awb-p00", "festival-ked-p01", "flite-slt-p01"));
  private static final Map<String, Boolean> TEST_FAMILIES_SEEN = Map.of("espeak-ng", true,
      "flite-slt", true, "flite-awb", false, "festival-ked", false);

  @TempDir static Path temp;
  private static Path voices;
  private static Path kwsModel;

  @BeforeAll
  static void corpusWithSynthSpeakersAndAModel() throws IOException {
    System.setProperty("java.awt.headless", "true");
    voices = TinySetup.corpus(temp.resolve("voices"), 4, 4, 9);
    for (Map.Entry<String, List<String>> split : SPEAKERS.entrySet()) {
      Path manifest = voices.resolve(split.getKey() + ".jsonl");
      List<ManifestEntry> entries = new ArrayList<>();
      List<ManifestEntry> original = Manifest.read(manifest);
      for (int i = 0; i < original.size(); i++) {
        ManifestEntry e = original.get(i);
        entries.add(new ManifestEntry(e.audio(), e.duration(), e.label(), e.transcript(),
            split.getValue().get(i % split.getValue().size()), e.source()));
      }
      Manifest.write(manifest, entries);
    }
    kwsModel = temp.resolve("kws-model");
    try (TaskModel model = TaskModel.create(
        Checkpoints.randomlyInitialised(TinySetup.config(2), 2), Task.KWS,
        LabelVocabulary.of(List.of("high", "low", "mid")), LayerDrop.none(), 1)) {
      model.save(kwsModel);
    }
  }

  private static CliRun.Result eval(Path data, Path model, String methods, Path out) {
    return CliRun.run("eval", "--model", model.toString(), "--data", data.toString(),
        "--methods", methods, "--budgets", "1", "--out", out.toString(), "--resamples", "50",
        "--warmup", "0");
  }

  private static JsonObject report(Path out) throws IOException {
    return JsonParser.parseString(Files.readString(out.resolve(EvaluationReport.JSON)))
        .getAsJsonObject();
  }

  private static Map<String, JsonObject> methods(JsonObject split) {
    Map<String, JsonObject> byName = new HashMap<>();
    for (JsonElement e : split.getAsJsonArray("methods")) {
      JsonObject m = e.getAsJsonObject();
      byName.put(m.get("method").getAsString()
          + (m.has("budget") ? "@" + m.get("budget").getAsInt() : ""), m);
    }
    return byName;
  }

  @Test
  void testAndDevAreSplitIntoVoicesSeenAndHeldOutFromTraining() throws IOException {
    Path out = temp.resolve("report");
    CliRun.Result r = eval(voices, kwsModel, "full,random,scratch-cnn", out);
    assertEquals(0, r.code(), r.err());
    JsonObject report = report(out);
    JsonObject section = report.getAsJsonObject("voices");
    assertEquals(List.of("espeak-ng", "flite-slt"),
        section.getAsJsonArray("training_families").asList().stream()
            .map(JsonElement::getAsString).toList());

    JsonObject test = section.getAsJsonObject("test");
    assertTrue(test.get("applies").getAsBoolean(), test.toString());
    int utterances = report.get("test_utterances").getAsInt();
    int seen = test.get("seen_utterances").getAsInt();
    int heldOut = test.get("held_out_utterances").getAsInt();
    assertEquals(utterances, seen + heldOut);
    int familyTotal = 0;
    Map<String, Boolean> labelled = new HashMap<>();
    for (JsonElement e : test.getAsJsonArray("families")) {
      JsonObject f = e.getAsJsonObject();
      labelled.put(f.get("family").getAsString(), f.get("seen").getAsBoolean());
      familyTotal += f.get("utterances").getAsInt();
    }
    assertEquals(TEST_FAMILIES_SEEN, labelled);
    assertEquals(utterances, familyTotal);

    Map<String, JsonObject> rows = methods(test);
    assertEquals(List.of("full@2", "random@1", "scratch-cnn"),
        rows.keySet().stream().sorted().toList());
    for (JsonObject row : rows.values()) {
      JsonObject s = row.getAsJsonObject("seen");
      JsonObject h = row.getAsJsonObject("held_out");
      assertEquals(seen, s.get("utterances").getAsInt());
      assertEquals(heldOut, h.get("utterances").getAsInt());
      assertEquals(h.get("value").getAsDouble() - s.get("value").getAsDouble(),
          row.get("gap").getAsDouble(), 1e-12, row.toString());
      JsonArray gap = row.getAsJsonArray("gap_ci95");
      assertTrue(gap.get(0).getAsDouble() <= gap.get(1).getAsDouble(), row.toString());
      assertEquals(TEST_FAMILIES_SEEN.keySet(), row.getAsJsonObject("by_family").keySet());
    }
    // The two groups partition the test set, so together they give the whole set's accuracy.
    JsonObject full = rows.get("full@2");
    double whole = report.getAsJsonArray("results").get(0).getAsJsonObject().get("accuracy")
        .getAsDouble();
    assertEquals(whole, (full.getAsJsonObject("seen").get("value").getAsDouble() * seen
        + full.getAsJsonObject("held_out").get("value").getAsDouble() * heldOut) / utterances,
        1e-9);

    JsonObject dev = section.getAsJsonObject("dev");
    assertTrue(dev.get("applies").getAsBoolean(), dev.toString());
    assertEquals(12, dev.get("seen_utterances").getAsInt() + dev.get("held_out_utterances")
        .getAsInt());
    assertEquals(List.of("full@2"), methods(dev).keySet().stream().toList());
    assertEquals(Map.of("espeak-ng", true, "flite-rms", false), familiesSeen(dev));

    String markdown = Files.readString(out.resolve(EvaluationReport.MARKDOWN));
    assertTrue(markdown.contains("## Voices never heard in training"), markdown);
    assertTrue(markdown.contains("| flite-awb | held out | "), markdown);
    assertTrue(markdown.contains("### Dev split, full depth"), markdown);
    assertTrue(r.out().contains("held-out voices: accuracy "), r.out());
    assertTrue(r.out().contains("held-out voices (dev): accuracy "), r.out());
  }

  private static Map<String, Boolean> familiesSeen(JsonObject split) {
    Map<String, Boolean> seen = new HashMap<>();
    for (JsonElement e : split.getAsJsonArray("families")) {
      seen.put(e.getAsJsonObject().get("family").getAsString(),
          e.getAsJsonObject().get("seen").getAsBoolean());
    }
    return seen;
  }

  @Test
  void speakersWithoutSynthIdsShareOneFamilySoTheCheckDoesNotApply() throws IOException {
    Path plain = TinySetup.corpus(temp.resolve("plain"), 2, 2, 4);
    Path out = temp.resolve("report-plain");
    CliRun.Result r = eval(plain, kwsModel, "full", out);
    assertEquals(0, r.code(), r.err());
    JsonObject section = report(out).getAsJsonObject("voices");
    for (String split : List.of("test", "dev")) {
      JsonObject s = section.getAsJsonObject(split);
      assertFalse(s.get("applies").getAsBoolean(), s.toString());
      assertTrue(s.get("reason").getAsString().contains("none is held out"), s.toString());
      assertFalse(s.has("methods"), s.toString());
    }
    assertTrue(r.out().contains("held-out voices: does not apply"), r.out());
    assertTrue(Files.readString(out.resolve(EvaluationReport.MARKDOWN))
        .contains("On test it does not apply: every test voice family (other)"));
  }

  @Test
  void asrComparesWordErrorRates() throws IOException {
    Path asrModel = TinySetup.untrainedAsrModel(temp.resolve("asr-model"));
    Path out = temp.resolve("report-asr");
    CliRun.Result r = eval(voices, asrModel, "full", out);
    assertEquals(0, r.code(), r.err());
    JsonObject test = report(out).getAsJsonObject("voices").getAsJsonObject("test");
    assertEquals("wer", test.get("metric").getAsString());
    assertTrue(methods(test).get("full@2").getAsJsonObject("held_out").get("value")
        .getAsDouble() >= 0);
    assertTrue(r.out().contains("held-out voices: WER "), r.out());
  }
}
