package dev.icld.eval;

import ai.djl.ndarray.NDManager;
import dev.icld.data.Batch;
import dev.icld.data.BatchLoader;
import dev.icld.data.CharacterVocabulary;
import dev.icld.data.ProgressBar;
import dev.icld.inference.InferenceCore;
import dev.icld.inference.TaskOutput;
import dev.icld.metrics.ClassificationMetrics;
import dev.icld.metrics.ErrorRates;
import dev.icld.model.LayerMask;
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
 * Scores a {@link TaskModel} at full depth on a corpus, in its loader's padded batches: accuracy
 * and macro-F1 for classification (the score is accuracy), WER and CER for ASR (the score is
 * -WER, so that higher is better). The dev score that picks a fine-tuning checkpoint.
 */
public final class TaskEvaluator {
  private TaskEvaluator() {}

  public static Evaluation evaluate(TaskModel model, BatchLoader loader) {
    int layers = model.backbone().layerCount();
    InferenceCore core = new InferenceCore(model);
    List<Integer> labels = new ArrayList<>();
    List<Integer> predictions = new ArrayList<>();
    List<String> references = new ArrayList<>();
    List<String> hypotheses = new ArrayList<>();
    List<int[]> plan = loader.plan(0);
    try (NDManager root = Torch.newManager();
        ProgressBar bar = new ProgressBar(
            "evaluating " + loader.corpus().manifest().getFileName(), plan.size())) {
      for (int[] indices : plan) {
        Batch batch = loader.load(indices);
        try (NDManager manager = root.newSubManager()) {
          List<TaskOutput> outputs = core.predict(model.backbone().frontEnd(
              manager.create(batch.audio()), batch.lengths()), LayerMask.all(layers), layers);
          for (int b = 0; b < batch.size(); b++) {
            if (model.task().classification()) {
              labels.add(batch.labels()[b]);
              predictions.add(model.labels().indexOf(outputs.get(b).label()));
            } else {
              hypotheses.add(outputs.get(b).transcript());
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
}
