package dev.icld.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        new Segment("eh", 0.305)), TimedSpeech.parseFestival(segs, FestivalLanguage.ENGLISH));
    assertThrows(IllegalArgumentException.class,
        () -> TimedSpeech.parseFestival("#\n0.1 x\n", FestivalLanguage.ENGLISH));
  }

  @Test
  void mapsOtherLanguagesPhonesToTheNearestCmuPhones() {
    // festival pc_diphone, "stop", and suopuhe's hy_fi_mv_diphone, "kuuluu" (copied from them)
    String italian = "EST_File label\nNumFields 3\n#\n0.3000 100 #\n0.3800 100 s\n"
        + "0.4400 100 t\n0.5300 100 O1\n0.6000 100 p\n0.7000 100 tS\n0.8000 100 #\n";
    assertEquals(List.of(new Segment("pau", 0.3), new Segment("s", 0.38),
        new Segment("t", 0.44), new Segment("ao", 0.53), new Segment("p", 0.6),
        new Segment("ch", 0.7), new Segment("pau", 0.8)),
        TimedSpeech.parseFestival(italian, FestivalLanguage.ITALIAN));
    String finnish = "#\n0.1 100 k\n0.2 100 u:\n0.3 100 l\n0.4 100 u:\n0.5 100 ##\n";
    assertEquals(List.of("k", "uw", "l", "uw", "pau"),
        TimedSpeech.parseFestival(finnish, FestivalLanguage.FINNISH).stream()
            .map(Segment::phone).toList());
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> TimedSpeech.parseFestival("#\n0.1 100 qq\n", FestivalLanguage.ITALIAN));
    assertTrue(unknown.getMessage().contains("'qq' is not in festival's italian phone set"),
        unknown.getMessage());
  }

  @Test
  void readsLexiconLookups() {
    assertEquals(List.of("hh", "ax", "l", "ow"),
        TimedSpeech.parseLookup("(\"hello\" nil (((hh ax) 0) ((l ow) 1)))"));
    assertEquals(List.of(), TimedSpeech.parseLookup("(\"boob's\" nil nil)"));
  }
}
