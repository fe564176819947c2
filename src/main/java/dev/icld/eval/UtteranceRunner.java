package dev.icld.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.icld.data.CharacterVocabulary;
import dev.icld.data.Corpus;
import dev.icld.model.BackboneEngine;
import dev.icld.model.HeadEngine;
import dev.icld.model.FrontEndOutput;
import dev.icld.model.LayerMask;
import dev.icld.model.ModelOutput;
import dev.icld.model.TaskModel;
import dev.icld.selection.Budget;
import dev.icld.selection.EntropyExit;
import dev.icld.selection.LayerSelectionPolicy;
import dev.icld.selection.LogMelFilterbanks;
import dev.icld.selection.Selection;
import dev.icld.selection.SelectionInput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a task model on one utterance at a time (batch size 1, the latency that matters on a
 * device) under a layer-selection policy and a budget: the front end once, the policy's choice
 * from its output, then only the chosen layers, the head of the chosen exit and decoding. Also
 * scores precomputed front ends under fixed masks, for searches on a dev set. The backbone and the
 * heads run on the engines it is given (DJL, the model itself, unless said otherwise); the layer
 * selector reads the backbone engine's features.
 */
public final class UtteranceRunner {
  private final TaskModel model;
  private final BackboneEngine engine;
  private final HeadEngine heads;
  private final Corpus corpus;
  private final LogMelFilterbanks logMel = new LogMelFilterbanks();
  private final CtcGreedyDecoder decoder = new CtcGreedyDecoder(CharacterVocabulary.BLANK);

  /** @param corpus the utterances to run, with labels (classification) or transcripts (ASR) */
  public UtteranceRunner(TaskModel model, Corpus corpus) {
    this(model, model.backbone(), model, corpus);
  }

  /**
   * @param engine runs the model's backbone (the model itself, or an export of it)
   * @param heads runs the model's heads (the model itself, or an export of them)
   * @param corpus the utterances to run, with labels (classification) or transcripts (ASR)
   */
  public UtteranceRunner(TaskModel model, BackboneEngine engine, HeadEngine heads, Corpus corpus) {
    if (engine.layerCount() != model.backbone().layerCount()) {
      throw new IllegalArgumentException("the " + engine.engineName() + " engine runs "
          + engine.layerCount() + " layers, the model has " + model.backbone().layerCount());
    }
    this.model = model;
    this.engine = engine;
    this.heads = heads;
    this.corpus = corpus;
  }

  public Corpus corpus() {
    return corpus;
  }

  public TaskModel model() {
    return model;
  }

  public BackboneEngine engine() {
    return engine;
  }

  public HeadEngine heads() {
    return heads;
  }

  /**
   * One timed pass.
   *
   * @param withLogMel whether the policy reads log-mel filterbanks (computed inside the timed pass)
   */
  public Outcome run(int utterance, LayerSelectionPolicy policy, Budget budget, boolean withLogMel,
      NDManager parent) throws IOException {
    float[] samples = corpus.samples(utterance);
    long start = System.nanoTime();
    try (NDManager manager = parent.newSubManager()) {
      FrontEndOutput frontEnd = frontEnd(samples, manager);
      SelectionInput input = SelectionInput.ofFeatures(frontEnd.features(), frontEnd.frameLengths());
      if (withLogMel) {
        SelectionInput filterbanks =
            logMel.compute(new float[][] {samples}, new int[] {samples.length}, manager);
        input = input.withLogMel(filterbanks.logMel(), filterbanks.logMelLengths());
      }
      Selection selection = policy.select(input, budget);
      boolean[] mask = selection.mask(0);
      int exit = selection.exit(0);
      ModelOutput output = engine.encode(frontEnd, LayerMask.keep(mask));
      NDArray logits = heads.logits(output, headFor(exit));
      Outcome judged = judge(utterance, logits, output.frameLengths()[0], mask, exit);
      return judged.withNanos(System.nanoTime() - start);
    }
  }

  /**
   * The entropy (nats) of every exit head's prediction at full depth (classification: of the
   * class posteriors; ASR: the mean per-frame entropy), for calibrating a dynamic exit.
   */
  public double[] exitEntropies(int utterance, NDManager parent) throws IOException {
    float[] samples = corpus.samples(utterance);
    try (NDManager manager = parent.newSubManager()) {
      FrontEndOutput frontEnd = frontEnd(samples, manager);
      ModelOutput output =
          engine.encode(frontEnd, LayerMask.all(engine.layerCount()));
      double[] entropies = new double[model.heads().size()];
      for (int head = 0; head < entropies.length; head++) {
        entropies[head] = entropy(heads.logits(output, head), output.frameLengths()[0]);
      }
      return entropies;
    }
  }

  /**
   * A dynamic-exit pass: the exit comes from the full-depth entropies (untimed), then the timed
   * pass runs what a device would, the layers up to the exit and every exit head on the way (each
   * head's entropy is the per-layer stopping check).
   */
  public Outcome runDynamicExit(int utterance, EntropyExit rule, NDManager parent)
      throws IOException {
    int exit = rule.exitFor(exitEntropies(utterance, parent));
    float[] samples = corpus.samples(utterance);
    boolean[] mask = new boolean[engine.layerCount()];
    Arrays.fill(mask, 0, exit, true);
    long start = System.nanoTime();
    try (NDManager manager = parent.newSubManager()) {
      FrontEndOutput frontEnd = frontEnd(samples, manager);
      ModelOutput output = engine.encode(frontEnd, LayerMask.keep(mask));
      int frames = output.frameLengths()[0];
      for (int head = 0; head < headFor(exit); head++) {
        entropy(heads.logits(output, head), frames);
      }
      NDArray logits = heads.logits(output, headFor(exit));
      entropy(logits, frames);
      Outcome judged = judge(utterance, logits, frames, mask, exit);
      return judged.withNanos(System.nanoTime() - start);
    }
  }

  /** The front end of one utterance, in {@code manager}. */
  public FrontEndOutput frontEnd(float[] samples, NDManager manager) {
    return engine.frontEnd(manager.create(samples, new Shape(1, samples.length)),
        new int[] {samples.length});
  }

  /** An untimed pass from a precomputed front end under a fixed mask, read after the last layer. */
  public Outcome score(int utterance, FrontEndOutput frontEnd, boolean[] mask, NDManager parent) {
    try (NDManager manager = parent.newSubManager()) {
      frontEnd.projected().tempAttach(manager);
      frontEnd.features().tempAttach(manager);
      ModelOutput output = engine.encode(frontEnd, LayerMask.keep(mask));
      return judge(utterance, heads.logits(output, model.finalHead()), output.frameLengths()[0],
          mask, mask.length);
    }
  }

  /** The head that reads the output after layer {@code exit}. */
  int headFor(int exit) {
    int head = model.exits().indexOf(exit);
    if (head < 0) {
      throw new IllegalStateException("the model has no head after layer " + exit
          + " (its exits: " + model.exits() + ")");
    }
    return head;
  }

  /**
   * Untimed passes of a batch from its precomputed front end under a fixed mask, read after the
   * last layer.
   *
   * @param utterances the corpus indices of the front end's rows
   */
  public List<Outcome> scoreBatch(int[] utterances, FrontEndOutput frontEnd, boolean[] mask,
      NDManager parent) {
    try (NDManager manager = parent.newSubManager()) {
      frontEnd.projected().tempAttach(manager);
      frontEnd.features().tempAttach(manager);
      ModelOutput output = engine.encode(frontEnd, LayerMask.keep(mask));
      NDArray logits = heads.logits(output, model.finalHead());
      float[] scores = logits.toFloatArray();
      long[] shape = logits.getShape().getShape();
      int row = Math.toIntExact(scores.length / shape[0]);
      List<Outcome> outcomes = new ArrayList<>();
      for (int b = 0; b < utterances.length; b++) {
        outcomes.add(judge(utterances[b], Arrays.copyOfRange(scores, b * row, (b + 1) * row),
            (int) shape[shape.length - 1], output.frameLengths()[b], mask, mask.length));
      }
      return outcomes;
    }
  }

  private Outcome judge(int utterance, NDArray logits, int frames, boolean[] mask, int exit) {
    return judge(utterance, logits.toFloatArray(),
        (int) logits.getShape().get(logits.getShape().dimension() - 1), frames, mask, exit);
  }

  /** Scores one utterance's logits: [classes], or [T, classes] of which the first frames count. */
  private Outcome judge(int utterance, float[] scores, int classes, int frames, boolean[] mask,
      int exit) {
    if (model.task().classification()) {
      int best = 0;
      for (int c = 1; c < classes; c++) {
        if (scores[c] > scores[best]) {
          best = c;
        }
      }
      int label = model.labels().indexOf(corpus.get(utterance).entry().label());
      return new Outcome(utterance, mask, exit, best == label, null, null, 0);
    }
    String hypothesis = CharacterVocabulary.decode(decoder.decode(scores, classes, frames));
    String reference = CharacterVocabulary.decode(
        CharacterVocabulary.encode(corpus.get(utterance).entry().transcript()));
    return new Outcome(utterance, mask, exit, false,
        ErrorRates.wordCounts(List.of(reference), List.of(hypothesis)),
        ErrorRates.characterCounts(List.of(reference), List.of(hypothesis)), 0);
  }

  /** Entropy of a [1, classes] or the mean frame entropy of a [1, T, classes] prediction. */
  private static double entropy(NDArray logits, int frames) {
    float[] p = logits.softmax(-1).toFloatArray();
    int classes = (int) logits.getShape().get(logits.getShape().dimension() - 1);
    if (logits.getShape().dimension() == 2) {
      return EntropyExit.entropy(p);
    }
    float[][] perFrame = new float[frames][];
    for (int t = 0; t < frames; t++) {
      perFrame[t] = Arrays.copyOfRange(p, t * classes, (t + 1) * classes);
    }
    return EntropyExit.meanFrameEntropy(perFrame, frames);
  }
}
