package dev.icld.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class InspectCommandTest {
  private static String fixture(String name) throws URISyntaxException {
    return Path.of(InspectCommandTest.class.getResource("/dev/icld/model/fixtures/" + name).toURI())
        .toString();
  }

  @Test
  void printsArchitectureParametersFlopsAndLoadTime() throws Exception {
    CliRun.Result r = CliRun.run("inspect", fixture("base"), "--seconds", "1");
    assertEquals(0, r.code(), r.err());
    String text = r.out();
    assertTrue(text.contains("type         wav2vec2 (Wav2Vec2Model), post-LN layers, group-norm"), text);
    assertTrue(text.contains("3 layers, hidden 32, 4 heads, feed-forward 64"), text);
    assertTrue(text.contains("(8, k10, s5) (12, k3, s2) (16, k2, s2)"), text);
    assertTrue(text.contains("encoder.layers.2"), text);
    assertTrue(text.matches("(?s).*\\n\\s+3\\s+\\d+\\.\\d{3}\\n.*"), text);
    assertTrue(text.contains("load time"), text);
  }

  @Test
  void jsonReportCountsEveryParameterAndEveryBudget() throws Exception {
    CliRun.Result r = CliRun.run("inspect", fixture("large"), "--json");
    assertEquals(0, r.code(), r.err());
    JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
    assertEquals("wav2vec2.", o.get("naming").getAsString());
    assertEquals(2, o.get("ignored_tensors").getAsJsonArray().size());
    assertEquals(3, o.get("gflops_per_second_by_kept_layers").getAsJsonArray().size());
    long sum = o.getAsJsonObject("parameters").entrySet().stream()
        .mapToLong(e -> e.getValue().getAsLong()).sum();
    assertEquals(o.get("parameters_total").getAsLong(), sum);
    // The fixture's layer: 4 * (32 * 32 + 32) + 2 * (32 * 64) + 64 + 32 + 4 * 32 = 8,544.
    assertEquals(8544, o.getAsJsonObject("parameters").get("encoder.layers.0").getAsLong());
  }

  @Test
  void aDirectoryThatIsNotAModelGivesOneErrorLine() {
    CliRun.Result r = CliRun.run("inspect", "/nonexistent/model");
    assertEquals(1, r.code());
    assertEquals("icld inspect: /nonexistent/model: no such directory (a model is a directory "
        + "with config.json and its weights)\n", r.err());
  }
}
