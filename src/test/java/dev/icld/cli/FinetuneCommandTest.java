package dev.icld.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.icld.model.Checkpoints;
import dev.icld.model.FoundationModel;
import dev.icld.model.TaskModel;
import dev.icld.train.TinySetup;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class FinetuneCommandTest {
  @TempDir Path temp;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private Path randomModel() throws IOException {
    Path dir = temp.resolve("random-init");
    try (FoundationModel model = Checkpoints.randomlyInitialised(TinySetup.config(2), 1)) {
      Checkpoints.save(model, dir);
    }
    return dir;
  }

  @Test
  void finetunesEvaluatesAndWritesAModelDirectory() throws IOException {
    Path data = TinySetup.corpus(temp.resolve("data"), 4, 2, 3);
    Path out = temp.resolve("out");
    String[] args = {"finetune", "--model", randomModel().toString(), "--task", "kws", "--data",
        data.toString(), "--out", out.toString(), "--layer-drop", "early-exit", "--max-steps", "3",
        "--batch-seconds", "1.5", "--lr", "1e-3"};

    Run first = run(args);

    assertEquals(0, first.code(), first.err());
    assertTrue(first.out().contains("dev          full depth (2 layers): accuracy"), first.out());
    assertTrue(first.out().contains("test         full depth (2 layers): accuracy"), first.out());
    try (TaskModel model = TaskModel.load(out)) {
      assertEquals(List.of(1, 2), model.exits());
    }
    JsonObject summary = JsonParser.parseString(
        Files.readString(out.resolve("training/summary.json"))).getAsJsonObject();
    assertEquals(3, summary.get("steps").getAsInt());
    assertTrue(Files.exists(out.resolve("training/metrics.jsonl")));
    assertTrue(Files.exists(out.resolve("evaluation.json")));
    assertEquals(0, run("inspect", out.toString()).code());

    // The same command again finds the finished run and only re-evaluates.
    Run again = run(args);
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("trained 3 steps"), again.out());

    // More steps on the same --out would silently continue the finished run: refused.
    String[] longer = args.clone();
    longer[12] = "6";
    Run refused = run(longer);
    assertEquals(1, refused.code(), refused.out());
    assertTrue(refused.err().contains(out.resolve("training")
        + ": holds a fine-tuning run with other options"), refused.err());
    assertTrue(refused.err().contains("max steps 3") && refused.err().contains("max steps 6"),
        refused.err());
    assertEquals(1, refused.err().strip().lines().count(), refused.err());
  }

  @Test
  void aDivergingRunIsOneClearLine() throws IOException {
    Path data = TinySetup.corpus(temp.resolve("data"), 4, 2, 3);
    Run r = run("finetune", "--model", randomModel().toString(), "--task", "kws", "--data",
        data.toString(), "--out", temp.resolve("out").toString(), "--max-steps", "3",
        "--batch-seconds", "1.5", "--lr", "1e30");
    assertEquals(1, r.code(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().startsWith("icld finetune: training loss is "), r.err());
    assertTrue(r.err().contains("lower the learning rate"), r.err());
  }

  @Test
  void aMissingDataDirectoryIsOneClearLine() throws IOException {
    Path missing = temp.resolve("nope");
    Run r = run("finetune", "--model", randomModel().toString(), "--task", "kws", "--data",
        missing.toString(), "--out", temp.resolve("out").toString());
    assertEquals(1, r.code());
    assertEquals("icld finetune: " + missing + ": data directory not found", r.err().strip());
  }

  @Test
  void aDirectoryThatIsNotAModelIsOneClearLine() throws IOException {
    Path data = TinySetup.corpus(temp.resolve("data"), 1, 1, 3);
    Run r = run("finetune", "--model", data.toString(), "--task", "kws", "--data",
        data.toString(), "--out", temp.resolve("out").toString());
    assertEquals(1, r.code());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().startsWith("icld finetune: " + data + ": no model.safetensors"), r.err());
  }

  @Test
  void anUnknownTaskOrModeIsOneClearLine() throws IOException {
    Run r = run("finetune", "--model", "m", "--task", "speech", "--data", "d", "--out", "o");
    assertEquals(1, r.code());
    assertTrue(r.err().strip().startsWith("icld finetune: unknown task \"speech\""), r.err());
    r = run("finetune", "--model", "m", "--task", "asr", "--data", "d", "--out", "o",
        "--layer-drop", "sometimes");
    assertTrue(r.err().strip().startsWith("icld finetune: unknown layer-drop mode"), r.err());
  }
}
