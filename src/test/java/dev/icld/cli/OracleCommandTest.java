package dev.icld.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.icld.data.LabelVocabulary;
import dev.icld.data.Manifest;
import dev.icld.data.ManifestEntry;
import dev.icld.eval.OracleAnalysis;
import dev.icld.eval.OracleReport;
import dev.icld.model.Checkpoints;
import dev.icld.model.LayerDrop;
import dev.icld.model.Task;
import dev.icld.model.TaskModel;
import dev.icld.selection.StaticSubsets;
import dev.icld.train.MaskTargets;
import dev.icld.train.TinySetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * icld oracle on a tiny untrained 4-layer classifier whose static subsets are the last k layers:
 * the invariants every oracle report keeps, whatever the model has learnt.
 */
class OracleCommandTest {
  private static final int LAYERS = 4;

  @TempDir static Path temp;
  private static Path data;
  private static Path model;

  @BeforeAll
  static void modelWithStaticSubsets() throws IOException {
    data = TinySetup.corpus(temp.resolve("data"), 2, 4, 5);
    model = temp.resolve("model");
    try (TaskModel m = TaskModel.create(Checkpoints.randomlyInitialised(TinySetup.config(LAYERS),
        2), Task.KWS, LabelVocabulary.of(List.of("high", "low", "mid")), LayerDrop.none(), 1)) {
      m.save(model);
    }
    Map<Integer, StaticSubsets.Entry> lastK = new HashMap<>();
    for (int k = 1; k <= LAYERS; k++) {
      boolean[] mask = new boolean[LAYERS];
      for (int i = LAYERS - k; i < LAYERS; i++) {
        mask[i] = true;
      }
      lastK.put(k, new StaticSubsets.Entry(mask, 0));
    }
    new StaticSubsets(LAYERS, "greedy-drop", lastK).save(model);
  }

  private static CliRun.Result oracle(Path modelDir, String budgets, String candidates, Path out) {
    return CliRun.run("oracle", "--model", modelDir.toString(), "--data", data.toString(),
        "--budgets", budgets, "--candidates", candidates, "--seed", "3", "--resamples", "50",
        "--out", out.toString());
  }

  @Test
  void theOraclesKeepTheirInvariants() throws IOException {
    Path out = temp.resolve("oracle");
    CliRun.Result r = oracle(model, "2,1", "3", out);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains(OracleAnalysis.LOSS_ORACLE), r.out());
    String markdown = Files.readString(out.resolve(OracleReport.MARKDOWN));
    assertTrue(markdown.contains("## k = 1"));
    assertTrue(markdown.contains("The class-conditional oracle's masks"), markdown);
    JsonObject report = JsonParser.parseString(Files.readString(out.resolve(OracleReport.JSON)))
        .getAsJsonObject();
    int testUtterances = report.get("test_utterances").getAsInt();
    List<String> testLabels = Manifest.read(data.resolve("test.jsonl")).stream()
        .map(ManifestEntry::label).toList();
    LabelVocabulary labels = LabelVocabulary.of(List.of("high", "low", "mid"));
    MaskTargets targets = MaskTargets.read(out.resolve(OracleReport.JSON), "kws", labels, LAYERS);
    assertEquals(List.of(1, 2), targets.budgets());
    assertEquals(12, testUtterances);
    assertEquals(12, report.get("dev_utterances").getAsInt());
    assertEquals(List.of(2, 1), report.getAsJsonArray("budgets").asList().stream()
        .map(b -> b.getAsJsonObject().get("budget").getAsInt()).toList());
    // k = 2: first-k, static (the last two) and 3 of the 4 other pairs; k = 1: all 4 layers.
    Map<Integer, Integer> expectedCandidates = Map.of(2, 5, 1, 4);
    for (JsonElement element : report.getAsJsonArray("budgets")) {
      JsonObject budget = element.getAsJsonObject();
      int keep = budget.get("budget").getAsInt();
      List<JsonObject> candidates = objects(budget, "candidates");
      assertEquals(expectedCandidates.get(keep), candidates.size());
      Set<List<Integer>> distinct = new HashSet<>();
      for (JsonObject c : candidates) {
        List<Integer> layers = c.getAsJsonArray("layers").asList().stream()
            .map(JsonElement::getAsInt).toList();
        assertEquals(keep, layers.size());
        distinct.add(layers);
      }
      assertEquals(candidates.size(), distinct.size(), "candidates are distinct");

      int staticBest = budget.get("static_by_search_candidate").getAsInt();
      assertTrue(staticBest >= 0 && staticBest < candidates.size());
      double bestDev = candidates.stream().mapToDouble(c -> c.get("dev_accuracy").getAsDouble())
          .max().orElseThrow();
      assertEquals(bestDev, candidates.get(staticBest).get("dev_accuracy").getAsDouble());

      Map<String, JsonObject> rows = new HashMap<>();
      objects(budget, "rows").forEach(row -> rows.put(row.get("name").getAsString(), row));
      assertEquals(Set.of(OracleAnalysis.STATIC_BY_SEARCH, OracleAnalysis.MODEL_STATIC,
          OracleAnalysis.LOSS_ORACLE, OracleAnalysis.ACCURACY_ORACLE,
          OracleAnalysis.CLASS_ORACLE, OracleAnalysis.FAMILY_ORACLE,
          OracleAnalysis.SEEN_ORACLE), rows.keySet());
      for (JsonObject row : rows.values()) {
        List<Integer> chosen = row.getAsJsonArray("candidate_per_test_utterance").asList()
            .stream().map(JsonElement::getAsInt).toList();
        assertEquals(testUtterances, chosen.size());
        assertTrue(chosen.stream().allMatch(c -> c >= 0 && c < candidates.size()));
        double masks = row.getAsJsonObject("mask_variation").get("distinct_masks").getAsDouble();
        assertEquals(new HashSet<>(chosen).size(), masks, 0);
        // Every split speaks with one voice family, so dev has each test group.
        assertEquals(0, row.get("fallback_utterances").getAsInt());
      }
      JsonObject staticBySearch = rows.get(OracleAnalysis.STATIC_BY_SEARCH);
      assertEquals(candidates.get(staticBest).get("test_accuracy").getAsDouble(),
          staticBySearch.get("accuracy").getAsDouble(), 1e-12);
      JsonObject modelStatic = rows.get(OracleAnalysis.MODEL_STATIC);
      int staticCandidate = modelStatic.getAsJsonArray("candidate_per_test_utterance").get(0)
          .getAsInt();
      assertEquals(List.of(LAYERS - keep), candidates.get(staticCandidate)
          .getAsJsonArray("layers").asList().subList(0, 1).stream().map(JsonElement::getAsInt)
          .toList());

      double oracleLoss = rows.get(OracleAnalysis.LOSS_ORACLE).get("mean_loss").getAsDouble();
      double anyRight = rows.get(OracleAnalysis.ACCURACY_ORACLE).get("accuracy").getAsDouble();
      for (JsonObject c : candidates) {
        assertTrue(oracleLoss <= c.get("test_mean_loss").getAsDouble() + 1e-12, c.toString());
        assertTrue(anyRight >= c.get("test_accuracy").getAsDouble() - 1e-12, c.toString());
      }
      for (JsonObject row : rows.values()) {
        assertTrue(anyRight >= row.get("accuracy").getAsDouble() - 1e-12, row.toString());
        JsonObject variation = row.getAsJsonObject("mask_variation");
        assertTrue(variation.get("most_common_mask_share").getAsDouble() > 0);
      }
      // class_masks: the class-conditional oracle's masks, which icld train-selector reads back.
      List<Integer> classChoice = rows.get(OracleAnalysis.CLASS_ORACLE)
          .getAsJsonArray("candidate_per_test_utterance").asList().stream()
          .map(JsonElement::getAsInt).toList();
      JsonObject classMasks = budget.getAsJsonObject(MaskTargets.FIELD);
      for (int u = 0; u < testUtterances; u++) {
        String label = testLabels.get(u);
        float[] target = targets.target(keep, labels.indexOf(label));
        boolean[] ran = new boolean[LAYERS];
        candidates.get(classChoice.get(u)).getAsJsonArray("layers")
            .forEach(layer -> ran[layer.getAsInt()] = true);
        for (int layer = 0; layer < LAYERS; layer++) {
          assertEquals(ran[layer] ? 1f : 0f, target[layer], "k = " + keep + ", " + label);
        }
        assertEquals(candidates.get(classChoice.get(u)).get("layers"), classMasks.get(label));
      }
      double gap = rows.get(OracleAnalysis.LOSS_ORACLE).get("minus_static_by_search")
          .getAsDouble();
      assertEquals(rows.get(OracleAnalysis.LOSS_ORACLE).get("accuracy").getAsDouble()
          - staticBySearch.get("accuracy").getAsDouble(), gap, 1e-12);
    }
  }

  @Test
  void badInputIsRefusedWithAClearMessage() throws IOException {
    Path out = temp.resolve("refused");
    CliRun.Result noModel = oracle(temp.resolve("no-such-model"), "2", "3", out);
    assertEquals(1, noModel.code());
    assertTrue(noModel.err().contains("no-such-model") && noModel.err().contains("icld.json"),
        noModel.err());
    CliRun.Result tooDeep = oracle(model, "5", "3", out);
    assertEquals(1, tooDeep.code());
    assertTrue(tooDeep.err().contains("budget 5 outside 1..4"), tooDeep.err());
    CliRun.Result noCandidates = oracle(model, "2", "0", out);
    assertEquals(1, noCandidates.code());
    assertTrue(noCandidates.err().contains("--candidates must be at least 1"),
        noCandidates.err());
    CliRun.Result asr = oracle(TinySetup.untrainedAsrModel(temp.resolve("asr")), "1", "3", out);
    assertEquals(1, asr.code());
    assertTrue(asr.err().contains("covers classification"), asr.err());
    assertTrue(!Files.exists(out), "nothing is written for refused input");
  }

  private static List<JsonObject> objects(JsonObject parent, String name) {
    List<JsonObject> objects = new ArrayList<>();
    parent.getAsJsonArray(name).forEach(e -> objects.add(e.getAsJsonObject()));
    return objects;
  }
}
