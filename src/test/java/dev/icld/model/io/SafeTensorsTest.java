package dev.icld.model.io;

import static dev.icld.model.io.CheckpointFixtures.assertSameTensors;
import static dev.icld.model.io.CheckpointFixtures.assertSameTensorsAnyOrder;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SafeTensorsTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"weights_f32", "weights_f16", "weights_bf16", "mixed"})
  void readsTheValuesTorchWrote(String fixture) throws IOException {
    Map<String, TensorData> read = SafeTensors.read(CheckpointFixtures.file(fixture + ".safetensors"));
    assertSameTensorsAnyOrder(CheckpointFixtures.expected(fixture + ".json"), read);
  }

  @ParameterizedTest
  @CsvSource({"F32, weights_f32", "F16, weights_f16", "BF16, weights_bf16"})
  void writesTheSameBytesAsTheReferenceFile(String dtype, String fixture) throws IOException {
    // The F32 source values, narrowed by our writer, must give torch's rounding and the same layout.
    Map<String, TensorData> narrowed = new LinkedHashMap<>();
    CheckpointFixtures.expected("weights_f32.json")
        .forEach((name, t) -> narrowed.put(name, new TensorData(dtype, t.shape(), t.values())));
    Path file = dir.resolve("model.safetensors");
    SafeTensors.write(file, narrowed);
    assertArrayEquals(
        Files.readAllBytes(CheckpointFixtures.file(fixture + ".safetensors")), Files.readAllBytes(file));
  }

  @Test
  void roundTripKeepsNamesShapesDtypesAndValues() throws IOException {
    Path file = dir.resolve("model.safetensors");
    Map<String, TensorData> written = SafeTensors.read(CheckpointFixtures.file("mixed.safetensors"));
    written.remove("steps");
    written.remove("mask"); // integer dtypes are read-only
    SafeTensors.write(file, written);
    assertSameTensorsAnyOrder(written, SafeTensors.read(file));
    try (var stream = Files.list(dir)) {
      assertEquals(List.of(file), stream.toList(), "no temporary file is left behind");
    }
  }

  @Test
  void writesHuggingFacesHeaderLayout() throws IOException {
    Path file = dir.resolve("model.safetensors");
    Map<String, TensorData> tensors = new LinkedHashMap<>();
    tensors.put("b", TensorData.f32(new long[] {1}, new float[] {2}));
    tensors.put("a", TensorData.f32(new long[] {2}, new float[] {0, 1}));
    tensors.put("h", new TensorData("F16", new long[] {1}, new float[] {1}));
    SafeTensors.write(file, tensors);
    byte[] bytes = Files.readAllBytes(file);
    long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    assertEquals(0, headerLength % 8);
    String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
    assertEquals(
        "{\"__metadata__\":{\"format\":\"pt\"},"
            + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]},"
            + "\"h\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[12,14]}}",
        header.stripTrailing());
    assertEquals(8 + headerLength + 14, bytes.length);
  }

  @Test
  void overwritesAnExistingFileAtomically() throws IOException {
    Path file = dir.resolve("model.safetensors");
    Files.writeString(file, "old contents");
    Map<String, TensorData> tensors = Map.of("w", TensorData.f32(new long[] {1}, new float[] {5}));
    SafeTensors.write(file, tensors);
    assertSameTensors(tensors, SafeTensors.read(file));
  }

  @Test
  void refusesToWriteIntegerTensors() {
    Map<String, TensorData> tensors =
        Map.of("ids", new TensorData("I64", new long[] {1}, new float[] {3}));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SafeTensors.write(dir.resolve("x.safetensors"), tensors));
    assertTrue(e.getMessage().contains("'ids'"), e.getMessage());
  }

  @Test
  void integerThatFloat32CannotHoldIsRefused() {
    Path file = CheckpointFixtures.file("huge_int.safetensors");
    assertRefused(file, "tensor 'ids'", "9007199254740993");
  }

  @Test
  void truncatedFileIsRefused() throws IOException {
    byte[] bytes = Files.readAllBytes(CheckpointFixtures.file("weights_f32.safetensors"));
    assertRefused(write("cut.safetensors", Arrays.copyOf(bytes, bytes.length - 3)), "truncated");
    assertRefused(write("head.safetensors", Arrays.copyOf(bytes, 40)), "header length");
    assertRefused(write("tiny.safetensors", new byte[5]), "too short");
  }

  @Test
  void trailingBytesAreRefused() throws IOException {
    byte[] bytes = Files.readAllBytes(CheckpointFixtures.file("weights_f32.safetensors"));
    assertRefused(write("long.safetensors", Arrays.copyOf(bytes, bytes.length + 4)), "trailing");
  }

  @Test
  void headerThatIsNotJsonIsRefused() throws IOException {
    assertRefused(withHeader("{\"w\": {\"dtype\": \"F32\",", 0), "not valid JSON");
    assertRefused(withHeader("[1, 2]", 0), "not a JSON object");
    assertRefused(withHeader("{} {}", 0), "not valid JSON");
  }

  @Test
  void inconsistentEntriesAreRefusedNamingTheTensor() throws IOException {
    assertRefused(
        withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8),
        "tensor 'w'", "needs 12");
    assertRefused(
        withHeader("{\"w\":{\"dtype\":\"Q7\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8),
        "tensor 'w'", "unsupported dtype Q7");
    assertRefused(
        withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8),
        "tensor 'w'", "non-negative");
    assertRefused(
        withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8), "tensor 'w'", "data_offsets");
    assertRefused(
        withHeader(
            "{\"__metadata__\":{\"format\":1},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}",
            8),
        "__metadata__");
  }

  @Test
  void overlappingOrGappedTensorsAreRefused() throws IOException {
    assertRefused(
        withHeader(
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}",
            12),
        "tensor 'b'", "overlapping");
    assertRefused(
        withHeader(
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}",
            12),
        "tensor 'b'", "gap");
  }

  @Test
  void absurdHeaderLengthIsRefused() throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    bytes.putLong(-1L);
    assertRefused(write("absurd.safetensors", bytes.array()), "header length");
  }

  private Path withHeader(String json, int dataBytes) throws IOException {
    byte[] header = json.getBytes(StandardCharsets.UTF_8);
    ByteBuffer file =
        ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    file.putLong(header.length).put(header);
    return write("crafted.safetensors", file.array());
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, bytes);
    return file;
  }

  private static void assertRefused(Path file, String... fragments) {
    CheckpointFormatException e =
        assertThrows(CheckpointFormatException.class, () -> SafeTensors.read(file));
    assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
    for (String fragment : fragments) {
      assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
  }
}
