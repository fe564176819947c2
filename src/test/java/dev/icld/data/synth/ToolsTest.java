package dev.icld.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

class ToolsTest {
  @TempDir Path dir;

  @Test
  void missingEnginesAreNamedWithThePackagesThatProvideThem() {
    Tools none = new Tools(List.of(dir.resolve("bin")), dir.resolve("root"));
    MissingToolsException e = assertThrows(MissingToolsException.class,
        () -> none.require(SynthTask.KWS));
    for (String pkg : List.of("sox", "espeak-ng", "flite", "festival", "espeak-ng-data",
        "festvox-kallpc16k", "festvox-kdlpc16k", "festvox-us-slt-hts", "festlex-cmu",
        "wamerican", "openttd-opensfx", "sound-icons", "sound-theme-freedesktop",
        "alsa-utils")) {
      assertTrue(e.packages().contains(pkg), pkg + " missing from " + e.packages());
    }
    assertTrue(e.getMessage().contains("apt-get install"), e.getMessage());
    assertTrue(e.getMessage().contains("scripts/setup.sh"), e.getMessage());
    assertTrue(e.getMessage().contains("flite (program)"), e.getMessage());
  }

  @Test
  void onlyWhatTheTaskNeedsIsRequired() {
    Tools none = new Tools(List.of(dir.resolve("bin")), dir.resolve("root"));
    MissingToolsException e = assertThrows(MissingToolsException.class,
        () -> none.require(SynthTask.SOUND));
    assertFalse(e.packages().contains("flite"));
    assertFalse(e.packages().contains("fortunes"));
    MissingToolsException asr = assertThrows(MissingToolsException.class,
        () -> none.require(SynthTask.ASR));
    assertTrue(asr.packages().contains("fortunes"));
    assertFalse(asr.packages().contains("openttd-opensfx"));
  }

  @Test
  void aBuildWithoutEnginesFailsBeforeWritingAnything() {
    Tools none = new Tools(List.of(dir.resolve("bin")), dir.resolve("root"));
    Path out = dir.resolve("corpus");
    CorpusBuilder builder = new CorpusBuilder(none, new PrintStream(new ByteArrayOutputStream()));
    assertThrows(MissingToolsException.class, () -> builder.build(
        new CorpusRequest(SynthTask.KWS, CorpusSize.TINY, 1, 12, out, 1)));
    assertFalse(Files.exists(out));
  }

  /**
   * Where tests that need them would skip, scripts/test.sh (after scripts/setup.sh) fails here
   * instead, naming the packages that setup did not install.
   */
  @Test
  @Tag(NeedsSystemTools.TAG)
  @EnabledIfSystemProperty(named = "icld.systemTools", matches = "required")
  void theInstalledMachineHasEverything() throws MissingToolsException {
    for (SynthTask task : SynthTask.values()) {
      Tools.fromEnvironment().require(task);
    }
  }

  @Test
  void aFolderThatIsNotACorpusIsNeverCleared() throws Exception {
    Path out = Files.createDirectories(dir.resolve("mine"));
    Files.writeString(out.resolve("notes.txt"), "keep me");
    Exception e = assertThrows(java.io.IOException.class, () -> CorpusBuilder.prepareOutput(out));
    assertTrue(e.getMessage().contains("not empty"), e.getMessage());
    assertEquals("keep me", Files.readString(out.resolve("notes.txt")));
  }
}
