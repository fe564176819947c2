package dev.icld.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.icld.bench.Benchmark.DepthResult;
import dev.icld.bench.Benchmark.InputResult;
import dev.icld.bench.Benchmark.ModelResult;
import dev.icld.bench.Benchmark.Timing;
import dev.icld.runtime.LatencyModel;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report's PyTorch comparison and deadline sections from made-up numbers. */
class BenchmarkReportTest {
  private static DepthResult depth(int k, double djlTotal) {
    Timing t = new Timing(djlTotal, djlTotal);
    return new DepthResult(k, t, t, t, t);
  }

  private static List<Benchmark.StageTiming> stages(Timing each) {
    return List.of(new Benchmark.StageTiming("power spectrum", each),
        new Benchmark.StageTiming("positional conv", new Timing(2.1, 2)));
  }

  private static BenchmarkReport report(DeadlineExperiment.Report deadline) {
    PyTorchEager.InputTiming oneSecond = new PyTorchEager.InputTiming(new Timing(100, 90), 2.5e-5, false);
    PyTorchEager.InputTiming tenSeconds = new PyTorchEager.InputTiming(new Timing(1000, 950), 4e-5, false);
    List<DepthResult> depths = List.of(depth(4, 105), depth(2, 50), depth(1, 25), depth(0, 5));
    List<DepthResult> long10 = List.of(depth(4, 1200), depth(2, 500), depth(1, 250), depth(0, 50));
    Timing small = new Timing(0.1, 0.1);
    ModelResult measured = new ModelResult("m", "shape", 4, List.of(
        new InputResult(1, depths, stages(small), small, 0.001, small, oneSecond),
        new InputResult(10, long10, stages(small), small, 0.001, small, tenSeconds)),
        "torch 1.13.1, torchaudio 0.13.1 (/usr/bin/python3), 2 threads");
    ModelResult unmeasured = new ModelResult("w", "shape", 4, List.of(
        new InputResult(1, depths, stages(small), small, 0.001, small, null)),
        "not measured (python3-torch not installed)");
    return new BenchmarkReport("./icld bench", new Machine(2, "cpu", "java", "linux", Instant.EPOCH),
        2, "2", new Benchmark.Settings(List.of(1.0, 10.0), 1, 2, 2, 1), List.of(measured, unmeasured),
        1, 1, deadline, null);
  }

  @Test
  void djlOverPyTorchIsCheckedAgainstItsTarget() {
    BenchmarkReport r = report(null);
    List<BenchmarkReport.Check> pytorch = r.checks().stream()
        .filter(c -> c.what().equals("DJL over PyTorch eager, full model")).toList();
    assertEquals(2, pytorch.size());
    assertEquals(1.05, pytorch.get(0).value(), 1e-9);
    assertTrue(pytorch.get(0).passes());
    assertEquals(1.2, pytorch.get(1).value(), 1e-9);
    assertFalse(pytorch.get(1).passes());
    String text = r.text();
    assertTrue(text.contains(pytorch.get(0).line()), text);
    assertTrue(pytorch.get(0).line().matches("PASS m +1 s +DJL over PyTorch eager, full model +1\\.0500 "
        + "\\(target <= 1\\.100\\)"), pytorch.get(0).line());
    assertTrue(text.contains("w: not measured (python3-torch not installed)"), text);
    assertTrue(text.contains("2.5e-05"), text);
    String md = r.markdown();
    assertTrue(md.contains("## DJL eager against PyTorch eager"), md);
    assertTrue(md.contains("| m     | 10 s  | 4/4    | 1200.0 / 1200.0 | 1000.0 / 950.0 |        1.20 |"), md);
    assertFalse(md.contains("## Deadline controller"), md);
    assertTrue(md.contains("| m     | 1 s   | positional conv | 2.1 / 2.0 |          2.0% |"), md);
    assertTrue(r.checks().stream().anyMatch(c -> c.what().equals("selector time over DJL full model")
        && c.target() == BenchmarkReport.SELECTOR_TIME_TARGET && c.target() == 0.005));
    JsonObject o = JsonParser.parseString(r.json()).getAsJsonObject();
    JsonObject first = o.getAsJsonArray("models").get(0).getAsJsonObject();
    assertEquals("torch 1.13.1, torchaudio 0.13.1 (/usr/bin/python3), 2 threads",
        first.get("pytorch_eager").getAsString());
    JsonObject input = first.getAsJsonArray("inputs").get(0).getAsJsonObject();
    assertEquals(100, input.getAsJsonObject("pytorch_total_ms").get("median").getAsDouble());
    assertEquals(90, input.getAsJsonObject("pytorch_total_ms").get("min").getAsDouble());
    assertEquals(2.5e-5, input.get("pytorch_max_abs_difference").getAsDouble());
    JsonObject second = o.getAsJsonArray("models").get(1).getAsJsonObject();
    assertFalse(second.getAsJsonArray("inputs").get(0).getAsJsonObject().has("pytorch_total_ms"));
    assertFalse(o.has("deadline_experiment"));
  }

  @Test
  void timesOnTheReferenceBlasAreShownButNotChecked() {
    PyTorchEager.InputTiming slow = new PyTorchEager.InputTiming(new Timing(5000, 4900), 1e-5, true);
    List<DepthResult> depths = List.of(depth(4, 105), depth(2, 50), depth(1, 25), depth(0, 5));
    Timing small = new Timing(0.1, 0.1);
    ModelResult m = new ModelResult("m", "shape", 4, List.of(
        new InputResult(1, depths, stages(small), small, 0.001, small, slow)), "torch (reference BLAS)");
    BenchmarkReport r = new BenchmarkReport("./icld bench", new Machine(2, "cpu", "java", "linux",
        Instant.EPOCH), 2, "2", new Benchmark.Settings(List.of(1.0), 1, 2, 2, 1), List.of(m), 1, 1,
        null, null);
    assertTrue(r.checks().stream().noneMatch(c -> c.what().contains("PyTorch")));
    assertTrue(r.text().contains("5000.0 / 4900.0"), r.text());
  }

  @Test
  void theDeadlineTableGoesIntoEveryForm() {
    DeadlineExperiment.Report deadline = new DeadlineExperiment.Report("first-k", 4, 30, true, 50,
        1.2, new LatencyModel(5, 1, 2, 3), 16, 2, 8, "accuracy", List.of(
            new DeadlineExperiment.Row("deadline:30.0ms", "off", 8, 1, 0.875, 3.5, 25, 29),
            new DeadlineExperiment.Row("4 layers", "off", 8, 0.25, 1, 4, 45, 60)));
    BenchmarkReport r = report(deadline);
    assertTrue(r.text().contains("deadline 30.0 ms (default: 60% of the calibrated full-depth "
        + "latency 50.0 ms of a 1.20 s utterance, the test split's mean)"), r.text());
    assertTrue(r.text().matches("(?s).*deadline:30\\.0ms +off +8 +100\\.0% +87\\.5% +3\\.50 +25\\.0 +29\\.0\n.*"),
        r.text());
    String md = r.markdown();
    assertTrue(md.contains("## Deadline controller under a changing load"), md);
    assertTrue(md.contains("| budget          | load | calls | met deadline | accuracy |"), md);
    JsonObject o = JsonParser.parseString(r.json()).getAsJsonObject().getAsJsonObject("deadline_experiment");
    assertEquals(30, o.get("deadline_ms").getAsDouble());
    assertEquals(2, o.getAsJsonArray("rows").size());
    assertEquals(0.875, o.getAsJsonArray("rows").get(0).getAsJsonObject().get("accuracy").getAsDouble());
  }
}
