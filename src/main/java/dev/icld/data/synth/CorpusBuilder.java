package dev.icld.data.synth;

import dev.icld.audio.Audio;
import dev.icld.audio.WavWriter;
import dev.icld.data.Manifest;
import dev.icld.data.ManifestEntry;
import dev.icld.data.ProgressBar;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Builds a corpus: checks the tools, plans every clip, renders the clips in parallel (each from
 * its own plan and seed, so the number of workers never changes a byte), then writes the
 * manifests in plan order and the card.
 */
public final class CorpusBuilder {
  /** Written first into a corpus folder, so a rebuild may clear a half-built corpus. */
  static final String MARKER = ".icld-corpus";
  private static final String WORK = ".work";
  private static final int SPEECH_BATCH = 16;
  private static final int FESTIVAL_BATCH = 48;
  private static final int OTHER_BATCH = 64;
  /** Mean power (-70 dBFS) under which an engine's output is taken to be silence. */
  private static final double AUDIBLE_SPEECH = 1e-7;

  private final Tools tools;
  private final PrintStream err;

  public CorpusBuilder(Tools tools, PrintStream err) {
    this.tools = tools;
    this.err = err;
  }

  /** What a build made, for the final summary. */
  public record Result(CorpusRequest request, CorpusStats stats, double seconds) {
    public String summary() {
      StringBuilder s = new StringBuilder();
      s.append(String.format(Locale.ROOT, "%s corpus (%s, seed %d) in %s%n", request.task().id(),
          request.size().id(), request.seed(), request.out()));
      for (var e : stats.splits.entrySet()) {
        CorpusStats.SplitStats split = e.getValue();
        s.append(String.format(Locale.ROOT, "  %-5s %7d clips  %7.3f h  %4d speakers  %3d labels%n",
            e.getKey().id(), split.clips, split.hours(), split.speakers.size(),
            split.labels.size()));
      }
      s.append(String.format(Locale.ROOT, "  total %7d clips  %7.3f h  %4d speakers%n",
          stats.clips(), stats.hours(), stats.speakers()));
      s.append(String.format(Locale.ROOT, "built in %s (%.1f clips/s); card: %s%n",
          ProgressBar.formatDuration(seconds), stats.clips() / Math.max(seconds, 1e-9),
          request.out().resolve("CARD.md")));
      return s.toString();
    }
  }

  public Result build(CorpusRequest request) throws IOException {
    long start = System.nanoTime();
    tools.require(request.task());
    // Absolute, because the engines run in scratch folders of their own.
    Path out = request.out().toAbsolutePath();
    prepareOutput(out);
    Path work = Files.createDirectories(out.resolve(WORK));
    ExecutorService pool = Executors.newFixedThreadPool(request.jobs());
    try {
      Recipe recipe = recipe(request, pool, work);
      List<ClipPlan> plans = recipe.plan();
      ManifestEntry[] entries = render(request, out, recipe, plans, pool, work);
      for (Split split : Split.values()) {
        List<ManifestEntry> lines = new ArrayList<>();
        for (ClipPlan plan : plans) {
          if (plan.split() == split) {
            lines.add(entries[plan.index()]);
          }
        }
        Manifest.write(out.resolve(split.manifestName()), lines);
      }
      CorpusStats stats = new CorpusStats(plans, entries);
      CorpusCard.write(out, request, stats, recipe.notes());
      return new Result(request, stats, (System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdownNow();
      deleteTree(work);
    }
  }

  private Recipe recipe(CorpusRequest request, ExecutorService pool, Path work)
      throws IOException {
    return switch (request.task()) {
      case KWS -> new KwsRecipe(request.size(), request.classes(), request.seed(),
          noiseBank(pool, work), TextSources.dictionaryWords(tools.dictionary(),
              Set.copyOf(KwsRecipe.VOCABULARY)));
      case SID -> new SidRecipe(request.size(), request.seed(), TextSources.fortuneSentences(
          tools.fortunes(), TextSources.lexicon(tools.dictionary())));
      case ASR -> new AsrRecipe(request.size(), request.seed(), TextSources.fortuneSentences(
          tools.fortunes(), TextSources.lexicon(tools.dictionary())));
      case SOUND -> {
        List<Recording> recordings = DebianRecordings.load(tools, pool, work);
        yield new SoundRecipe(request.size(), request.seed(), recordings,
            NoiseBank.create(recordings, new Sox(tools.program(Tools.SOX)), work));
      }
    };
  }

  private NoiseBank noiseBank(ExecutorService pool, Path work) throws IOException {
    List<Recording> recordings = DebianRecordings.load(tools, pool, work);
    return NoiseBank.create(recordings, new Sox(tools.program(Tools.SOX)), work);
  }

  private ManifestEntry[] render(CorpusRequest request, Path out, Recipe recipe,
      List<ClipPlan> plans, ExecutorService pool, Path work) throws IOException {
    List<Voice> espeakVoices = plans.stream()
        .filter(p -> p.speech() != null && p.speech().voice().engine() == Engine.ESPEAK)
        .map(p -> p.speech().voice())
        .distinct()
        .sorted(Comparator.comparing(Voice::id))
        .toList();
    SpeechSynthesizer synthesizer = new SpeechSynthesizer(tools,
        new EspeakVoiceDirs(tools.espeakData(), espeakVoices, work));
    ManifestEntry[] entries = new ManifestEntry[plans.size()];
    ProgressBar progress = new ProgressBar(request.task().id() + " " + request.size().id(),
        plans.size(), err);
    List<Future<?>> pending = new ArrayList<>();
    for (List<ClipPlan> batch : batches(plans)) {
      pending.add(pool.submit(() -> {
        renderBatch(out, recipe, synthesizer, batch, work, entries, progress);
        return null;
      }));
    }
    for (Future<?> f : pending) {
      Futures.get(f);
    }
    progress.close();
    return entries;
  }

  private static void renderBatch(Path out, Recipe recipe, SpeechSynthesizer synthesizer,
      List<ClipPlan> batch, Path work, ManifestEntry[] entries, ProgressBar progress)
      throws IOException {
    Path scratch = Files.createTempDirectory(work, "batch");
    try {
      List<float[]> speech = null;
      if (batch.get(0).speech() != null) {
        speech = synthesizer.synthesize(batch.stream().map(ClipPlan::speech).toList(), scratch);
      }
      for (int i = 0; i < batch.size(); i++) {
        ClipPlan plan = batch.get(i);
        if (speech != null && Signals.meanSquare(speech.get(i), 0, speech.get(i).length)
            < AUDIBLE_SPEECH) {
          throw new IOException(plan.speech().voice().describe() + " produced no audible speech"
              + " for \"" + plan.speech().text() + "\"");
        }
        Clip clip = recipe.render(plan, speech == null ? null : speech.get(i));
        String tag = plan.label() != null ? plan.label() : plan.speaker();
        String audio = String.format(Locale.ROOT, "audio/%s/%06d_%s.wav", plan.split().id(),
            plan.index(), tag);
        WavWriter.writePcm16(out.resolve(audio), new Audio(clip.samples(), Sox.RATE));
        entries[plan.index()] = new ManifestEntry(audio, clip.samples().length / (double) Sox.RATE,
            plan.label(), plan.transcript(), plan.speaker(), clip.source(), clip.snr());
        progress.step();
      }
    } finally {
      deleteTree(scratch);
    }
  }

  /**
   * Groups clips into work units: festival clips sorted by voice, many per process because its
   * start-up is slow; other speech a few per unit; audio-only clips in larger units. The
   * slowest units go first so the workers finish together.
   */
  static List<List<ClipPlan>> batches(List<ClipPlan> plans) {
    List<List<ClipPlan>> batches = new ArrayList<>();
    List<ClipPlan> festival = plans.stream()
        .filter(p -> p.speech() != null && p.speech().voice().engine() == Engine.FESTIVAL)
        .sorted(Comparator.comparing((ClipPlan p) -> p.speech().voice().engineVoice())
            .thenComparingInt(ClipPlan::index))
        .toList();
    chunk(festival, FESTIVAL_BATCH, batches);
    chunk(plans.stream()
        .filter(p -> p.speech() != null && p.speech().voice().engine() == Engine.FLITE)
        .toList(), SPEECH_BATCH, batches);
    // espeak-ng batches hold one speaker each: SpeechSynthesizer speaks them in one go.
    Map<Voice, List<ClipPlan>> espeak = new TreeMap<>(Comparator.comparing(Voice::id));
    for (ClipPlan p : plans) {
      if (p.speech() != null && p.speech().voice().engine() == Engine.ESPEAK) {
        espeak.computeIfAbsent(p.speech().voice(), v -> new ArrayList<>()).add(p);
      }
    }
    for (List<ClipPlan> speaker : espeak.values()) {
      chunk(speaker, SPEECH_BATCH, batches);
    }
    chunk(plans.stream().filter(p -> p.speech() == null).toList(), OTHER_BATCH, batches);
    return batches;
  }

  private static void chunk(List<ClipPlan> plans, int size, List<List<ClipPlan>> into) {
    for (int from = 0; from < plans.size(); from += size) {
      into.add(plans.subList(from, Math.min(plans.size(), from + size)));
    }
  }

  /**
   * Makes {@code out} an empty corpus folder. A folder holding anything but an earlier corpus is
   * refused rather than cleared, so a wrong --out never deletes someone's files.
   */
  static void prepareOutput(Path out) throws IOException {
    if (Files.exists(out)) {
      if (!Files.isDirectory(out)) {
        throw new IOException(out + ": exists and is not a folder");
      }
      boolean empty;
      try (Stream<Path> list = Files.list(out)) {
        empty = list.findAny().isEmpty();
      }
      if (!empty) {
        if (!Files.exists(out.resolve(MARKER))) {
          throw new IOException(out + ": folder is not empty and holds no icld corpus; choose a"
              + " new or empty folder for --out");
        }
        for (String name : List.of("audio", WORK, "train.jsonl", "dev.jsonl", "test.jsonl",
            "CARD.md", "card.json")) {
          deleteTree(out.resolve(name));
        }
      }
    }
    Files.createDirectories(out);
    Files.writeString(out.resolve(MARKER), "made by icld synth; a rebuild may replace this folder\n");
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
