package dev.icld.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.icld.model.Torch;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
  @TempDir Path dir;

  private NDManager manager;
  private Map<String, NDArray> parameters;
  private AdamW optimizer;
  private CheckpointStore store;
  private Path checkpoint;

  /** A published checkpoint at step 7 of two parameters after one optimizer step. */
  @BeforeEach
  void writeCheckpoint() throws IOException {
    manager = Torch.newManager();
    parameters = new LinkedHashMap<>();
    parameters.put("weight", manager.create(new float[] {0.5f, -1f, 2f, 0.25f}, new Shape(2, 2)));
    parameters.put("bias", manager.create(new float[] {0.1f, 0.2f}));
    Map<String, NDArray> gradients = new LinkedHashMap<>();
    parameters.forEach((name, p) -> gradients.put(name, p.onesLike()));
    optimizer = new AdamW(AdamW.Options.defaults());
    optimizer.step(parameters, gradients, 1e-2);
    TrainingState state = new TrainingState();
    state.globalStep = 7;
    state.epoch = 1;
    state.lastLoss = 0.5;
    store = new CheckpointStore(dir, 2);
    store.write(state, parameters, optimizer);
    checkpoint = dir.resolve("step-00000007");
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  @Test
  void anIntactCheckpointIsVerifiedAndReadBack() throws IOException {
    CheckpointStore.Restored restored = store.readLatest();
    assertTrue(restored.verified());
    assertEquals(7, restored.state().globalStep);
    assertArrayEquals(parameters.get("weight").toFloatArray(),
        restored.parameters().get("weight").values());
    assertEquals(optimizer.state().keySet(), restored.optimizer().keySet());
  }

  @Test
  void aTruncatedParameterFileIsRefusedNamingIt() throws IOException {
    Path file = checkpoint.resolve("parameters.safetensors");
    long size = Files.size(file);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(size - 5);
    }
    IOException e = assertThrows(IOException.class, store::readLatest);
    assertTrue(e.getMessage().startsWith(file + ": truncated: " + (size - 5) + " bytes where "
        + size + " were written; refusing to resume"), e.getMessage());
  }

  @Test
  void aFlippedBitInTheOptimizerStateIsRefusedNamingTheFile() throws IOException {
    Path file = checkpoint.resolve("optimizer.safetensors");
    flipLastBit(file);
    IOException e = assertThrows(IOException.class, store::readLatest);
    assertTrue(e.getMessage().startsWith(file + ": corrupted: SHA-256 "), e.getMessage());
    assertTrue(e.getMessage().contains(dir.resolve(CheckpointStore.LATEST).toString()),
        "says how to resume from an older checkpoint: " + e.getMessage());
  }

  @Test
  void aFlippedBitInTheTrainerStateIsRefused() throws IOException {
    Path file = checkpoint.resolve("trainer.json");
    // The state parses either way: only the checksum tells that step 7 became step 6.
    Files.writeString(file, Files.readString(file).replace("\"globalStep\": 7",
        "\"globalStep\": 6"));
    IOException e = assertThrows(IOException.class, store::readLatest);
    assertTrue(e.getMessage().startsWith(file + ": corrupted"), e.getMessage());
  }

  @Test
  void aDamagedChecksumFileIsRefused() throws IOException {
    Path file = checkpoint.resolve(CheckpointStore.CHECKSUMS);
    Files.writeString(file, "{\"parameters.safetensors\": ");
    IOException e = assertThrows(IOException.class, store::readLatest);
    assertTrue(e.getMessage().startsWith(file + ": not a checksum file"), e.getMessage());
  }

  @Test
  void aCheckpointFromBeforeChecksumsIsReadUnverified() throws IOException {
    Files.delete(checkpoint.resolve(CheckpointStore.CHECKSUMS));
    CheckpointStore.Restored restored = store.readLatest();
    assertFalse(restored.verified());
    assertEquals(7, restored.state().globalStep);
  }

  private static void flipLastBit(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 1] ^= 1;
    Files.write(file, bytes);
  }
}
