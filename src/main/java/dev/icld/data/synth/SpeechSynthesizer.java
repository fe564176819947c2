package dev.icld.data.synth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns speech requests into 16 kHz mono samples with espeak-ng, flite or festival, then sox
 * (resampling and the speaker's speed/pitch perturbation). Festival runs one process per batch,
 * because its start-up costs more than synthesising a word.
 */
final class SpeechSynthesizer {
  /** SSML break between batched utterances, and the shortest pause taken as that break. */
  private static final int BREAK_MS = 900;
  private static final int MIN_PAUSE_MS = 400;

  private final Tools tools;
  private final Sox sox;
  private final EspeakVoiceDirs espeakDirs;

  SpeechSynthesizer(Tools tools, EspeakVoiceDirs espeakDirs) {
    this.tools = tools;
    this.sox = new Sox(tools.program(Tools.SOX));
    this.espeakDirs = espeakDirs;
  }

  /** Synthesises a batch of requests that all use one engine, in order. */
  List<float[]> synthesize(List<SpeechRequest> batch, Path scratch) throws IOException {
    Engine engine = batch.get(0).voice().engine();
    List<float[]> out = new ArrayList<>(batch.size());
    if (engine == Engine.FESTIVAL) {
      List<Path> waves = festival(batch, scratch);
      for (int i = 0; i < batch.size(); i++) {
        out.add(sox.read(waves.get(i), perturbation(batch.get(i).voice()), scratch));
        Files.delete(waves.get(i));
      }
      return out;
    }
    for (SpeechRequest request : batch) {
      if (request.voice().engine() != engine) {
        throw new IllegalArgumentException("a batch must use one engine");
      }
    }
    if (engine == Engine.ESPEAK && batch.size() > 1
        && batch.stream().allMatch(r -> r.voice().equals(batch.get(0).voice()))) {
      List<float[]> parts = espeakTogether(batch, scratch);
      if (parts != null) {
        return parts;
      }
    }
    for (SpeechRequest request : batch) {
      out.add(engine == Engine.ESPEAK ? espeak(request, scratch) : flite(request, scratch));
    }
    return out;
  }

  /**
   * One espeak-ng and one sox process for a whole batch of one speaker: the utterances are
   * spoken in a row with long SSML breaks and cut apart at the breaks. Starting the programs
   * costs more than synthesising a keyword. Returns null when the cut does not give one piece
   * per utterance, and the caller synthesises them one by one instead.
   */
  List<float[]> espeakTogether(List<SpeechRequest> batch, Path scratch)
      throws IOException {
    Voice voice = batch.get(0).voice();
    StringBuilder ssml = new StringBuilder("<speak>");
    for (SpeechRequest request : batch) {
      ssml.append(String.format(Locale.ROOT, "<prosody rate=\"%d%%\">%s</prosody>",
          Math.round(100 * request.rate()), xmlText(request.text())));
      ssml.append("<break time=\"").append(BREAK_MS).append("ms\"/>");
    }
    ssml.append("</speak>");
    byte[] wav = Exec.run(List.of(tools.program(Tools.ESPEAK), "-m",
        "--path=" + espeakDirs.pathFor(voice), "-v", voice.engineVoice() + "+" + voice.id(),
        "-s", String.valueOf(voice.wordsPerMinute()), "--stdout", ssml.toString()), null,
        scratch);
    float[] all = sox.read(wav, "wav", perturbation(voice), scratch);
    List<float[]> parts = Signals.splitAtPauses(all, Sox.RATE * MIN_PAUSE_MS / 1000);
    return parts.size() == batch.size() ? parts : null;
  }

  private float[] espeak(SpeechRequest request, Path scratch) throws IOException {
    Voice voice = request.voice();
    int wpm = (int) Math.round(voice.wordsPerMinute() * request.rate());
    byte[] wav = Exec.run(List.of(tools.program(Tools.ESPEAK),
        "--path=" + espeakDirs.pathFor(voice), "-v", voice.engineVoice() + "+" + voice.id(),
        "-s", String.valueOf(wpm), "--stdout", request.text()), null, scratch);
    return sox.read(wav, "wav", perturbation(voice), scratch);
  }

  private float[] flite(SpeechRequest request, Path scratch) throws IOException {
    Voice voice = request.voice();
    Path wav = scratch.resolve("flite.wav");
    Exec.run(List.of(tools.program(Tools.FLITE), "-voice", voice.engineVoice(),
        "--setf", "int_f0_target_mean=" + voice.f0Mean(),
        "--setf", String.format(Locale.ROOT, "duration_stretch=%.3f",
            voice.durationStretch() / request.rate()),
        "-t", request.text(), "-o", wav.toString()), null, scratch);
    float[] samples = sox.read(wav, perturbation(voice), scratch);
    Files.delete(wav);
    return samples;
  }

  private List<Path> festival(List<SpeechRequest> batch, Path scratch) throws IOException {
    StringBuilder script = new StringBuilder();
    List<Path> waves = new ArrayList<>();
    String selected = null;
    for (int i = 0; i < batch.size(); i++) {
      SpeechRequest request = batch.get(i);
      Voice voice = request.voice();
      if (voice.engine() != Engine.FESTIVAL) {
        throw new IllegalArgumentException("a batch must use one engine");
      }
      if (!voice.engineVoice().equals(selected)) {
        script.append('(').append(voice.engineVoice()).append(")\n");
        selected = voice.engineVoice();
      }
      Path wav = scratch.resolve("festival-" + i + ".wav");
      waves.add(wav);
      script.append(String.format(Locale.ROOT, "(Parameter.set 'Duration_Stretch %.3f)\n",
          voice.durationStretch() / request.rate()));
      script.append("(utt.save.wave (SynthText \"").append(schemeString(request.text()))
          .append("\") \"").append(schemeString(wav.toString())).append("\" 'riff)\n");
    }
    Path file = scratch.resolve("batch.scm");
    Files.writeString(file, script, StandardCharsets.UTF_8);
    Exec.run(List.of(tools.program(Tools.FESTIVAL), "-b", file.toString()), null, scratch);
    Files.delete(file);
    for (Path wav : waves) {
      if (!Files.isRegularFile(wav)) {
        throw new IOException("festival wrote no audio for a batch item (" + wav + ")");
      }
    }
    return waves;
  }

  private static List<String> perturbation(Voice voice) {
    if (!voice.perturbedWithSox()) {
      return List.of();
    }
    return List.of("speed", String.format(Locale.ROOT, "%.3f", voice.soxSpeed()),
        "pitch", String.valueOf(voice.soxPitchCents()));
  }

  private static String xmlText(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String schemeString(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
