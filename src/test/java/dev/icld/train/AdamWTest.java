package dev.icld.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.icld.model.Torch;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parity with torch.optim.AdamW (scripts/fixtures/make_optimizer_fixtures.py). */
class AdamWTest {
  @Test
  void matchesTorchAndLeavesSkippedParametersAlone() throws Exception {
    JsonObject ref = fixture();
    JsonObject shapes = ref.getAsJsonObject("shapes");
    try (NDManager manager = Torch.newManager()) {
      Map<String, NDArray> params = new LinkedHashMap<>();
      for (String name : shapes.keySet()) {
        params.put(name, manager.create(floats(ref.getAsJsonObject("initial").getAsJsonArray(name)),
            shape(shapes.getAsJsonArray(name))));
      }
      JsonArray betas = ref.getAsJsonArray("betas");
      AdamW adam = new AdamW(new AdamW.Options(betas.get(0).getAsDouble(),
          betas.get(1).getAsDouble(), ref.get("eps").getAsDouble(), 0.1));
      int step = 0;
      for (var s : ref.getAsJsonArray("steps")) {
        JsonObject st = s.getAsJsonObject();
        Map<String, NDArray> grads = new LinkedHashMap<>();
        for (String name : st.getAsJsonObject("grads").keySet()) {
          grads.put(name, manager.create(floats(st.getAsJsonObject("grads").getAsJsonArray(name)),
              params.get(name).getShape()));
        }
        float[] skippedBefore = params.get("skipped_weight").toFloatArray();
        adam.step(params, grads, st.get("lr").getAsDouble());
        if (!grads.containsKey("skipped_weight")) {
          assertArrayEquals(skippedBefore, params.get("skipped_weight").toFloatArray(), 0f,
              "skipped parameter moved at step " + step);
        }
        for (String name : params.keySet()) {
          float[] expected = floats(st.getAsJsonObject("after").getAsJsonArray(name));
          float[] actual = params.get(name).toFloatArray();
          for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * Math.max(1, Math.abs(expected[i])),
                name + "[" + i + "] after step " + step);
          }
        }
        step++;
      }
      assertEquals(5, adam.steps("weight"));
      assertEquals(3, adam.steps("skipped_weight"));
    }
  }

  @Test
  void stateRoundTripContinuesIdentically() {
    try (NDManager manager = Torch.newManager()) {
      Map<String, NDArray> a = Map.of("w", manager.create(new float[] {1, 2, 3, 4}, new Shape(2, 2)));
      Map<String, NDArray> b = Map.of("w", a.get("w").duplicate());
      AdamW first = new AdamW(AdamW.Options.defaults());
      NDArray g = manager.create(new float[] {0.5f, -1, 2, 0.1f}, new Shape(2, 2));
      first.step(a, Map.of("w", g), 1e-2);
      AdamW second = new AdamW(AdamW.Options.defaults());
      second.step(b, Map.of("w", g), 1e-2);
      AdamW resumed = new AdamW(AdamW.Options.defaults());
      resumed.restore(second.state(), b);
      first.step(a, Map.of("w", g.mul(-1)), 1e-2);
      resumed.step(b, Map.of("w", g.mul(-1)), 1e-2);
      assertArrayEquals(a.get("w").toFloatArray(), b.get("w").toFloatArray(), 0f);
      assertTrue(resumed.steps("w") == 2);
    }
  }

  private static JsonObject fixture() throws Exception {
    try (Reader r = new InputStreamReader(
        AdamWTest.class.getResourceAsStream("/train/adamw.json"), StandardCharsets.UTF_8)) {
      return JsonParser.parseReader(r).getAsJsonObject();
    }
  }

  private static Shape shape(JsonArray a) {
    long[] s = new long[a.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = a.get(i).getAsLong();
    }
    return new Shape(s);
  }

  private static float[] floats(JsonArray a) {
    float[] out = new float[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).getAsFloat();
    }
    return out;
  }
}
