package dev.icld.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/** The files of scripts/fixtures/make_checkpoint_fixtures.py and their expected values. */
final class CheckpointFixtures {
  private CheckpointFixtures() {}

  static Path file(String name) {
    try {
      var url = CheckpointFixtures.class.getResource("/checkpoints/" + name);
      assertNotNull(url, "missing fixture " + name);
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The tensors of a fixture's JSON (values stored as float32 bit patterns), in file order. */
  static Map<String, TensorData> expected(String jsonName) throws IOException {
    JsonObject root =
        JsonParser.parseString(Files.readString(file(jsonName), StandardCharsets.UTF_8))
            .getAsJsonObject();
    Map<String, TensorData> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> e : root.getAsJsonObject("tensors").entrySet()) {
      JsonObject t = e.getValue().getAsJsonObject();
      JsonArray shape = t.getAsJsonArray("shape");
      JsonArray bits = t.getAsJsonArray("bits");
      long[] dims = new long[shape.size()];
      for (int i = 0; i < dims.length; i++) {
        dims[i] = shape.get(i).getAsLong();
      }
      float[] values = new float[bits.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = Float.intBitsToFloat(bits.get(i).getAsInt());
      }
      tensors.put(e.getKey(), new TensorData(t.get("dtype").getAsString(), dims, values));
    }
    return tensors;
  }

  /** Same names in the same order, same dtypes and shapes, bit-identical values. */
  static void assertSameTensors(Map<String, TensorData> expected, Map<String, TensorData> actual) {
    assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(actual.keySet()));
    for (String name : expected.keySet()) {
      TensorData want = expected.get(name);
      TensorData got = actual.get(name);
      assertEquals(want.dtype(), got.dtype(), name + " dtype");
      assertArrayEquals(want.shape(), got.shape(), name + " shape");
      assertArrayEquals(bits(want.values()), bits(got.values()), name + " values");
    }
  }

  static void assertSameTensorsAnyOrder(
      Map<String, TensorData> expected, Map<String, TensorData> actual) {
    assertEquals(expected.keySet(), actual.keySet());
    Map<String, TensorData> reordered = new LinkedHashMap<>();
    for (String name : expected.keySet()) {
      reordered.put(name, actual.get(name));
    }
    assertSameTensors(expected, reordered);
  }

  static int[] bits(float[] values) {
    int[] out = new int[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = Float.floatToRawIntBits(values[i]);
    }
    return out;
  }
}
