package dev.icld.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.icld.data.PhoneTargets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** festival's Italian and Finnish voices through TimedSpeech, as pretraining shards use them. */
@NeedsSystemTools(programs = {"festival", "sox"}, files = {
    "/usr/share/festival/voices/italian/pc_diphone",
    "/usr/share/festival/voices/italian/lp_diphone",
    "/usr/share/festival/voices/finnish/hy_fi_mv_diphone",
    "/usr/share/festival/voices/finnish/suo_fi_lj_diphone"})
class OtherLanguageVoicesTest {
  @TempDir Path dir;

  @Test
  void everyVoiceReadsEnglishTextAsItsOwnPhonesWithTimes() throws IOException {
    TimedSpeech timed = new TimedSpeech(Tools.fromEnvironment());
    for (FestivalVoice voice : FestivalVoice.otherLanguages()) {
      TimedSpeech.Result result = timed.festival(List.of(new SpeechRequest(
          VoiceBank.festival(voice, 20), "stop the car and go left", 1.0)),
          List.of(List.of()), new double[] {1}, dir).get(0);
      double seconds = result.samples().length / (double) Sox.RATE;
      List<PhoneTargets.Segment> segments = result.segments();
      assertTrue(segments.size() > 10, voice + ": " + segments);
      assertEquals(seconds, segments.get(segments.size() - 1).end(), 0.05,
          voice + ": the last phone ends where the audio does");
      assertTrue(segments.stream().anyMatch(s -> s.phone().equals("s")), voice + ": " + segments);
    }
  }

  /**
   * Why a shard makes a failed batch again one by one and leaves such an utterance out: shard 20's
   * one left-out utterance (speaker p142, its duration stretch 0.92 at rate 0.95 gives festival
   * 0.968; at 0.92 or 0.989 it does not crash).
   */
  @Test
  void theItalianFemaleVoiceCrashesOnTheWordAAtOneDurationStretch() {
    IOException crash = assertThrows(IOException.class, () -> new TimedSpeech(
        Tools.fromEnvironment()).festival(List.of(new SpeechRequest(
            VoiceBank.festival(FestivalVoice.ITALIAN_LP, 142), "a", 0.95)),
        List.of(List.of()), new double[] {1}, dir));
    assertTrue(crash.getMessage().contains("festival"), crash.getMessage());
  }
}
