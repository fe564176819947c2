package dev.icld.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness itself: inputs are a function of the seed, and each kind of failure is told apart. */
class CampaignTest {
  private static final List<FuzzCorpus.Input> SEEDS = List.of(
      new FuzzCorpus.Input("one", "RIFF 1234 WAVE fmt {\"size\": 16}".getBytes(StandardCharsets.UTF_8)),
      new FuzzCorpus.Input("two", new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));

  @TempDir Path work;

  /** A reader that behaves as the input's first byte says. */
  private static void misbehave(Path input) throws Exception {
    switch (Files.readAllBytes(input)[0]) {
      case 'a' -> { }
      case 'r' -> throw new IOException(input + ": refused");
      case 'n' -> throw new IOException();
      case 'f' -> throw new IOException("refused without naming the file");
      case 'u' -> throw new IllegalStateException(input + ": a defect");
      case 'o' -> throw new OutOfMemoryError("Java heap space");
      case 'h' -> Thread.sleep(60_000);
      default -> throw new AssertionError("no such behaviour");
    }
  }

  private static FuzzTarget target() {
    return FuzzTarget.plain("test", "fuzzed.bin", List.of(0), folder -> { },
        CampaignTest::misbehave, List.of(IOException.class));
  }

  private Campaign campaign() throws IOException {
    return new Campaign(target(), SEEDS, work, Duration.ofMillis(500));
  }

  @Test
  void theSameSeedMakesTheSameInputsAndAnotherSeedOthers() {
    MutatedInputs inputs = new MutatedInputs(target(), SEEDS);
    assertArrayEquals(SEEDS.get(1).bytes(), inputs.get(7, 1), "the seeds come first");
    for (long index = 2; index < 200; index++) {
      assertArrayEquals(inputs.get(7, index), new MutatedInputs(target(), SEEDS).get(7, index));
    }
    long differing = LongStream.range(2, 200)
        .filter(i -> !Arrays.equals(inputs.get(7, i), inputs.get(8, i))).count();
    assertTrue(differing > 190, "another seed, other inputs: only " + differing + " differ");
  }

  @Test
  void eachBreachOfTheContractIsToldApart() throws IOException {
    try (Campaign campaign = campaign()) {
      assertEquals(Verdict.Kind.ACCEPTED, campaign.judge(bytes("a")).kind());
      assertEquals(Verdict.Kind.REFUSED, campaign.judge(bytes("r")).kind());
      assertEquals(Verdict.Kind.NO_MESSAGE, campaign.judge(bytes("n")).kind());
      assertEquals(Verdict.Kind.FILE_NOT_NAMED, campaign.judge(bytes("f")).kind());
      assertEquals(Verdict.Kind.UNEXPECTED_EXCEPTION, campaign.judge(bytes("u")).kind());
      assertEquals(Verdict.Kind.OUT_OF_MEMORY, campaign.judge(bytes("o")).kind());
    }
  }

  @Test
  void aHangIsAFailureAndTheCampaignGoesOnWhenItsThreadStops() throws IOException {
    try (Campaign campaign = campaign()) {
      assertEquals(Verdict.Kind.HANG, campaign.judge(bytes("h")).kind());
      assertEquals(Verdict.Kind.ACCEPTED, campaign.judge(bytes("a")).kind());
    }
  }

  @Test
  void failingInputsAreKeptOncePerContent() throws IOException {
    FuzzTarget target = target();
    Verdict hang = Verdict.hang(Duration.ofSeconds(1));
    Path first = FuzzCorpus.saveFailure(work, target, hang, bytes("h"));
    Path again = FuzzCorpus.saveFailure(work, target, Verdict.crash(134), bytes("h"));
    assertEquals(first, again);
    assertTrue(first.getFileName().toString().startsWith("hang-"), first.toString());
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
