package dev.icld.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.icld.data.Batch;
import dev.icld.data.BatchLoader;
import dev.icld.data.CharacterVocabulary;
import dev.icld.data.ProgressBar;
import dev.icld.model.LayerMask;
import dev.icld.model.ModelOutput;
import dev.icld.model.TaskModel;
import dev.icld.model.Torch;
import dev.icld.train.Evaluation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores a {@link TaskModel} on a corpus under a layer mask: accuracy and macro-F1 for
 * classification (the score is accuracy), WER and CER for ASR (the score is -WER, so that higher
 * is better).
 */
public final class TaskEvaluator {
  private TaskEvaluator() {}

  /** Every layer, the full-depth head. */
  public static Evaluation evaluate(TaskModel model, BatchLoader loader) {
    return evaluate(model, loader, LayerMask.all(model.backbone().layerCount()), model.finalHead());
  }

  /**
   * @param mask which layers run
   * @param head which head's predictions count (for early exit, the exit to read)
   */
  public static Evaluation evaluate(TaskModel model, BatchLoader loader, LayerMask mask, int head) {
    List<Integer> labels = new ArrayList<>();
    List<Integer> predictions = new ArrayList<>();
    List<String> references = new ArrayList<>();
    List<String> hypotheses = new ArrayList<>();
    CtcGreedyDecoder decoder = new CtcGreedyDecoder(CharacterVocabulary.BLANK);
    List<int[]> plan = loader.plan(0);
    try (NDManager root = Torch.newManager();
        ProgressBar bar = new ProgressBar(
            "evaluating " + loader.corpus().manifest().getFileName(), plan.size())) {
      for (int[] indices : plan) {
        Batch batch = loader.load(indices);
        try (NDManager manager = root.newSubManager()) {
          ModelOutput output =
              model.backbone().forward(manager.create(batch.audio()), batch.lengths(), mask);
          NDArray logits = model.logits(output, head);
          int classes = (int) logits.getShape().get(logits.getShape().dimension() - 1);
          float[] scores = logits.toFloatArray();
          for (int b = 0; b < batch.size(); b++) {
            if (model.task().classification()) {
              labels.add(batch.labels()[b]);
              predictions.add(argmax(scores, b * classes, classes));
            } else {
              int frames = (int) logits.getShape().get(1);
              float[] row = new float[frames * classes];
              System.arraycopy(scores, b * frames * classes, row, 0, row.length);
              hypotheses.add(CharacterVocabulary.decode(
                  decoder.decode(row, classes, output.frameLengths()[b])));
              references.add(CharacterVocabulary.decode(
                  CharacterVocabulary.encode(batch.utterances().get(b).entry().transcript())));
            }
          }
        }
        bar.step();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    if (model.task().classification()) {
      int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
      int[] p = predictions.stream().mapToInt(Integer::intValue).toArray();
      double accuracy = ClassificationMetrics.accuracy(y, p);
      metrics.put("accuracy", accuracy);
      metrics.put("macro_f1", ClassificationMetrics.macroF1(y, p, model.labels().size()));
      return new Evaluation("accuracy", accuracy, metrics);
    }
    double wer = ErrorRates.wer(references, hypotheses);
    metrics.put("wer", wer);
    metrics.put("cer", ErrorRates.cer(references, hypotheses));
    return new Evaluation("negative_wer", -wer, metrics);
  }

  /** The index of the largest of {@code count} scores starting at {@code from}. */
  static int argmax(float[] scores, int from, int count) {
    int best = 0;
    for (int c = 1; c < count; c++) {
      if (scores[from + c] > scores[from + best]) {
        best = c;
      }
    }
    return best;
  }
}
