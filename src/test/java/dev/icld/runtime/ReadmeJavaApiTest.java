package dev.icld.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.icld.Readme;
import dev.icld.audio.AudioFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's "Java API" example compiles against the runtime as it is: it stands word for word
 * in {@link #example()}, which the build compiles with the tests.
 */
class ReadmeJavaApiTest {
  private static final String BEGIN = "// README Java API: begin\n";
  private static final String END = "// README Java API: end\n";

  /** Compiled, never run: it reads a model directory and a clip that a checkout does not have. */
  @SuppressWarnings("unused")
  private static void example() throws IOException {
// README Java API: begin
try (DynamicSpeechModel model =
    DynamicSpeechModel.load(Path.of("build/ft-kws"), InferenceEngine.ONNX)) {  // or .DJL
  InferenceResult r = model.infer(AudioFiles.read(Path.of("clip.wav")), InferenceBudget.layers(6));
  r.output();          // label with probabilities, or the transcript
  r.executedLayers();  // which layers ran
  r.flops(); r.latency();
}
// README Java API: end
  }

  @Test
  void theReadmeQuotesTheExampleThatCompiles() throws IOException {
    String source = Files.readString(
        Path.of("src/test/java/dev/icld/runtime/ReadmeJavaApiTest.java"), StandardCharsets.UTF_8);
    int from = source.indexOf(BEGIN) + BEGIN.length();
    assertEquals(source.substring(from, source.indexOf(END, from)), Readme.javaBlock("Java API"));
  }
}
