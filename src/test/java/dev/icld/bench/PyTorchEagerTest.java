package dev.icld.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.icld.model.Checkpoints;
import dev.icld.model.FoundationModel;
import dev.icld.train.TinySetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java side of the PyTorch comparison; no test runs Python. */
class PyTorchEagerTest {
  @TempDir Path temp;

  private static final Benchmark.Settings SETTINGS =
      new Benchmark.Settings(List.of(0.1), 1, 3, 1, 1);

  @Test
  void readsTheScriptsAnswer() {
    PyTorchEager.Answer a = PyTorchEager.parse("{\"torch\": \"1.13.1\", \"torchaudio\": \"0.13.1\", "
        + "\"threads\": 2, \"blas\": \"/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0\", "
        + "\"reference_blas\": true, \"inputs\": [{\"samples\": 16000, \"frames\": 49, \"hidden\": 768, "
        + "\"times_ms\": [12.5, 10.0, 11.0]}, {\"samples\": 160000, \"frames\": 499, "
        + "\"hidden\": 768, \"times_ms\": [100.0]}]}\n");
    assertEquals("1.13.1", a.torch());
    assertEquals("0.13.1", a.torchaudio());
    assertEquals(2, a.threads());
    assertEquals("/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0", a.blas());
    assertTrue(a.referenceBlas());
    assertEquals(2, a.inputs().size());
    assertEquals(49, a.inputs().get(0).frames());
    assertArrayEquals(new double[] {12.5, 10.0, 11.0}, a.inputs().get(0).timesMs());
    Benchmark.Timing t = Benchmark.Timing.of(a.inputs().get(0).timesMs());
    assertEquals(11.0, t.medianMs());
    assertEquals(10.0, t.minMs());
  }

  @Test
  void aBadAnswerIsRefusedWithTheReason() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PyTorchEager.parse("{\"error\": \"model_type 'wavlm': torchaudio 0.13.1 builds wav2vec2 and hubert only\"}"));
    assertEquals("model_type 'wavlm': torchaudio 0.13.1 builds wav2vec2 and hubert only", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> PyTorchEager.parse("Traceback (most recent call last)"));
    assertEquals("the script printed no JSON object: Traceback (most recent call last)", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> PyTorchEager.parse("{\"torch\": \"1\", \"torchaudio\": \"0\", \"threads\": 1, "
            + "\"blas\": \"b\", \"reference_blas\": false}"));
    assertEquals("the script's JSON has no \"inputs\"", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> PyTorchEager.parse("{\"torch\": \"1\", "
        + "\"torchaudio\": \"0\", \"threads\": 1, \"blas\": \"b\", \"reference_blas\": false, \"inputs\": [{\"samples\": 1, \"frames\": 1, "
        + "\"hidden\": 1, \"times_ms\": []}]}"));
    assertEquals("the script reported no times for an input", e.getMessage());
  }

  @Test
  void withoutPythonTorchNothingIsMeasured() {
    PyTorchEager eager = new PyTorchEager(temp.resolve("no-such-python3"), temp.resolve("torch_eager.py"), 1);
    assertFalse(eager.available());
    try (FoundationModel model = Checkpoints.randomlyInitialised(TinySetup.config(2), 1)) {
      PyTorchEager.Result r = eager.compare(model, List.of(new float[1600]), SETTINGS);
      assertFalse(r.measured());
      assertEquals("not measured (python3-torch not installed)", r.note());
    }
  }

  @Test
  void aFailingScriptIsReportedWithItsError() throws IOException {
    // An interpreter that imports anything and whose script refuses the model, as the real one
    // refuses WavLM.
    Path python = temp.resolve("python3");
    Files.writeString(python, "#!/bin/sh\nif [ \"$1\" = -c ]; then exit 0; fi\n"
        + "echo '{\"error\": \"model_type wavlm: not in torchaudio\"}'\nexit 2\n");
    Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path script = Files.writeString(temp.resolve("torch_eager.py"), "# stand-in\n");
    PyTorchEager eager = new PyTorchEager(python, script, 1);
    try (FoundationModel model = Checkpoints.randomlyInitialised(TinySetup.config(2), 1)) {
      PyTorchEager.Result r = eager.compare(model, List.of(new float[1600]), SETTINGS);
      assertFalse(r.measured());
      assertEquals("not measured (torch_eager.py failed: model_type wavlm: not in torchaudio)", r.note());
    }
  }

  @Test
  void theOutputDifferenceIsTheLargestAbsoluteOne() {
    assertEquals(0.5, PyTorchEager.maxAbsDifference(new float[] {1, -2, 3}, new float[] {1, -1.5f, 3.25f}));
  }
}
