package dev.icld.model.io;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Crafted checkpoints that would run a command or read a file if Python's unpickler loaded them.
 * Each must be refused with an error naming the file and the offending global or opcode, and the
 * command must not have run: each would create a marker file.
 */
class MaliciousPickleTest {
  private static final String MARKERS = "/tmp/icld-pickle-marker-";

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "os_system.bin              | os-system    | refusing pickle global 'os.system'",
        "posix_system.bin           | posix-system | refusing pickle global 'posix.system'",
        "builtins_eval.bin          | eval         | refusing pickle global 'builtins.eval'",
        "stack_global_os_system.bin | stack-global | refusing pickle global 'os.system'",
        "hidden_subprocess.bin      | subprocess   | refusing pickle global 'subprocess.check_call'",
        "inst_opcode.bin            | inst         | unsupported pickle opcode 0x69 (INST)",
      })
  void commandIsRefusedAndNeverRuns(String fixture, String marker, String message)
      throws IOException {
    Path markerFile = Path.of(MARKERS + marker);
    Files.deleteIfExists(markerFile);
    TorchCheckpointTest.assertRefused(CheckpointFixtures.file(fixture), "archive/data.pkl", message);
    assertFalse(Files.exists(markerFile), "the pickle's command ran: " + markerFile);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "builtins_open.bin          | refusing pickle global 'builtins.open'",
        "torch_load.bin             | refusing pickle global 'torch.load'",
        "storage_path_traversal.bin | storage key '../../../../../../etc/passwd' is not a plain record name",
        "unknown_opcode.bin         | unsupported pickle opcode 0xee (not a pickle opcode)",
      })
  void fileAccessAndUnknownOpcodesAreRefused(String fixture, String message) {
    TorchCheckpointTest.assertRefused(CheckpointFixtures.file(fixture), "archive/data.pkl", message);
  }
}
