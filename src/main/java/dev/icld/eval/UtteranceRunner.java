package dev.icld.eval;

import ai.djl.ndarray.NDManager;
import dev.icld.data.Corpus;
import dev.icld.inference.InferenceCore;
import dev.icld.inference.TaskOutput;
import dev.icld.metrics.Outcome;
import dev.icld.model.FrontEndOutput;
import dev.icld.model.LayerMask;
import dev.icld.model.TaskModel;
import dev.icld.selection.Budget;
import dev.icld.selection.LayerSelectionPolicy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link InferenceCore} on the utterances of a corpus, each scored against its reference:
 * timed passes one utterance at a time (batch size 1, the latency that matters on a device), and
 * untimed passes of precomputed front ends under fixed masks, for searches on a dev set.
 */
public final class UtteranceRunner {
  private final InferenceCore core;
  private final Corpus corpus;

  /** The model on DJL. */
  public UtteranceRunner(TaskModel model, Corpus corpus) {
    this(new InferenceCore(model), corpus);
  }

  /** @param corpus the utterances to run, with labels (classification) or transcripts (ASR) */
  public UtteranceRunner(InferenceCore core, Corpus corpus) {
    this.core = core;
    this.corpus = corpus;
  }

  public Corpus corpus() {
    return corpus;
  }

  public TaskModel model() {
    return core.model();
  }

  public InferenceCore core() {
    return core;
  }

  /** One timed pass of one utterance, as the runtime runs a call. */
  public Outcome run(int utterance, LayerSelectionPolicy policy, Budget budget, NDManager parent)
      throws IOException {
    return answer(utterance, policy, budget, parent).outcome();
  }

  /**
   * An utterance's scored result and what the model answered.
   *
   * @param prediction the predicted label, or the transcript
   */
  public record Answer(Outcome outcome, String prediction) {}

  /** {@link #run}, with the model's answer beside its score. */
  public Answer answer(int utterance, LayerSelectionPolicy policy, Budget budget,
      NDManager parent) throws IOException {
    float[] samples = corpus.samples(utterance);
    try (NDManager manager = parent.newSubManager()) {
      InferenceCore.Pass pass = core.run(List.of(samples), policy, budget, manager);
      return new Answer(pass.outcome(0, utterance, reference(utterance)),
          pass.outputs().get(0).text());
    }
  }

  /** The entropy at every exit at full depth (see {@link InferenceCore#exitEntropies}). */
  public double[] exitEntropies(int utterance, NDManager parent) throws IOException {
    try (NDManager manager = parent.newSubManager()) {
      return core.exitEntropies(frontEnd(corpus.samples(utterance), manager))[0];
    }
  }

  /** The front end of one utterance, in {@code manager}. */
  public FrontEndOutput frontEnd(float[] samples, NDManager manager) {
    return core.frontEnd(List.of(samples), manager);
  }

  /** An untimed pass from a precomputed front end under a fixed mask, read after the last layer. */
  public Outcome score(int utterance, FrontEndOutput frontEnd, boolean[] mask, NDManager parent) {
    return scoreBatch(new int[] {utterance}, frontEnd, mask, parent).get(0);
  }

  /**
   * Untimed passes of a batch from its precomputed front end under a fixed mask, read after the
   * last layer.
   *
   * @param utterances the corpus indices of the front end's rows
   */
  public List<Outcome> scoreBatch(int[] utterances, FrontEndOutput frontEnd, boolean[] mask,
      NDManager parent) {
    List<TaskOutput> outputs = predictBatch(frontEnd, mask, parent);
    List<Outcome> outcomes = new ArrayList<>();
    for (int b = 0; b < utterances.length; b++) {
      outcomes.add(outputs.get(b).outcome(utterances[b], mask, mask.length,
          reference(utterances[b]), 0));
    }
    return outcomes;
  }

  /**
   * Untimed passes of a batch from its precomputed front end under a fixed mask, read after the
   * last layer: the outputs themselves, class probabilities included.
   */
  public List<TaskOutput> predictBatch(FrontEndOutput frontEnd, boolean[] mask, NDManager parent) {
    try (NDManager manager = parent.newSubManager()) {
      frontEnd.projected().tempAttach(manager);
      frontEnd.features().tempAttach(manager);
      return core.predict(frontEnd, LayerMask.keep(mask), mask.length);
    }
  }

  /** The label, or the transcript, that utterance's output is scored against. */
  private String reference(int utterance) {
    return core.model().task().classification() ? corpus.get(utterance).entry().label()
        : corpus.get(utterance).entry().transcript();
  }
}
