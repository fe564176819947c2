package dev.icld.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.icld.data.LabelVocabulary;
import dev.icld.files.FileDigests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading icld oracle's class masks as targets for a 4-layer kws model of three classes. */
class MaskTargetsTest {
  private static final LabelVocabulary LABELS = LabelVocabulary.of(List.of("high", "low", "mid"));

  @TempDir Path temp;

  private Path oracle(String json) throws IOException {
    Path file = temp.resolve("oracle.json");
    Files.writeString(file, json);
    return file;
  }

  private String refusal(String json) throws IOException {
    Path file = oracle(json);
    String message = assertThrows(IOException.class,
        () -> MaskTargets.read(file, "kws", LABELS, 4)).getMessage();
    assertTrue(message.startsWith(file.toString()), message);
    return message;
  }

  @Test
  void readsEachBudgetsClassMasksAndNamesTheFileWithItsDigest() throws IOException {
    Path file = oracle("""
        {"task": "kws", "budgets": [
          {"budget": 2, "class_masks": {"high": [0, 3], "mid": [1, 2]}},
          {"budget": 1, "rows": []}]}""");
    MaskTargets targets = MaskTargets.read(file, "kws", LABELS, 4);
    assertEquals(List.of(2), targets.budgets());
    assertArrayEquals(new float[] {1, 0, 0, 1}, targets.target(2, LABELS.indexOf("high")));
    assertArrayEquals(new float[] {0, 1, 1, 0}, targets.target(2, LABELS.indexOf("mid")));
    assertNull(targets.target(2, LABELS.indexOf("low")), "a class without a mask has no target");
    assertNull(targets.target(1, LABELS.indexOf("high")), "a budget without masks has none");
    assertEquals(file + " (sha256 " + FileDigests.sha256(file) + ")", targets.source());
  }

  @Test
  void whatDoesNotFitTheModelIsRefusedNamingTheFile() throws IOException {
    assertTrue(refusal("""
        {"task": "sid", "budgets": [{"budget": 1, "class_masks": {"high": [0]}}]}""")
        .contains("its task is sid, the model's is kws"));
    assertTrue(refusal("""
        {"task": "kws", "budgets": [{"budget": 1, "class_masks": {"loud": [0]}}]}""")
        .contains("class \"loud\" is not one of the model's labels [high, low, mid]"));
    assertTrue(refusal("""
        {"task": "kws", "budgets": [{"budget": 2, "class_masks": {"high": [0]}}]}""")
        .contains("must keep exactly 2 distinct layers in 0..3"));
    assertTrue(refusal("""
        {"task": "kws", "budgets": [{"budget": 2, "class_masks": {"high": [1, 1]}}]}""")
        .contains("must keep exactly 2 distinct layers"));
    assertTrue(refusal("""
        {"task": "kws", "budgets": [{"budget": 2, "class_masks": {"high": [3, 4]}}]}""")
        .contains("must keep exactly 2 distinct layers in 0..3"));
    assertTrue(refusal("""
        {"task": "kws", "budgets": [{"budget": 5, "class_masks": {}}]}""")
        .contains("budget 5 outside 1..4"));
    assertTrue(refusal("""
        {"task": "kws", "budgets": [{"budget": 2, "rows": []}]}""")
        .contains("no budget has class_masks"));
    assertTrue(refusal("""
        {"task": "kws", "budgets": [{"budget": 2, "class_masks": {"high": "0,1"}}]}""")
        .contains("not an oracle.json with class_masks"));
    assertTrue(refusal("[1, 2]").contains("not an oracle.json"));
  }
}
