package dev.icld.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.icld.data.synth.NeedsSystemTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The launcher's stderr filter, scripts/quiet-libtorch.pl, on the lines libtorch repeats (perl, as
 * the launcher runs it: Debian's perl-base).
 */
@NeedsSystemTools(programs = "perl")
class QuietLibtorchTest {
  private static final String NNPACK =
      "[W1207 14:27:03.86 NNPACK.cpp:57] Could not initialize NNPACK! Reason: Unsupported hardware.\n";
  private static final String DEPRECATED = "[W1207 14:27:03.87 LegacyTypeDispatch.h:74] Warning: "
      + "AutoNonVariableTypeMode is deprecated and will be removed in 1.10 release.\n";

  /** {@code sh -c shellScript argument} through the filter. */
  private static Process filtered(String shellScript, String argument) throws IOException {
    return new ProcessBuilder(List.of("perl", "scripts/quiet-libtorch.pl", "sh", "-c",
        shellScript, argument)).start();
  }

  @Test
  void keepsTheFirstNnpackLineDropsTheRestAndPassesEverythingElse() throws Exception {
    Process p = filtered("printf '%s' \"$0\" >&2; echo out; exit 3",
        "log\n" + NNPACK + "\rtrain 1/3" + NNPACK + "\rtrain 2/3 " + DEPRECATED
            + "[W1 other.cpp:1] a warning of another kind\n" + NNPACK + "end\n");
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(3, p.waitFor(), "the command's exit status");
    assertEquals("out\n", out);
    assertEquals("log\n" + NNPACK + "\rtrain 1/3\rtrain 2/3 "
        + "[W1 other.cpp:1] a warning of another kind\nend\n", err);
  }

  @Test
  void aProgressBarRedrawnInPlaceShowsAtOnce() throws Exception {
    Process p = filtered("printf '%s' \"$0\" >&2; exec sleep 5", "\rtrain 1/3");
    try {
      byte[] bar = assertTimeoutPreemptively(Duration.ofSeconds(3),
          () -> p.getErrorStream().readNBytes("\rtrain 1/3".length()));
      assertEquals("\rtrain 1/3", new String(bar, StandardCharsets.UTF_8));
    } finally {
      p.destroy();
      p.waitFor(5, TimeUnit.SECONDS);
    }
  }
}
