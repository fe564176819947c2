package dev.icld.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.icld.audio.Audio;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrencyAndMemoryTest {
  @TempDir Path temp;

  private static double[] probabilities(InferenceResult r) {
    return r.output().probabilities().values().stream().mapToDouble(Double::doubleValue).toArray();
  }

  @Test
  void concurrentCallsGiveTheSequentialResults() throws Exception {
    Path dir = TinyModels.classifierWithSelector(temp);
    List<Audio> inputs = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      inputs.add(TinyModels.tone(1600 + 400 * i, i % 2 == 0 ? 16_000 : 8000, 150 + 120 * i, i));
    }
    String[] policies = {"selector", "static", "first-k"};
    try (DynamicSpeechModel model = DynamicSpeechModel.load(dir)) {
      InferenceResult[][] sequential = new InferenceResult[inputs.size()][policies.length];
      for (int i = 0; i < inputs.size(); i++) {
        for (int p = 0; p < policies.length; p++) {
          sequential[i][p] = model.infer(inputs.get(i), InferenceBudget.layers(1 + i % 4), policies[p]);
        }
      }
      int arrays = model.liveArrayCount();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (int thread = 0; thread < 8; thread++) {
          int offset = thread;
          futures.add(pool.submit(() -> {
            for (int n = 0; n < inputs.size(); n++) {
              int i = (n + offset * 5) % inputs.size();
              int p = (n + offset) % policies.length;
              InferenceResult r = model.infer(inputs.get(i), InferenceBudget.layers(1 + i % 4), policies[p]);
              assertArrayEquals(sequential[i][p].executedLayers(), r.executedLayers());
              assertArrayEquals(probabilities(sequential[i][p]), probabilities(r), 1e-6);
            }
            return null;
          }));
        }
        for (Future<?> f : futures) {
          f.get();
        }
      } finally {
        pool.shutdown();
      }
      assertEquals(arrays, model.liveArrayCount());
    }
  }

  @Test
  void twoThousandCallsLeaveNoArrayBehind() throws IOException {
    Path dir = TinyModels.classifierWithSelector(temp);
    try (DynamicSpeechModel model = DynamicSpeechModel.load(dir)) {
      Audio audio = TinyModels.tone(1600, 16_000, 440, 1);
      model.infer(audio, InferenceBudget.layers(2));
      int arrays = model.liveArrayCount();
      String[] policies = {"selector", "static", "first-k", "full"};
      for (int call = 0; call < 2000; call++) {
        model.infer(audio, InferenceBudget.layers(1 + call % 4), policies[call % 4]);
        if (call % 100 == 0) {
          model.inferBatch(List.of(audio, TinyModels.tone(2400, 16_000, 880, call)),
              InferenceBudget.fraction(0.5));
        }
      }
      assertEquals(arrays, model.liveArrayCount());
    }
  }
}
