package dev.icld.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.icld.data.Corpus;
import dev.icld.data.LoadOptions;
import dev.icld.data.ManifestEntry;
import dev.icld.data.TargetKind;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pretraining set never contains a speaker of a downstream dev or test split. */
class PretrainingDataTest {
  @TempDir Path temp;

  @Test
  void speakersOfDownstreamDevAndTestSplitsAreDroppedAndCounted() throws Exception {
    Path asr = temp.resolve("asr");
    Path sid = temp.resolve("sid");
    // asr: disjoint splits. sid: closed set, so its train speakers are its test speakers.
    SpeechFixtures.corpus(asr, new String[] {"a", "b", "c", null}, new String[] {"e"},
        new String[] {"d"}, 2, 1600);
    SpeechFixtures.corpus(sid, new String[] {"a", "d", "x"}, new String[] {"d", "x"},
        new String[] {"d", "x"}, 2, 1600);
    HeldOutSpeakers heldOut = HeldOutSpeakers.of(List.of(asr, sid));
    assertEquals(Set.of("d", "e", "x"), heldOut.speakers());

    PretrainingData data = PretrainingData.select(List.of(asr, sid), heldOut, 0.2, 10, 1);
    assertEquals(14, data.offered());
    assertEquals(4, data.droppedHeldOut()); // d and x in sid's train
    assertEquals(2, data.droppedNoSpeaker()); // could be anyone, so not kept
    assertEquals(8, data.train().size() + data.dev().size());
    assertEquals(2, data.dev().size());
    assertEquals(Set.of("a", "b", "c"), data.speakers());
    Stream.concat(data.train().stream(), data.dev().stream()).map(ManifestEntry::speaker)
        .forEach(s -> assertFalse(heldOut.contains(s), s));
    assertTrue(data.summary().contains("dropped 4 of held-out speakers and 2 without a speaker"),
        data.summary());

    Path out = temp.resolve("out");
    data.write(out);
    Corpus train = Corpus.load(out.resolve(PretrainingData.TRAIN), LoadOptions.of(TargetKind.NONE));
    assertEquals(6, train.size());
    assertTrue(Path.of(train.get(0).entry().audio()).isAbsolute());
  }

  @Test
  void withoutExclusionEverythingIsKeptAndTheSplitIsSeeded() throws Exception {
    Path asr = temp.resolve("asr");
    SpeechFixtures.corpus(asr, new String[] {"a", null}, new String[] {"e"}, new String[] {"d"},
        3, 1600);
    PretrainingData one = PretrainingData.select(List.of(asr), HeldOutSpeakers.of(List.of()), 0.3, 10, 7);
    PretrainingData again =
        PretrainingData.select(List.of(asr.resolve("train.jsonl")), HeldOutSpeakers.of(List.of()), 0.3,
            10, 7);
    assertEquals(6, one.train().size() + one.dev().size());
    assertEquals(0, one.droppedNoSpeaker());
    assertEquals(one.dev(), again.dev());
  }

  @Test
  void anExcludedCorpusWithoutTestSplitIsAnError() throws Exception {
    NoSuchFileException e = assertThrows(NoSuchFileException.class,
        () -> HeldOutSpeakers.of(List.of(temp.resolve("nowhere"))));
    assertTrue(e.getMessage().contains("nowhere"), e.getMessage());
    assertTrue(e.getMessage().contains("test.jsonl"), e.getMessage());
  }

  @Test
  void nothingLeftIsAnError() throws Exception {
    Path sid = temp.resolve("sid");
    SpeechFixtures.corpus(sid, new String[] {"d"}, new String[] {"d"}, new String[] {"d"}, 1,
        1600);
    Exception e = assertThrows(java.io.IOException.class, () -> PretrainingData.select(
        List.of(sid), HeldOutSpeakers.of(List.of(sid)), 0.1, 10, 1));
    assertTrue(e.getMessage().contains("0 of 1 utterances"), e.getMessage());
  }
}
