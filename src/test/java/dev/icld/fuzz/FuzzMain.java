package dev.icld.fuzz;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The long fuzzing campaign that scripts/fuzz.sh runs: every format (or the ones asked for), one
 * after the other, each for its share of the minutes. A format runs in a worker JVM of its own
 * with a bounded heap, so that an OutOfMemoryError is the input's and not the campaign's, and so
 * that a native crash kills only the worker: the supervisor then keeps the input that was being
 * read (the worker names it before each read), counts a crash and starts a new worker after it.
 * A worker also ends when a hung reader's thread will not stop, and is replaced the same way.
 * New failing inputs go straight into the format's regressions folder; the figures go to the
 * console and to {@code OUT/summary.json}.
 */
public final class FuzzMain {
  private static final Gson GSON = new Gson();
  private static final long MIB = 1 << 20;
  private static final String WORKER = "--worker";
  private static final String SEGMENT = "segment.json";
  private static final String IN_FLIGHT = "in-flight-index";

  private FuzzMain() {}

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    System.exit(options.worker ? runWorker(options) : supervise(options));
  }

  /** Command-line options, {@code --name value} each; see scripts/fuzz.sh for the user's part. */
  private record Options(boolean worker, Map<String, String> values) {
    static Options parse(String[] args) {
      boolean worker = false;
      Map<String, String> values = new HashMap<>();
      for (int i = 0; i < args.length; i++) {
        if (args[i].equals(WORKER)) {
          worker = true;
        } else if (args[i].startsWith("--") && i + 1 < args.length) {
          values.put(args[i].substring(2), args[++i]);
        } else {
          throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
        }
      }
      return new Options(worker, values);
    }

    String text(String name, String fallback) {
      return values.getOrDefault(name, fallback);
    }

    long number(String name, long fallback) {
      String value = values.get(name);
      try {
        return value == null ? fallback : Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--" + name + " must be a whole number, got " + value);
      }
    }
  }

  // ---------------------------------------------------------------------------------- worker

  /** Runs one format from {@code --from} until {@code --until}, then writes its segment. */
  private static int runWorker(Options options) throws IOException {
    FuzzCorpus corpus = new FuzzCorpus(Path.of(options.text("corpus", null)));
    FuzzTarget target = FuzzTargets.named(options.text("format", null), corpus.root());
    Path work = Path.of(options.text("work", null));
    Set<Long> crashers = new TreeSet<>();
    for (String index : options.text("skip", "").split(",")) {
      if (!index.isBlank()) {
        crashers.add(Long.parseLong(index));
      }
    }
    Duration inputTimeLimit = Duration.ofSeconds(options.number("input-time-limit-s", 10));
    // jflac prints debugging lines on stdout for some corrupt frames; the supervisor reads this
    // worker's reports there, so the reports get the real stdout and everything else none.
    PrintStream reports = System.out;
    System.setOut(new PrintStream(OutputStream.nullOutputStream()));
    try (Campaign campaign = new Campaign(target, corpus.seeds(target), work, inputTimeLimit);
        FileChannel inFlight = FileChannel.open(work.resolve(IN_FLIGHT),
            StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      Campaign.Result result = campaign.run(options.number("seed", 1), options.number("from", 0),
          options.number("inputs", Long.MAX_VALUE), options.number("until", 0),
          new Campaign.Observer() {
            @Override
            public Path failed(long index, Verdict verdict, byte[] input) throws IOException {
              Path kept = FuzzCorpus.saveFailure(corpus.regressionsFolder(target), target,
                  verdict, input);
              reports.printf("[%s] FAILURE %s at input %d (kept in %s): %s%n", target.name(),
                  verdict.kind().label(), index, kept, verdict.detail());
              return kept;
            }

            @Override
            public boolean skips(long index) {
              return crashers.contains(index);
            }

            @Override
            public void reading(long index) throws IOException {
              // One fixed-width write in place: a crash cannot leave half a number behind.
              inFlight.write(ByteBuffer.wrap(String.format(Locale.ROOT, "%020d", index)
                  .getBytes(StandardCharsets.US_ASCII)), 0);
            }

            @Override
            public void progress(Campaign.Result soFar) {
              reports.println(GSON.toJson(soFar));
            }
          });
      Files.writeString(work.resolve(SEGMENT), GSON.toJson(result));
    }
    return 0;
  }

  // ------------------------------------------------------------------------------ supervisor

  /** A format's figures over all its workers. */
  private static final class Totals {
    final String format;
    long inputs;
    long accepted;
    long refused;
    final List<Campaign.Failure> failures = new ArrayList<>();
    long peakHeapBytes;
    long maxAllocatedByOneInput;
    int workers;
    double seconds;

    Totals(String format) {
      this.format = format;
    }

    void add(Campaign.Result segment) {
      inputs += segment.inputs;
      accepted += segment.accepted;
      refused += segment.refused;
      failures.addAll(segment.failures);
      peakHeapBytes = Math.max(peakHeapBytes, segment.peakHeapBytes);
      maxAllocatedByOneInput = Math.max(maxAllocatedByOneInput, segment.maxAllocatedByOneInput);
    }

    long failuresOf(Verdict.Kind kind) {
      return failures.stream().filter(f -> f.kind().equals(kind.label())).count();
    }

    JsonObject toJson() {
      JsonObject o = new JsonObject();
      o.addProperty("format", format);
      o.addProperty("seconds", Math.round(seconds));
      o.addProperty("inputs", inputs);
      o.addProperty("inputsPerSecond", Math.round(inputs / Math.max(seconds, 1e-9)));
      o.addProperty("accepted", accepted);
      o.addProperty("refused", refused);
      o.addProperty("failures", failures.size());
      JsonObject byKind = new JsonObject();
      failures.stream().collect(Collectors.groupingBy(Campaign.Failure::kind, TreeMap::new,
          Collectors.counting())).forEach(byKind::addProperty);
      o.add("failuresByKind", byKind);
      o.addProperty("peakHeapMiB", peakHeapBytes / MIB);
      o.addProperty("maxAllocatedByOneInputMiB", maxAllocatedByOneInput / MIB);
      o.addProperty("workerJvms", workers);
      JsonArray list = new JsonArray();
      failures.forEach(f -> list.add(GSON.toJsonTree(f)));
      o.add("failureList", list);
      return o;
    }
  }

  private static int supervise(Options options) throws IOException, InterruptedException {
    Path corpusRoot = Path.of(options.text("corpus", "src/test/resources/fuzz"));
    Path out = Path.of(options.text("out", "target/fuzz"));
    String formatOption = options.text("format", "all");
    List<FuzzTarget> targets = formatOption.equals("all")
        ? FuzzTargets.all(corpusRoot)
        : List.of(formatOption.split(",")).stream()
            .map(name -> FuzzTargets.named(name.strip(), corpusRoot)).toList();
    long minutes = options.number("minutes", 60);
    if (minutes <= 0) {
      throw new IllegalArgumentException("--minutes must be positive, got " + minutes);
    }
    long share = Duration.ofMinutes(minutes).toMillis() / targets.size();
    Files.createDirectories(out);
    System.out.printf("fuzzing %s for %d min in all (%d s each), seed %d, per-input limit %d s, "
            + "worker heap %s; failing inputs go to %s/FORMAT/regressions%n",
        targets.stream().map(FuzzTarget::name).toList(), minutes, share / 1000,
        options.number("seed", 1), options.number("input-time-limit-s", 10),
        options.text("heap", "1g"), corpusRoot);
    List<Totals> all = new ArrayList<>();
    for (FuzzTarget target : targets) {
      all.add(fuzzFormat(options, target, corpusRoot, out, System.currentTimeMillis() + share));
      writeSummary(out, options, minutes, all);
    }
    printTable(all);
    System.out.println("summary: " + out.resolve("summary.json"));
    return all.stream().allMatch(t -> t.failures.isEmpty()) ? 0 : 1;
  }

  private static Totals fuzzFormat(Options options, FuzzTarget target, Path corpusRoot, Path out,
      long deadline) throws IOException, InterruptedException {
    Totals totals = new Totals(target.name());
    long start = System.nanoTime();
    Path work = out.resolve("work").resolve(target.name());
    Files.createDirectories(work);
    long maxInputs = options.number("inputs", Long.MAX_VALUE);
    long next = 0;
    Set<Long> crashers = new TreeSet<>();
    long seed = options.number("seed", 1);
    FuzzCorpus corpus = new FuzzCorpus(corpusRoot);
    MutatedInputs inputs = new MutatedInputs(target, corpus.seeds(target));
    while (System.currentTimeMillis() < deadline && totals.inputs < maxInputs) {
      Files.deleteIfExists(work.resolve(SEGMENT));
      Files.deleteIfExists(work.resolve(IN_FLIGHT));
      Process worker = startWorker(options, target, corpusRoot, work, next, deadline,
          maxInputs - totals.inputs, crashers);
      totals.workers++;
      Campaign.Result lastReport = forwardOutput(worker, totals, start);
      int exitCode = worker.waitFor();
      if (Files.exists(work.resolve(SEGMENT))) {
        Campaign.Result segment = GSON.fromJson(
            Files.readString(work.resolve(SEGMENT)), Campaign.Result.class);
        totals.add(segment);
        next = segment.nextIndex;
        if (segment.stoppedEarly == null) {
          break;
        }
        System.out.printf("[%s] %s: starting a new worker%n", target.name(), segment.stoppedEarly);
        continue;
      }
      String inFlight = Files.exists(work.resolve(IN_FLIGHT))
          ? Files.readString(work.resolve(IN_FLIGHT)).strip() : "";
      if (inFlight.isEmpty()) {
        throw new IOException("the " + target.name() + " worker JVM exited with code " + exitCode
            + " before reading any input (see the lines above)");
      }
      // The worker died on an input: keep it (made again from its number), skip it from now on,
      // and run again what came after the worker's last report, so every other input counts once.
      long crashed = Long.parseLong(inFlight);
      Verdict crash = Verdict.crash(exitCode);
      Path kept = FuzzCorpus.saveFailure(corpus.regressionsFolder(target),
          target, crash, inputs.get(seed, crashed));
      System.out.printf("[%s] FAILURE crash at input %d (kept in %s): %s%n", target.name(),
          crashed, kept, crash.detail());
      if (lastReport != null) {
        totals.add(lastReport);
        next = lastReport.nextIndex;
      }
      totals.inputs++;
      totals.failures.add(new Campaign.Failure(crashed, crash.kind().label(), crash.detail(),
          kept.toString()));
      crashers.add(crashed);
    }
    totals.seconds = (System.nanoTime() - start) / 1e9;
    return totals;
  }

  private static Process startWorker(Options options, FuzzTarget target, Path corpusRoot,
      Path work, long from, long deadline, long inputs, Set<Long> crashers) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java,
        "-Xmx" + options.text("heap", "1g"),
        // Few GC threads: the campaign shares the machine; errors logs stay in the work folder.
        "-XX:+UseSerialGC", "-XX:ErrorFile=" + work.resolve("hs_err_pid%p.log"),
        "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
        "-Dai.djl.pytorch.num_interop_threads=1",
        "-cp", System.getProperty("java.class.path"), FuzzMain.class.getName(), WORKER,
        "--corpus", corpusRoot.toString(), "--format", target.name(), "--work", work.toString(),
        "--seed", Long.toString(options.number("seed", 1)), "--from", Long.toString(from),
        "--until", Long.toString(deadline), "--inputs", Long.toString(inputs),
        "--input-time-limit-s", Long.toString(options.number("input-time-limit-s", 10)),
        "--skip", crashers.stream().map(String::valueOf).collect(Collectors.joining(","))));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("OMP_NUM_THREADS", "1");
    return builder.start();
  }

  /**
   * Shows the worker's progress reports as totals and passes its other lines through; returns
   * its last report (null if none).
   */
  private static Campaign.Result forwardOutput(Process worker, Totals totals, long startNanos)
      throws IOException {
    Campaign.Result last = null;
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (!line.startsWith("{")) {
          System.out.println(line);
          continue;
        }
        last = GSON.fromJson(line, Campaign.Result.class);
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long inputs = totals.inputs + last.inputs;
        System.out.printf(Locale.ROOT, "[%s] %4.0f s  %,d inputs (%,.0f/s): %,d accepted, %,d "
                + "refused, %d failures; peak heap %d MiB%n", totals.format, seconds, inputs,
            inputs / Math.max(seconds, 1e-9), totals.accepted + last.accepted,
            totals.refused + last.refused, totals.failures.size() + last.failures.size(),
            Math.max(totals.peakHeapBytes, last.peakHeapBytes) / MIB);
      }
    }
    return last;
  }

  private static void writeSummary(Path out, Options options, long minutes, List<Totals> all)
      throws IOException {
    JsonObject summary = new JsonObject();
    summary.addProperty("written", Instant.now().toString());
    summary.addProperty("minutes", minutes);
    summary.addProperty("seed", options.number("seed", 1));
    summary.addProperty("inputTimeLimitSeconds", options.number("input-time-limit-s", 10));
    summary.addProperty("workerHeap", options.text("heap", "1g"));
    JsonArray formats = new JsonArray();
    all.forEach(t -> formats.add(t.toJson()));
    summary.add("formats", formats);
    Files.writeString(out.resolve("summary.json"),
        new GsonBuilder().setPrettyPrinting().create().toJson(summary) + "\n");
  }

  private static void printTable(List<Totals> all) {
    System.out.printf("%n%-12s %7s %10s %10s %10s %9s %6s %5s %6s %10s %11s%n", "format",
        "seconds", "inputs", "accepted", "refused", "failures", "hangs", "OOMs", "crashes",
        "peak heap", "max/input");
    for (Totals t : all) {
      System.out.printf(Locale.ROOT, "%-12s %7.0f %,10d %,10d %,10d %9d %6d %5d %6d %6d MiB"
              + " %7d MiB%n", t.format, t.seconds, t.inputs, t.accepted, t.refused,
          t.failures.size(), t.failuresOf(Verdict.Kind.HANG),
          t.failuresOf(Verdict.Kind.OUT_OF_MEMORY), t.failuresOf(Verdict.Kind.CRASH),
          t.peakHeapBytes / MIB, t.maxAllocatedByOneInput / MIB);
    }
    for (Totals t : all) {
      t.failures.stream().limit(20).forEach(f -> System.out.println(t.format + " " + f));
    }
  }
}
