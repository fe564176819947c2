package dev.icld.data.synth;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.icld.audio.Audio;
import dev.icld.audio.WavWriter;
import dev.icld.data.Manifest;
import dev.icld.data.ManifestEntry;
import dev.icld.data.PhoneTargets;
import dev.icld.data.ProgressBar;
import dev.icld.files.AtomicFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One shard of the pretraining corpus: sentences and short phrases spoken by many synthetic
 * speakers, each utterance with its phone targets ({@link PhoneTargets}): timed phones from flite
 * and festival, the lexicon's phone sequence for espeak-ng. Every shard has speakers of its own, so
 * more shards mean more voices as well as more hours. Only the recorded voices that every
 * downstream corpus trains on are used: the dev and test families ({@link SpeakerSplits}) stay
 * unheard, and so do Pico and MBROLA; and only the sentences that downstream corpora keep for
 * training ({@link SentencePools}). Augmentation: sox tempo and reverberation, real noise at 0
 * to 30 dB SNR, random level.
 */
public final class PhoneCorpusBuilder {
  /** Files of a shard besides its audio folder. */
  static final String CARD_JSON = "card.json";
  static final double ESPEAK_SHARE = 0.5;
  static final double FLITE_SHARE = 0.25;
  static final double SHORT_PHRASE_SHARE = 0.15;
  static final int ESPEAK_SPEAKERS_PER_SHARD = 48;
  static final int RECORDED_SPEAKERS_PER_VOICE = 6;
  /** espeak-ng speaker numbers of shard s start here + s x 48: far above any downstream corpus. */
  static final int ESPEAK_FIRST_NUMBER = 5000;
  /** Perturbed recorded speakers of shard s start at p20 + s x 6 (downstream corpora use p00-p07). */
  static final int RECORDED_FIRST_NUMBER = 20;
  static final int DEV_EVERY = 50;
  private static final int FESTIVAL_BATCH = 48;
  private static final int SPEECH_BATCH = 16;
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  /**
   * @param out the shard's folder (new, empty, or an earlier shard)
   * @param shard which shard: decides its speakers and every random choice
   * @param utterances how many utterances (about 2,400 make 2 hours)
   * @param seed the corpus seed
   * @param jobs utterances made at once
   * @param otherLanguages the share of utterances from festival's voices of other languages
   *     ({@link FestivalVoice#otherLanguages}); 0 leaves every other choice as it was without them
   */
  public record Request(Path out, int shard, int utterances, long seed, int jobs,
      double otherLanguages) {
    public Request {
      if (!(otherLanguages >= 0 && otherLanguages <= 1)) {
        throw new IllegalArgumentException("--other-languages must be a share in 0..1, got "
            + otherLanguages);
      }
      if (shard < 0 || shard > 999) {
        throw new IllegalArgumentException("--shard must be 0..999, got " + shard);
      }
      if (utterances < 1) {
        throw new IllegalArgumentException("--utterances must be positive, got " + utterances);
      }
      if (jobs < 1) {
        throw new IllegalArgumentException("--jobs must be positive, got " + jobs);
      }
    }
  }

  /** One planned utterance; rendering it depends on nothing else. */
  record Plan(int index, boolean dev, SpeechRequest speech, double tempo, int reverberance,
      int roomScale, double snr, double peakDb, long seed) {
    String split() {
      return dev ? "dev" : "train";
    }

    /** sox effects after the voice's own: tempo, then reverberation. */
    List<String> effects() {
      List<String> effects = new ArrayList<>();
      if (tempo != 1.0) {
        effects.addAll(List.of("tempo", String.format(Locale.ROOT, "%.3f", tempo)));
      }
      if (reverberance > 0) {
        effects.addAll(List.of("gain", "-4", "reverb", String.valueOf(reverberance), "50",
            String.valueOf(roomScale)));
      }
      return effects;
    }

    String describe() {
      StringBuilder s = new StringBuilder(speech.voice().describe());
      if (tempo != 1.0) {
        s.append(String.format(Locale.ROOT, "; tempo %.3f", tempo));
      }
      if (reverberance > 0) {
        s.append(String.format(Locale.ROOT, "; reverb %d room %d", reverberance, roomScale));
      }
      return s.toString();
    }
  }

  /** A rendered utterance, or one left out ({@code leftOut}: why; entry and phones null). */
  private record Made(ManifestEntry entry, PhoneTargets.Entry phones, String leftOut) {}

  /** Left-out utterances a shard may have before it fails instead (a share of its plans). */
  static final double MAX_LEFT_OUT = 0.01;

  private final Tools tools;
  private final PrintStream err;

  public PhoneCorpusBuilder(Tools tools, PrintStream err) {
    this.tools = tools;
    this.err = err;
  }

  /** Builds the shard and returns a summary to print. */
  public String build(Request request) throws IOException {
    long start = System.nanoTime();
    tools.require(SynthTask.ASR);
    tools.require(SynthTask.KWS);
    if (request.otherLanguages() > 0) {
      tools.requireOtherLanguageVoices();
    }
    Path out = request.out().toAbsolutePath();
    CorpusBuilder.prepareOutput(out);
    CorpusBuilder.deleteTree(out.resolve(PhoneTargets.FILE));
    Path work = Files.createDirectories(out.resolve(".work"));
    ExecutorService pool = Executors.newFixedThreadPool(request.jobs());
    try {
      // Only sentences that no downstream dev or test split can hold (SentencePools splits
      // them by a hash of their text, whatever the corpus seed).
      List<String> sentences = TextSources.fortuneSentences(tools.fortunes(),
              TextSources.lexicon(tools.dictionary())).stream()
          .filter(s -> SentencePools.splitOf(s) == Split.TRAIN).toList();
      List<Plan> plans = plan(request, sentences);
      NoiseBank noise = NoiseBank.create(DebianRecordings.load(tools, pool, work),
          new Sox(tools.program(Tools.SOX)), work);
      TimedSpeech timed = new TimedSpeech(tools);
      TreeSet<String> espeakWords = new TreeSet<>();
      for (Plan p : plans) {
        if (p.speech().voice().engine() == Engine.ESPEAK) {
          espeakWords.addAll(List.of(p.speech().text().split(" ")));
        }
      }
      Map<String, List<String>> lexicon = timed.lexicon(espeakWords, work);
      List<Voice> espeakVoices = plans.stream().map(p -> p.speech().voice())
          .filter(v -> v.engine() == Engine.ESPEAK).distinct()
          .sorted(Comparator.comparing(Voice::id)).toList();
      SpeechSynthesizer espeak = new SpeechSynthesizer(tools,
          new EspeakVoiceDirs(tools.espeakData(), espeakVoices, work));
      Made[] made = new Made[plans.size()];
      ProgressBar progress = new ProgressBar("phones shard " + request.shard(), plans.size(), err);
      List<Future<?>> pending = new ArrayList<>();
      for (List<Plan> unit : units(plans)) {
        pending.add(pool.submit(() -> {
          renderUnit(unit, out, work, timed, espeak, lexicon, noise, made, progress);
          return null;
        }));
      }
      for (Future<?> f : pending) {
        Futures.get(f);
      }
      progress.close();
      List<Made> leftOut = java.util.Arrays.stream(made).filter(m -> m.leftOut() != null).toList();
      if (leftOut.size() > MAX_LEFT_OUT * plans.size()) {
        throw new IOException("festival failed on " + leftOut.size() + " of " + plans.size()
            + " utterances of shard " + request.shard() + ", more than "
            + Math.round(100 * MAX_LEFT_OUT) + "% (the first: " + leftOut.get(0).leftOut() + ")");
      }
      return write(request, out, plans, made, (System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdownNow();
      CorpusBuilder.deleteTree(work);
    }
  }

  static List<Plan> plan(Request request, List<String> sentences) {
    int shard = request.shard();
    List<FliteVoice> flite = new ArrayList<>();
    for (FliteVoice v : FliteVoice.values()) {
      if (SpeakerSplits.splitOf("flite-" + v.key()) == Split.TRAIN) {
        flite.add(v);
      }
    }
    List<FestivalVoice> festival = new ArrayList<>();
    for (FestivalVoice v : FestivalVoice.english()) {
      if (SpeakerSplits.splitOf("festival-" + v.key()) == Split.TRAIN) {
        festival.add(v);
      }
    }
    List<Plan> plans = new ArrayList<>(request.utterances());
    for (int i = 0; i < request.utterances(); i++) {
      SplittableRandom r = new SplittableRandom(
          StableHash.itemSeed(request.seed(), "phones-shard-" + shard, i));
      double engine = r.nextDouble();
      Voice voice;
      // a stream of its own, so that a shard without other languages draws as before they existed
      SplittableRandom language = new SplittableRandom(
          StableHash.itemSeed(request.seed(), "phones-shard-" + shard + "-language", i));
      if (request.otherLanguages() > 0 && language.nextDouble() < request.otherLanguages()) {
        List<FestivalVoice> others = FestivalVoice.otherLanguages();
        voice = VoiceBank.festival(others.get(language.nextInt(others.size())),
            RECORDED_FIRST_NUMBER + shard * RECORDED_SPEAKERS_PER_VOICE
                + language.nextInt(RECORDED_SPEAKERS_PER_VOICE));
      } else if (engine < ESPEAK_SHARE) {
        voice = VoiceBank.espeak(ESPEAK_FIRST_NUMBER + shard * ESPEAK_SPEAKERS_PER_SHARD
            + r.nextInt(ESPEAK_SPEAKERS_PER_SHARD));
      } else {
        int number = RECORDED_FIRST_NUMBER + shard * RECORDED_SPEAKERS_PER_VOICE
            + r.nextInt(RECORDED_SPEAKERS_PER_VOICE);
        voice = engine < ESPEAK_SHARE + FLITE_SHARE
            ? VoiceBank.flite(flite.get(r.nextInt(flite.size())), number)
            : VoiceBank.festival(festival.get(r.nextInt(festival.size())), number);
      }
      String text = sentences.get(r.nextInt(sentences.size()));
      if (r.nextDouble() < SHORT_PHRASE_SHARE) {
        String[] words = text.split(" ");
        int n = 1 + r.nextInt(3);
        int from = r.nextInt(words.length - n + 1);
        text = String.join(" ", List.of(words).subList(from, from + n));
      }
      double rate = 0.85 + 0.3 * r.nextDouble();
      boolean recorded = voice.engine() != Engine.ESPEAK;
      double tempo = recorded && r.nextDouble() < 0.3 ? round3(0.88 + 0.24 * r.nextDouble()) : 1.0;
      boolean reverb = r.nextDouble() < 0.3;
      int reverberance = reverb ? 20 + r.nextInt(60) : 0;
      int room = reverb ? 20 + r.nextInt(80) : 0;
      double snr = r.nextDouble() < 0.8 ? Math.floor(300 * r.nextDouble()) / 10.0 : Double.NaN;
      double peakDb = -1 - 19 * r.nextDouble();
      plans.add(new Plan(i, i % DEV_EVERY == 0, new SpeechRequest(voice, text, rate), tempo,
          reverberance, room, snr, peakDb, r.nextLong()));
    }
    return plans;
  }

  /** festival plans by voice, many per process; flite a few per unit; espeak-ng by speaker. */
  static List<List<Plan>> units(List<Plan> plans) {
    List<List<Plan>> units = new ArrayList<>();
    Map<String, List<Plan>> festival = new TreeMap<>();
    Map<String, List<Plan>> espeak = new TreeMap<>();
    List<Plan> flite = new ArrayList<>();
    for (Plan p : plans) {
      Voice v = p.speech().voice();
      switch (v.engine()) {
        case FESTIVAL -> festival.computeIfAbsent(v.engineVoice(), k -> new ArrayList<>()).add(p);
        case ESPEAK -> espeak.computeIfAbsent(v.id(), k -> new ArrayList<>()).add(p);
        case FLITE -> flite.add(p);
      }
    }
    festival.values().forEach(list -> chunk(list, FESTIVAL_BATCH, units));
    chunk(flite, SPEECH_BATCH, units);
    espeak.values().forEach(list -> chunk(list, SPEECH_BATCH, units));
    return units;
  }

  private static void chunk(List<Plan> plans, int size, List<List<Plan>> into) {
    for (int from = 0; from < plans.size(); from += size) {
      into.add(plans.subList(from, Math.min(plans.size(), from + size)));
    }
  }

  private static void renderUnit(List<Plan> unit, Path out, Path work, TimedSpeech timed,
      SpeechSynthesizer espeak, Map<String, List<String>> lexicon, NoiseBank noise, Made[] made,
      ProgressBar progress) throws IOException {
    Path scratch = Files.createTempDirectory(work, "unit");
    try {
      Engine engine = unit.get(0).speech().voice().engine();
      List<TimedSpeech.Result> results = new ArrayList<>();
      if (engine == Engine.FESTIVAL) {
        results = festival(unit, timed, scratch);
      } else if (engine == Engine.FLITE) {
        for (Plan p : unit) {
          results.add(timed.flite(p.speech(), p.effects(), 1 / p.tempo(), scratch));
        }
      } else {
        List<float[]> speech = espeak.synthesize(unit.stream().map(Plan::speech).toList(),
            scratch);
        for (int i = 0; i < unit.size(); i++) {
          float[] samples = speech.get(i);
          if (!unit.get(i).effects().isEmpty()) {
            Path wav = scratch.resolve("espeak.wav");
            WavWriter.writePcm16(wav, new Audio(samples, Sox.RATE));
            samples = timed.soxEffects(wav, unit.get(i).effects(), scratch);
          }
          results.add(new TimedSpeech.Result(samples, null));
        }
      }
      for (int i = 0; i < unit.size(); i++) {
        Plan p = unit.get(i);
        if (results.get(i).samples() == null) {
          made[p.index()] = new Made(null, null, results.get(i).failure());
          progress.step();
          continue;
        }
        float[] clip = results.get(i).samples();
        SplittableRandom r = new SplittableRandom(p.seed());
        String source = p.describe();
        Double snr = null;
        if (!Double.isNaN(p.snr())) {
          NoiseBank.Segment segment = noise.draw(r, clip.length);
          Signals.addAtSnr(clip, 0, clip.length, segment.samples(), p.snr());
          snr = p.snr();
          source += String.format(Locale.ROOT, "; noise %s at %.1f dB", segment.source(), snr);
        }
        Signals.normalizePeak(clip, Math.pow(10, p.peakDb() / 20));
        String audio = String.format(Locale.ROOT, "audio/%s/%06d_%s.wav", p.split(), p.index(),
            p.speech().voice().id());
        WavWriter.writePcm16(out.resolve(audio), new Audio(clip, Sox.RATE));
        PhoneTargets.Entry phones = results.get(i).segments() != null
            ? new PhoneTargets.Entry(audio, results.get(i).segments(), null)
            : new PhoneTargets.Entry(audio, null, sequence(p.speech().text(), lexicon));
        made[p.index()] = new Made(new ManifestEntry(audio, clip.length / (double) Sox.RATE,
            null, p.speech().text(), p.speech().voice().id(), source, snr), phones, null);
        progress.step();
      }
    } finally {
      CorpusBuilder.deleteTree(scratch);
    }
  }

  /**
   * A unit of festival utterances in one process. Festival's Italian diphone voice crashes on a
   * few texts (a segmentation fault, whatever the batch); a failed batch of another language's
   * voice is made again one utterance per process, and an utterance that still fails is left
   * out ({@link TimedSpeech.Result#failed}), so a shard stays buildable and the same every time;
   * more than {@link #MAX_LEFT_OUT} of a shard left out fails it. English voices never need it
   * and still fail loudly.
   */
  private static List<TimedSpeech.Result> festival(List<Plan> unit, TimedSpeech timed,
      Path scratch) throws IOException {
    double[] scales = unit.stream().mapToDouble(p -> 1 / p.tempo()).toArray();
    try {
      return timed.festival(unit.stream().map(Plan::speech).toList(),
          unit.stream().map(Plan::effects).toList(), scales, scratch);
    } catch (IOException e) {
      if (languageOf(unit.get(0)) == FestivalLanguage.ENGLISH) {
        throw e;
      }
    }
    List<TimedSpeech.Result> results = new ArrayList<>();
    for (int i = 0; i < unit.size(); i++) {
      Plan p = unit.get(i);
      // a folder of its own: nothing the failed batch left behind can pass for this one's output
      Path alone = Files.createTempDirectory(scratch, "alone");
      try {
        results.add(timed.festival(List.of(p.speech()), List.of(p.effects()),
            new double[] {scales[i]}, alone).get(0));
      } catch (IOException e) {
        results.add(TimedSpeech.Result.failed(e.getMessage()));
      } finally {
        CorpusBuilder.deleteTree(alone);
      }
    }
    return results;
  }

  private static FestivalLanguage languageOf(Plan festivalPlan) {
    return FestivalVoice.bySelector(festivalPlan.speech().voice().engineVoice()).orElseThrow()
        .language();
  }

  private static List<String> sequence(String text, Map<String, List<String>> lexicon) {
    List<String> phones = new ArrayList<>();
    for (String word : text.split(" ")) {
      phones.addAll(lexicon.get(word));
    }
    return phones;
  }

  private String write(Request request, Path out, List<Plan> plans, Made[] made, double seconds)
      throws IOException {
    List<ManifestEntry> train = new ArrayList<>();
    List<ManifestEntry> dev = new ArrayList<>();
    StringBuilder phones = new StringBuilder();
    double[] hours = new double[3];
    int[] counts = new int[3];
    double otherLanguageHours = 0;
    int otherLanguageCount = 0;
    List<String> leftOut = new ArrayList<>();
    for (Plan p : plans) {
      if (made[p.index()].leftOut() != null) {
        leftOut.add(p.speech().voice().id() + ": \"" + p.speech().text() + "\": "
            + made[p.index()].leftOut().lines().findFirst().orElse(""));
        continue;
      }
      (p.dev() ? dev : train).add(made[p.index()].entry());
      if (p.speech().voice().engine() == Engine.FESTIVAL
          && languageOf(p) != FestivalLanguage.ENGLISH) {
        otherLanguageHours += made[p.index()].entry().duration() / 3600;
        otherLanguageCount++;
      }
      phones.append(PhoneTargets.toJsonLine(made[p.index()].phones())).append('\n');
      int engine = p.speech().voice().engine().ordinal();
      hours[engine] += made[p.index()].entry().duration() / 3600;
      counts[engine]++;
    }
    Manifest.write(out.resolve("train.jsonl"), train);
    Manifest.write(out.resolve("dev.jsonl"), dev);
    AtomicFiles.writeString(out.resolve(PhoneTargets.FILE), phones.toString());
    Map<String, Object> card = new LinkedHashMap<>();
    card.put("kind", "phone-target pretraining shard");
    card.put("shard", request.shard());
    card.put("seed", request.seed());
    card.put("utterances", plans.size());
    card.put("train", train.size());
    card.put("dev", dev.size());
    Map<String, Object> engines = new LinkedHashMap<>();
    for (Engine e : Engine.values()) {
      engines.put(e.name().toLowerCase(Locale.ROOT), Map.of("utterances", counts[e.ordinal()],
          "hours", Math.round(hours[e.ordinal()] * 1000) / 1000.0));
    }
    card.put("engines", engines);
    if (!leftOut.isEmpty()) {
      card.put("left_out", Map.of("utterances", leftOut, "why", "festival failed on them, alone "
          + "as in a batch (other languages' voices only)"));
    }
    if (request.otherLanguages() > 0) {
      card.put("other_languages", Map.of("share", request.otherLanguages(),
          "utterances", otherLanguageCount, "hours", Math.round(otherLanguageHours * 1000) / 1000.0,
          "voices", "festival's Italian (pc, lp) and Finnish (mv, lj) diphone voices reading the "
              + "English sentences, their phones mapped to the nearest CMU phones (of festival's "
              + "hours above)"));
    }
    card.put("targets", "flite and festival: CMU phones with end times (frame labels); "
        + "espeak-ng: the phone sequence of festival's CMU lexicon (CTC)");
    card.put("held_out", "recorded families " + SpeakerSplits.DEV_FAMILIES + " and "
        + SpeakerSplits.TEST_FAMILIES + " (downstream dev and test), Pico, MBROLA");
    card.put("build_seconds", Math.round(seconds));
    AtomicFiles.writeString(out.resolve(CARD_JSON), GSON.toJson(card) + "\n");
    double total = hours[0] + hours[1] + hours[2];
    return String.format(Locale.ROOT, "phones shard %d in %s: %d utterances (%d train, %d dev%s), "
        + "%.2f h (espeak-ng %.2f h, flite %.2f h, festival %.2f h), built in %s%n",
        request.shard(), out, plans.size(), train.size(), dev.size(),
        leftOut.isEmpty() ? "" : ", " + leftOut.size() + " left out: festival failed", total,
        hours[Engine.ESPEAK.ordinal()], hours[Engine.FLITE.ordinal()],
        hours[Engine.FESTIVAL.ordinal()], ProgressBar.formatDuration(seconds));
  }

  private static double round3(double x) {
    return Math.round(x * 1000) / 1000.0;
  }
}
