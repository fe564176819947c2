package dev.icld.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the installed engines. */
class SpeechSynthesizerTest {
  @TempDir Path dir;

  @Test
  @NeedsSystemTools(tasks = SynthTask.KWS)
  void aBatchOfOneEspeakSpeakerIsCutIntoOnePiecePerWord() throws IOException {
    Tools tools = Tools.fromEnvironment();
    List<Voice> voices = List.of(VoiceBank.espeak(0), VoiceBank.espeak(5));
    SpeechSynthesizer synth = new SpeechSynthesizer(tools,
        new EspeakVoiceDirs(tools.espeakData(), voices, dir));
    for (Voice voice : voices) {
      List<SpeechRequest> batch = new ArrayList<>();
      for (String word : KwsRecipe.VOCABULARY) {
        batch.add(new SpeechRequest(voice, word, 0.85 + 0.3 * (batch.size() % 3) / 2));
      }
      List<float[]> pieces = synth.espeakTogether(batch, dir);
      assertNotNull(pieces, voice.id() + ": the batch was not cut into one piece per word");
      for (int i = 0; i < pieces.size(); i++) {
        double seconds = pieces.get(i).length / 16000.0;
        assertTrue(seconds > 0.15 && seconds < 1.2, KwsRecipe.VOCABULARY.get(i) + ": " + seconds);
      }
      float[] alone = synth.synthesize(List.of(batch.get(8)), dir).get(0);
      double aloneSeconds = Signals.trimSilence(alone, 40).length / 16000.0;
      assertEquals(aloneSeconds, pieces.get(8).length / 16000.0, 0.15, "\"stop\" alone vs batched");
    }
  }

  @Test
  @NeedsSystemTools(tasks = SynthTask.ASR)
  void everyEngineSpeaks() throws IOException {
    Tools tools = Tools.fromEnvironment();
    List<Voice> voices = List.of(VoiceBank.flite(FliteVoice.AWB, 0),
        VoiceBank.festival(FestivalVoice.SLT, 0), VoiceBank.festival(FestivalVoice.KAL, 1));
    SpeechSynthesizer synth = new SpeechSynthesizer(tools,
        new EspeakVoiceDirs(tools.espeakData(), List.of(), dir));
    List<float[]> flite = synth.synthesize(
        List.of(new SpeechRequest(voices.get(0), "hello world", 1.0)), dir);
    List<float[]> festival = synth.synthesize(List.of(
        new SpeechRequest(voices.get(1), "hello world", 1.0),
        new SpeechRequest(voices.get(2), "good morning", 1.1)), dir);
    List<float[]> all = new ArrayList<>(flite);
    all.addAll(festival);
    for (float[] speech : all) {
      double seconds = Signals.trimSilence(speech, 40).length / 16000.0;
      assertTrue(seconds > 0.4 && seconds < 2.5, "utterance of " + seconds + " s");
    }
  }
}
