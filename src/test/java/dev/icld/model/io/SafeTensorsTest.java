package dev.icld.model.io;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
  @TempDir Path dir;

  private static Map<String, TensorData> sample() {
    Map<String, TensorData> tensors = new LinkedHashMap<>();
    tensors.put("z.weight", TensorData.f32(new long[] {2, 3}, new float[] {1, -2, 3.5f, 0, 1e-30f, -7}));
    tensors.put("a.bias", TensorData.f32(new long[] {3}, new float[] {0.25f, -0.5f, 1e10f}));
    tensors.put("scalar", TensorData.f32(new long[] {}, new float[] {42}));
    tensors.put("empty", TensorData.f32(new long[] {0, 4}, new float[] {}));
    tensors.put("half", new TensorData("F16", new long[] {2}, new float[] {1.5f, -65504}));
    tensors.put("brain", new TensorData("BF16", new long[] {2}, new float[] {3f, -0.15625f}));
    return tensors;
  }

  @Test
  void roundTripKeepsNamesShapesDtypesAndValues() throws IOException {
    Path file = dir.resolve("model.safetensors");
    Map<String, TensorData> written = sample();
    SafeTensors.write(file, written);
    Map<String, TensorData> read = SafeTensors.read(file);
    assertEquals(written.keySet(), read.keySet());
    for (String name : written.keySet()) {
      assertEquals(written.get(name).dtype(), read.get(name).dtype(), name);
      assertArrayEquals(written.get(name).shape(), read.get(name).shape(), name);
      assertArrayEquals(written.get(name).values(), read.get(name).values(), name);
    }
    try (var stream = Files.list(dir)) {
      assertEquals(List.of(file), stream.toList(), "no temporary file is left behind");
    }
  }

  @Test
  void writesTheLayoutHuggingFacesWriterProduces() throws IOException {
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
  void truncatedFileIsRefusedNamingTheFile() throws IOException {
    Path file = dir.resolve("model.safetensors");
    SafeTensors.write(file, sample());
    byte[] bytes = Files.readAllBytes(file);
    Path truncated = dir.resolve("truncated.safetensors");
    Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 3));
    CheckpointFormatException e =
        assertThrows(CheckpointFormatException.class, () -> SafeTensors.read(truncated));
    assertTrue(e.getMessage().startsWith(truncated.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }
}
