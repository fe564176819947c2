package dev.icld.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.icld.data.PhoneTargets.Segment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parsers of what flite, festival and festival's lexicon print (outputs copied from them). */
class TimedSpeechTest {
  @Test
  void readsFlitePhoneTimes() {
    assertEquals(List.of(new Segment("pau", 0.220), new Segment("y", 0.280),
        new Segment("eh", 0.446)), TimedSpeech.parseFlite("pau:0.220 y:0.280 eh:0.446 \n"));
    assertThrows(IllegalArgumentException.class, () -> TimedSpeech.parseFlite("pau 0.2"));
    assertThrows(IllegalArgumentException.class, () -> TimedSpeech.parseFlite("pau:0.3 y:0.2"));
  }

  @Test
  void readsFestivalSegments() {
    String segs = "EST_File label\nDataType ascii\nNumFields 3\n#\n0.1650 100 pau\n"
        + "0.2300 100 y\n0.3050 100 eh\n";
    assertEquals(List.of(new Segment("pau", 0.165), new Segment("y", 0.23),
        new Segment("eh", 0.305)), TimedSpeech.parseFestival(segs));
    assertThrows(IllegalArgumentException.class, () -> TimedSpeech.parseFestival("#\n0.1 x\n"));
  }

  @Test
  void readsLexiconLookups() {
    assertEquals(List.of("hh", "ax", "l", "ow"),
        TimedSpeech.parseLookup("(\"hello\" nil (((hh ax) 0) ((l ow) 1)))"));
    assertEquals(List.of(), TimedSpeech.parseLookup("(\"boob's\" nil nil)"));
  }
}
