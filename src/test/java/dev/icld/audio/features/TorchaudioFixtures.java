package dev.icld.audio.features;

import dev.icld.audio.Audio;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The torchaudio reference outputs under src/test/resources/features (made by
 * scripts/fixtures/make_feature_fixtures.py): test signals and, per case, the function, options and
 * expected {@code [frames][bins]} output.
 */
final class TorchaudioFixtures {
  private static final String ROOT = "/features/";

  record Case(String name, String function, String signal, JsonObject options, float[][] expected) {}

  private TorchaudioFixtures() {}

  static List<Case> cases() {
    JsonObject index = JsonParser.parseString(new String(read("index.json"), StandardCharsets.UTF_8)).getAsJsonObject();
    List<Case> cases = new ArrayList<>();
    for (JsonElement element : index.getAsJsonArray("cases")) {
      JsonObject c = element.getAsJsonObject();
      int frames = c.getAsJsonArray("shape").get(0).getAsInt();
      int bins = c.getAsJsonArray("shape").get(1).getAsInt();
      float[] flat = floats(c.get("file").getAsString());
      float[][] expected = new float[frames][bins];
      for (int t = 0; t < frames; t++) {
        System.arraycopy(flat, t * bins, expected[t], 0, bins);
      }
      cases.add(
          new Case(
              c.get("name").getAsString(),
              c.get("function").getAsString(),
              c.get("signal").getAsString(),
              c.getAsJsonObject("options"),
              expected));
    }
    return cases;
  }

  static Audio signal(String name) {
    JsonObject index = JsonParser.parseString(new String(read("index.json"), StandardCharsets.UTF_8)).getAsJsonObject();
    JsonObject signal = index.getAsJsonObject("signals").getAsJsonObject(name);
    return new Audio(floats(signal.get("file").getAsString()), signal.get("sample_rate").getAsInt());
  }

  /**
   * Applies torchaudio keyword options to one of our builders by name: snake_case becomes the
   * camelCase builder method, so the fixtures also check that our option names follow torchaudio's.
   */
  static <B> B applyOptions(B builder, JsonObject options, String... skipped) {
    for (Map.Entry<String, JsonElement> option : options.entrySet()) {
      if (List.of(skipped).contains(option.getKey())) {
        continue;
      }
      String methodName = camelCase(option.getKey());
      Method setter = findSetter(builder.getClass(), methodName);
      try {
        setter.invoke(builder, convert(option.getValue(), setter.getParameterTypes()[0]));
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException("option " + option.getKey() + ": " + e, e);
      }
    }
    return builder;
  }

  private static Method findSetter(Class<?> type, String name) {
    for (Method method : type.getMethods()) {
      if (method.getName().equals(name) && method.getParameterCount() == 1) {
        return method;
      }
    }
    throw new IllegalStateException(type.getName() + " has no option " + name);
  }

  private static Object convert(JsonElement value, Class<?> type) {
    if (type == double.class || type == Double.class) {
      return value.getAsDouble();
    }
    if (type == int.class || type == Integer.class) {
      return value.getAsInt();
    }
    if (type == long.class) {
      return value.getAsLong();
    }
    if (type == boolean.class) {
      return value.getAsBoolean();
    }
    if (type == KaldiWindowType.class) {
      return KaldiWindowType.fromName(value.getAsString());
    }
    if (type == MelNorm.class) {
      return MelNorm.fromName(value.isJsonNull() ? null : value.getAsString());
    }
    if (type == MelScaleType.class) {
      return MelScaleType.fromName(value.getAsString());
    }
    throw new IllegalStateException("no conversion to " + type);
  }

  static String camelCase(String snake) {
    StringBuilder out = new StringBuilder();
    boolean upper = false;
    for (char c : snake.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }

  private static float[] floats(String file) {
    ByteBuffer bytes = ByteBuffer.wrap(read(file)).order(ByteOrder.LITTLE_ENDIAN);
    float[] values = new float[bytes.remaining() / Float.BYTES];
    bytes.asFloatBuffer().get(values);
    return values;
  }

  private static byte[] read(String file) {
    try (InputStream in = TorchaudioFixtures.class.getResourceAsStream(ROOT + file)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + ROOT + file);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
