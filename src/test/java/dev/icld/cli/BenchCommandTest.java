package dev.icld.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {
  @TempDir Path dir;

  @Test
  void benchmarksAModelOnBothEnginesAndWritesJsonAndMarkdown() throws Exception {
    String model = Path.of(getClass().getResource("/dev/icld/model/fixtures/base").toURI()).toString();
    Path json = dir.resolve("out/bench.json");
    Path markdown = dir.resolve("BENCHMARKS.md");
    String[] r = CliRun.run("bench", "--model", model, "--seconds", "0.1,0.2", "--repeats", "1",
        "--warmups", "0", "--threads", "1", "--json", json.toString(), "--markdown", markdown.toString());
    assertEquals("0", r[0], r[2]);
    String text = r[1];
    assertTrue(text.contains("DJL front end"), text);
    assertTrue(text.contains("ORT over DJL, full model"), text);
    assertTrue(text.contains("not measured"), text);
    assertTrue(text.matches("(?s).*(PASS|MISS) base .*"), text);

    JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    assertEquals(1, o.get("repeats").getAsInt());
    assertTrue(o.get("command").getAsString().contains("bench --model"), o.get("command").getAsString());
    assertTrue(o.getAsJsonObject("machine").get("nproc").getAsInt() >= 1);
    JsonArray models = o.getAsJsonArray("models");
    assertEquals(1, models.size());
    JsonObject fixture = models.get(0).getAsJsonObject();
    assertEquals(3, fixture.get("layers").getAsInt());
    JsonArray inputs = fixture.getAsJsonArray("inputs");
    assertEquals(2, inputs.size());
    JsonArray depths = inputs.get(0).getAsJsonObject().getAsJsonArray("depths");
    // The fixture has 3 layers: full, half (1) and zero; a quarter rounds to zero too.
    assertEquals(3, depths.size());
    assertEquals(3, depths.get(0).getAsJsonObject().get("kept_layers").getAsInt());
    assertEquals(1, depths.get(1).getAsJsonObject().get("kept_layers").getAsInt());
    assertEquals(0, depths.get(2).getAsJsonObject().get("kept_layers").getAsInt());
    JsonObject full = depths.get(0).getAsJsonObject();
    for (String timing : new String[] {"djl_front_end_ms", "djl_encoder_ms", "djl_total_ms", "ort_total_ms"}) {
      JsonObject t = full.getAsJsonObject(timing);
      assertTrue(t.get("min").getAsDouble() > 0 && t.get("min").getAsDouble() <= t.get("median").getAsDouble(), timing);
    }
    assertTrue(o.get("peak_heap_bytes").getAsLong() > 0);
    // Half depth, ORT over DJL, selector FLOPs and selector time, for each of the two inputs.
    assertEquals(8, o.getAsJsonArray("checks").size());

    String md = Files.readString(markdown);
    assertTrue(md.startsWith("# Benchmarks\n"), md);
    assertTrue(md.contains("| model | input | layers |"), md);
    assertTrue(md.contains("./icld bench --model"), md);
    assertTrue(md.contains("cores (nproc)"), md);
  }

  @Test
  void aMissingModelDirectoryGivesOneErrorLine() {
    String[] r = CliRun.run("bench", "--model", "/nonexistent/model", "--repeats", "1");
    assertEquals("1", r[0]);
    assertEquals("icld bench: /nonexistent/model: no such directory (a model is a directory "
        + "with config.json and its weights)\n", r[2]);
  }
}
