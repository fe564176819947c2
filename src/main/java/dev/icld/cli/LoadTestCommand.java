package dev.icld.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.icld.audio.Audio;
import dev.icld.audio.AudioFiles;
import dev.icld.bench.LoadTest;
import dev.icld.files.AtomicFiles;
import dev.icld.runtime.DynamicSpeechModel;
import dev.icld.runtime.InferenceBudget;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code icld load-test --model DIR --clips DIR}: the Java API under a long concurrent load with
 * budgets changing per call; prints the resident set as it goes and its slope at the end.
 */
@Command(
    name = "load-test",
    mixinStandardHelpOptions = true,
    description = "Run many infer calls on one model from several threads, each call under the "
        + "next budget of a rotation, sampling the process's resident set (VmRSS); print its "
        + "least-squares slope in MiB per 1,000 calls. Exit status 1 when any call failed.")
final class LoadTestCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "model directory written by icld finetune")
  Path modelDir;

  @Option(names = "--clips", required = true, paramLabel = "DIR",
      description = "folder of .wav or .flac clips, read once into memory; call i runs clip "
          + "i mod their count")
  Path clipsDir;

  @Option(names = "--calls", defaultValue = "10000", paramLabel = "N",
      description = "infer calls in all (default: ${DEFAULT-VALUE})")
  int calls;

  @Option(names = "--threads", defaultValue = "8", paramLabel = "N",
      description = "threads calling at once (default: ${DEFAULT-VALUE})")
  int threads;

  @Option(names = "--sample-every", defaultValue = "500", paramLabel = "N",
      description = "read the resident set after every N calls (default: ${DEFAULT-VALUE})")
  int sampleEvery;

  @Option(names = "--budgets", paramLabel = "LIST",
      description = "budgets in rotation, as infer --budget takes them (deadlines aside), "
          + "comma-separated (default: 12,9,6,3,1,0.25 and adaptive:0.5 where the model has a "
          + "selector)")
  String budgets;

  @Mixin EngineOption engine;

  @Option(names = "--json", paramLabel = "FILE", description = "also write the figures here")
  Path jsonFile;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    List<Audio> clips = new ArrayList<>();
    for (Path file : AudioFiles.inFolder(clipsDir)) {
      clips.add(AudioFiles.read(file));
    }
    try (DynamicSpeechModel model =
        DynamicSpeechModel.load(modelDir, engine.chosen())) {
      List<InferenceBudget> rotation = rotation(model);
      for (InferenceBudget budget : rotation) {
        model.check(budget, null);
      }
      LoadTest.Options options = new LoadTest.Options(calls, threads, sampleEvery, rotation);
      out.printf(Locale.ROOT, "load test    %s on %s: %d calls from %d threads over %d clips of "
              + "%s, budgets %s; resident set every %d calls%n", modelDir, model.engine(), calls,
          threads, clips.size(), clipsDir, rotation, sampleEvery);
      out.flush();
      // Once before the clock and the first sample, so that they do not measure the engine's start.
      model.infer(clips.get(0), rotation.get(0));
      LoadTest.Result result = LoadTest.run(model, clips, options);
      for (LoadTest.Sample s : result.samples()) {
        out.printf(Locale.ROOT, "calls %6d  %7.1f s  resident %7.1f MiB  heap %6.1f MiB%n",
            s.calls(), s.seconds(), mib(s.residentBytes()), mib(s.heapBytes()));
      }
      out.printf(Locale.ROOT, "%d calls in %.1f s (%.1f calls/s) from %d threads, %d failed; "
              + "resident set slope %+.3f MiB per 1,000 calls (second half %+.3f); live arrays "
              + "%d before, %d after%n", calls, result.seconds(), calls / result.seconds(),
          threads, result.failures(), result.residentSlopeMibPerThousandCalls(),
          result.secondHalfSlopeMibPerThousandCalls(), result.liveArraysBefore(),
          result.liveArraysAfter());
      for (LoadTest.Failure f : result.firstFailures()) {
        out.printf("failed call %d (budget %s): %s%n", f.call(), f.budget(), f.error());
      }
      out.flush();
      if (jsonFile != null) {
        AtomicFiles.writeString(jsonFile, json(result, model.engine()));
      }
      return result.failures() == 0 ? 0 : 1;
    }
  }

  private List<InferenceBudget> rotation(DynamicSpeechModel model) {
    String text = budgets != null ? budgets
        : "12,9,6,3,1,0.25" + (model.hasSelector() ? ",adaptive:0.5" : "");
    List<InferenceBudget> parsed = new ArrayList<>();
    for (String part : text.split(",")) {
      InferenceBudget budget = InferenceBudget.parse(part.trim());
      if (budget.isDeadline()) {
        throw new IllegalArgumentException("--budgets \"" + text + "\": deadlines are not "
            + "load-tested (their controller measures latency, which the load itself changes)");
      }
      parsed.add(budget);
    }
    return parsed;
  }

  private String json(LoadTest.Result result, String engineName) {
    JsonObject o = new JsonObject();
    o.addProperty("model", modelDir.toString());
    o.addProperty("engine", engineName);
    o.addProperty("clips", clipsDir.toString());
    o.addProperty("calls", calls);
    o.addProperty("threads", threads);
    o.addProperty("sample_every", sampleEvery);
    o.addProperty("seconds", result.seconds());
    o.addProperty("failures", result.failures());
    o.addProperty("resident_slope_mib_per_1000_calls", result.residentSlopeMibPerThousandCalls());
    o.addProperty("second_half_resident_slope_mib_per_1000_calls",
        result.secondHalfSlopeMibPerThousandCalls());
    o.addProperty("live_arrays_before", result.liveArraysBefore());
    o.addProperty("live_arrays_after", result.liveArraysAfter());
    JsonObject perBudget = new JsonObject();
    result.callsPerBudget().forEach((budget, n) -> {
      JsonObject b = new JsonObject();
      b.addProperty("calls", n);
      b.addProperty("mean_kept_layers",
          n == 0 ? Double.NaN : result.keptLayersPerBudget().get(budget) / (double) n);
      perBudget.add(budget, b);
    });
    o.add("budgets", perBudget);
    JsonArray samples = new JsonArray();
    for (LoadTest.Sample s : result.samples()) {
      JsonObject sample = new JsonObject();
      sample.addProperty("calls", s.calls());
      sample.addProperty("seconds", s.seconds());
      sample.addProperty("resident_bytes", s.residentBytes());
      sample.addProperty("heap_bytes", s.heapBytes());
      samples.add(sample);
    }
    o.add("samples", samples);
    JsonArray failures = new JsonArray();
    for (LoadTest.Failure f : result.firstFailures()) {
      JsonObject failure = new JsonObject();
      failure.addProperty("call", f.call());
      failure.addProperty("budget", f.budget());
      failure.addProperty("error", f.error());
      failures.add(failure);
    }
    o.add("first_failures", failures);
    return new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create()
        .toJson(o) + "\n";
  }

  private static double mib(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }
}
