package dev.icld.model.io;

import static dev.icld.model.io.CheckpointFixtures.assertSameTensors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TorchCheckpointTest {
  private static final Path BIN = Path.of("pytorch_model.bin");

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"state_dict", "protocol4", "module", "big_endian"})
  void readsTheValuesTorchSaved(String fixture) throws IOException {
    Map<String, TensorData> read = TorchCheckpoint.read(CheckpointFixtures.file(fixture + ".bin"));
    assertSameTensors(CheckpointFixtures.expected(fixture + ".json"), read);
  }

  @Test
  void readsTheLayoutOfNewerTorch() throws IOException {
    // torch 2 names the top folder "archive", adds a byteorder record and other bookkeeping.
    Path file = dir.resolve("pytorch_model.bin");
    try (ZipFile source = new ZipFile(CheckpointFixtures.file("module.bin").toFile());
        ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      for (ZipEntry entry : source.stream().toList()) {
        zip.putNextEntry(new ZipEntry(entry.getName().replaceFirst("^module/", "archive/")));
        zip.write(source.getInputStream(entry).readAllBytes());
        zip.closeEntry();
      }
      zip.putNextEntry(new ZipEntry("archive/byteorder"));
      zip.write("little".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      zip.putNextEntry(new ZipEntry("archive/.data/serialization_id"));
      zip.write("1234567890".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    assertSameTensors(CheckpointFixtures.expected("module.json"), TorchCheckpoint.read(file));
  }

  @Test
  void viewsOfOneStorageAreIndependentArrays() throws IOException {
    Map<String, TensorData> read = TorchCheckpoint.read(CheckpointFixtures.file("state_dict.bin"));
    float[] a = read.get("shared_a").values();
    float[] b = read.get("shared_b").values();
    float before = b[0];
    a[0] += 1; // shared_b views shared_a's storage in torch; our copies must not alias
    assertEquals(before, b[0]);
  }

  @Test
  void moduleStateDictKeepsItsParameterNames() throws IOException {
    Map<String, TensorData> read = TorchCheckpoint.read(CheckpointFixtures.file("module.bin"));
    assertEquals(
        java.util.List.of(
            "conv.bias", "conv.weight_g", "conv.weight_v", "norm.weight", "norm.bias",
            "proj.weight", "proj.bias"),
        java.util.List.copyOf(read.keySet()));
  }

  @Test
  void legacyFormatIsRefusedWithAdvice() {
    assertRefused(CheckpointFixtures.file("legacy.bin"), "legacy torch.save format", "torch>=1.6");
  }

  @Test
  void fileThatIsNotAnArchiveIsRefused() throws IOException {
    Path file = dir.resolve("model.bin");
    Files.writeString(file, "hello");
    assertRefused(file, "not a torch.save zip archive");
  }

  @Test
  void truncatedArchiveIsRefused() throws IOException {
    byte[] bytes = Files.readAllBytes(CheckpointFixtures.file("state_dict.bin"));
    Path file = dir.resolve("cut.bin");
    Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
    assertRefused(file, "not a readable zip archive");
  }

  @Test
  void truncatedPickleIsRefused() throws IOException {
    Path file =
        rewrite("state_dict.bin", (name, data) ->
            name.endsWith("data.pkl") ? Arrays.copyOf(data, data.length / 2) : data);
    assertRefused(file, "state_dict/data.pkl", "truncated");
  }

  @Test
  void missingStorageRecordIsRefused() throws IOException {
    Path file = rewrite("module.bin", (name, data) -> name.endsWith("data/0") ? null : data);
    assertRefused(file, "tensor 'conv.bias'", "module/data/0 is missing");
  }

  @Test
  void shortStorageRecordIsRefused() throws IOException {
    Path file =
        rewrite("module.bin", (name, data) ->
            name.endsWith("data/1") ? Arrays.copyOf(data, data.length - 4) : data);
    assertRefused(file, "tensor 'conv.weight_g'", "module/data/1 holds");
  }

  @Test
  void archiveWithoutPickleIsRefused() throws IOException {
    Path file = rewrite("module.bin", (name, data) -> name.endsWith("data.pkl") ? null : data);
    assertRefused(file, "no <top>/data.pkl");
  }

  @Test
  void unknownByteOrderIsRefused() throws IOException {
    Path file =
        rewrite("big_endian.bin", (name, data) ->
            name.endsWith("byteorder") ? "middle".getBytes() : data);
    assertRefused(file, "byteorder says 'middle'");
  }

  @Test
  void everyTruncationOfTheArchiveIsRefusedWithAMessage() throws IOException {
    byte[] bytes = Files.readAllBytes(CheckpointFixtures.file("state_dict.bin"));
    Path file = dir.resolve("pytorch_model.bin");
    for (int length = 0; length < bytes.length; length++) {
      Files.write(file, Arrays.copyOf(bytes, length));
      assertRefused(file);
    }
  }

  @Test
  void everyTruncationOfThePickleNamesTheRecordAndTheByte() throws IOException {
    byte[] pickle = record("state_dict.bin", "state_dict/data.pkl");
    for (int length = 0; length < pickle.length; length++) {
      byte[] cut = Arrays.copyOf(pickle, length);
      CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
          () -> StateDictUnpickler.unpickle(BIN, "state_dict/data.pkl", cut));
      assertTrue(e.getMessage().startsWith("pytorch_model.bin: state_dict/data.pkl, byte "),
          e.getMessage());
      assertTrue(e.getMessage().endsWith("(truncated)"), e.getMessage());
    }
  }

  @Test
  void everyCorruptedPickleByteIsReadOrRefusedWithAMessage() throws IOException {
    byte[] pickle = record("state_dict.bin", "state_dict/data.pkl");
    for (int at = 0; at < pickle.length; at++) {
      for (int flip : new int[] {0x01, 0x80, 0xFF}) {
        byte[] damaged = pickle.clone();
        damaged[at] ^= (byte) flip;
        try {
          StateDictUnpickler.unpickle(BIN, "state_dict/data.pkl", damaged);
        } catch (CheckpointFormatException e) {
          assertTrue(e.getMessage().startsWith("pytorch_model.bin: state_dict/data.pkl, byte "),
              e.getMessage());
        }
      }
    }
  }

  @Test
  void recordWhoseLocalHeaderLiesPastTheEndIsRefusedByName() throws IOException {
    // ZipFile reads such a record with an EOFException that carries no message at all.
    byte[] bytes = Files.readAllBytes(CheckpointFixtures.file("state_dict.bin"));
    int entry = centralDirectoryEntry(bytes, "state_dict/data.pkl");
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(entry + 42, bytes.length - 10);
    Path file = Files.write(dir.resolve("pytorch_model.bin"), bytes);
    assertRefused(file, "archive record state_dict/data.pkl cannot be read", "truncated");
  }

  /** Where the central directory describes {@code name}: its "PK\1\2" header. */
  private static int centralDirectoryEntry(byte[] zip, String name) {
    ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
    byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
    for (int at = 0; at + 46 + wanted.length <= zip.length; at++) {
      if (b.getInt(at) == 0x02014b50 && (b.getShort(at + 28) & 0xffff) == wanted.length
          && Arrays.equals(zip, at + 46, at + 46 + wanted.length, wanted, 0, wanted.length)) {
        return at;
      }
    }
    throw new IllegalArgumentException(name + " is not in the central directory");
  }

  private static byte[] record(String fixture, String name) throws IOException {
    try (ZipFile zip = new ZipFile(CheckpointFixtures.file(fixture).toFile())) {
      return zip.getInputStream(zip.getEntry(name)).readAllBytes();
    }
  }

  /** A copy of a fixture archive with each record's bytes passed through edit (null drops it). */
  private Path rewrite(String fixture, BiFunction<String, byte[], byte[]> edit) throws IOException {
    Path file = dir.resolve(fixture);
    try (ZipFile source = new ZipFile(CheckpointFixtures.file(fixture).toFile());
        OutputStream out = Files.newOutputStream(file);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      for (ZipEntry entry : source.stream().toList()) {
        byte[] data = edit.apply(entry.getName(), source.getInputStream(entry).readAllBytes());
        if (data != null) {
          zip.putNextEntry(new ZipEntry(entry.getName()));
          zip.write(data);
          zip.closeEntry();
        }
      }
    }
    return file;
  }

  static void assertRefused(Path file, String... fragments) {
    CheckpointFormatException e =
        assertThrows(CheckpointFormatException.class, () -> TorchCheckpoint.read(file));
    assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
    for (String fragment : fragments) {
      assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
  }
}
