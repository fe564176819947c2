package dev.icld.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.icld.metrics.Outcome;
import dev.icld.model.BackboneEngine;
import dev.icld.model.FoundationModel;
import dev.icld.model.FrontEndOutput;
import dev.icld.model.HeadEngine;
import dev.icld.model.LayerMask;
import dev.icld.model.ModelOutput;
import dev.icld.model.TaskModel;
import dev.icld.selection.Budget;
import dev.icld.selection.EntropyExit;
import dev.icld.selection.LayerSelectionPolicy;
import dev.icld.selection.LogMelFilterbanks;
import dev.icld.selection.Selection;
import dev.icld.selection.SelectionGroup;
import dev.icld.selection.SelectionInput;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The one path from waveforms to answers, under both the Java API ({@code runtime}) and the
 * reports ({@code eval}): the front end once, the layer-selection policy on what it reads, the
 * transformer layers it chose (utterances that share a choice run together, skipped layers are
 * never computed), the head of the chosen exit, then decoding. The backbone and the heads run on
 * the engines it is given (the task model itself on DJL, or an export of it); a layer selector
 * reads the backbone engine's features.
 *
 * <p>Thread-safe: a pass changes nothing the core holds, and its arrays live in the manager the
 * caller gives it.
 */
public final class InferenceCore {
  private final TaskModel model;
  private final BackboneEngine backbone;
  private final HeadEngine heads;
  private final OutputDecoder decoder;
  private final LogMelFilterbanks logMel = new LogMelFilterbanks();

  /** The task model on DJL: it runs its own backbone and heads. */
  public InferenceCore(TaskModel model) {
    this(model, model.backbone(), model);
  }

  /**
   * @param backbone runs the model's backbone (the model itself, or an export of it)
   * @param heads runs the model's heads (the model itself, or an export of them)
   */
  public InferenceCore(TaskModel model, BackboneEngine backbone, HeadEngine heads) {
    if (backbone.layerCount() != model.backbone().layerCount()) {
      throw new IllegalArgumentException("the " + backbone.engineName() + " engine runs "
          + backbone.layerCount() + " layers, the model has " + model.backbone().layerCount());
    }
    this.model = model;
    this.backbone = backbone;
    this.heads = heads;
    this.decoder = new OutputDecoder(model.task().classification() ? model.labels() : null);
  }

  public TaskModel model() {
    return model;
  }

  /**
   * What one pass over a batch produced.
   *
   * @param outputs one per utterance, in input order
   * @param selection the layers and exit the policy chose for each utterance
   */
  public record Pass(List<TaskOutput> outputs, Selection selection, Timings timings) {
    public Pass {
      outputs = List.copyOf(outputs);
    }

    /** Utterance {@code b} of the batch scored against its reference, timed as the whole pass. */
    public Outcome outcome(int b, int utterance, String reference) {
      return outputs.get(b).outcome(utterance, selection.mask(b), selection.exit(b), reference,
          timings.totalNanos());
    }
  }

  /**
   * Wall-clock time of a pass's stages, in nanoseconds.
   *
   * @param selectionNanos computing what the policy reads (log-mel filterbanks), and its choice
   * @param headsNanos the heads, a dynamic exit's stopping checks and decoding
   * @param totalNanos from the waveforms to the last output
   */
  public record Timings(long frontEndNanos, long selectionNanos, long layersNanos,
      long headsNanos, long totalNanos) {}

  /**
   * One pass over a batch.
   *
   * @param waveforms 16 kHz samples per utterance, zero-padded into one batch for the front end
   *     (a feature encoder that normalises over time sees the padding, as in Hugging Face)
   * @param manager where the pass's arrays live
   */
  public Pass run(List<float[]> waveforms, LayerSelectionPolicy policy, Budget budget,
      NDManager manager) {
    long start = System.nanoTime();
    FrontEndOutput front = frontEnd(waveforms, manager);
    long frontEndEnd = System.nanoTime();
    PolicyInput input = policyInput(policy, front, waveforms, manager);
    Selection selection = policy.select(input.input(), budget);
    long selectionEnd = System.nanoTime();
    boolean stoppingChecks = policy.reads().contains(SelectionInput.Part.EXIT_ENTROPIES);
    TaskOutput[] outputs = new TaskOutput[waveforms.size()];
    long layersNanos = 0;
    long headsNanos = 0;
    for (SelectionGroup group : selection.groups()) {
      long groupStart = System.nanoTime();
      ModelOutput output = backbone.encode(rows(front, group.utterances()), group.layerMask());
      long layersEnd = System.nanoTime();
      int head = headFor(group.exit());
      NDArray logits = heads.logits(output, head);
      if (stoppingChecks) {
        // What a layer-by-layer run checks on its way: every exit's entropy up to the chosen one.
        for (int h = 0; h < head; h++) {
          entropies(heads.logits(output, h), output.frameLengths());
        }
        entropies(logits, output.frameLengths());
      }
      List<TaskOutput> decoded = decoder.decode(logits, output.frameLengths());
      int[] members = group.utterances();
      for (int i = 0; i < members.length; i++) {
        outputs[members[i]] = decoded.get(i);
      }
      layersNanos += layersEnd - groupStart;
      headsNanos += System.nanoTime() - layersEnd;
    }
    long end = System.nanoTime();
    return new Pass(Arrays.asList(outputs), selection, new Timings(frontEndEnd - start,
        selectionEnd - frontEndEnd - input.untimedNanos(), layersNanos, headsNanos,
        end - start - input.untimedNanos()));
  }

  /** The front end of 16 kHz waveforms, zero-padded to the longest, in {@code manager}. */
  public FrontEndOutput frontEnd(List<float[]> waveforms, NDManager manager) {
    int[] lengths = waveforms.stream().mapToInt(w -> w.length).toArray();
    return backbone.frontEnd(FoundationModel.padBatch(waveforms, manager), lengths);
  }

  /** What {@code policy} reads of the batch whose front end is {@code front}. */
  public SelectionInput selectionInput(LayerSelectionPolicy policy, FrontEndOutput front,
      List<float[]> waveforms, NDManager manager) {
    return policyInput(policy, front, waveforms, manager).input();
  }

  /** A policy's input, and how long its part that a pass does not time took. */
  private record PolicyInput(SelectionInput input, long untimedNanos) {}

  private PolicyInput policyInput(LayerSelectionPolicy policy, FrontEndOutput front,
      List<float[]> waveforms, NDManager manager) {
    // The features come with the front end, so every input carries them.
    SelectionInput input = SelectionInput.ofFeatures(front.features(), front.frameLengths());
    Set<SelectionInput.Part> reads = policy.reads();
    long untimed = 0;
    if (reads.contains(SelectionInput.Part.EXIT_ENTROPIES)) {
      // A dynamic exit decides layer by layer, but an engine runs a whole mask at once, so the
      // entropy at every exit comes from a full-depth pass. No layer's state depends on a later
      // layer, so the exits chosen are those a layer-by-layer run stops at; that pass is no part
      // of such a run, so it is left out of the timings (the run's own checks are timed).
      long probeStart = System.nanoTime();
      input = input.withExitEntropies(exitEntropies(front));
      untimed = System.nanoTime() - probeStart;
    }
    if (reads.contains(SelectionInput.Part.LOG_MEL)) {
      int[] lengths = waveforms.stream().mapToInt(w -> w.length).toArray();
      SelectionInput filterbanks =
          logMel.compute(waveforms.toArray(new float[0][]), lengths, manager);
      input = input.withLogMel(filterbanks.logMel(), filterbanks.logMelLengths());
    }
    return new PolicyInput(input, untimed);
  }

  /**
   * Every utterance's entropy (nats) at every exit at full depth, {@code [B][exits]}: of the class
   * posteriors for classification, the mean per-frame entropy for CTC. What a dynamic exit stops
   * on, and calibrates its thresholds with.
   */
  public double[][] exitEntropies(FrontEndOutput front) {
    ModelOutput output = backbone.encode(front, LayerMask.all(backbone.layerCount()));
    int exits = model.heads().size();
    double[][] entropies = new double[front.frameLengths().length][exits];
    for (int head = 0; head < exits; head++) {
      double[] atHead = entropies(heads.logits(output, head), output.frameLengths());
      for (int b = 0; b < atHead.length; b++) {
        entropies[b][head] = atHead[b];
      }
    }
    return entropies;
  }

  /**
   * The layers of {@code mask} on a front end computed before, read by the head after layer
   * {@code exit}, decoded: one output per row of the front end.
   */
  public List<TaskOutput> predict(FrontEndOutput front, LayerMask mask, int exit) {
    ModelOutput output = backbone.encode(front, mask);
    return decoder.decode(heads.logits(output, headFor(exit)), output.frameLengths());
  }

  /** The head that reads the output after layer {@code exit}. */
  private int headFor(int exit) {
    int head = model.exits().indexOf(exit);
    if (head < 0) {
      throw new IllegalStateException("the model has no head after layer " + exit
          + " (its exits: " + model.exits() + ")");
    }
    return head;
  }

  /** The front end of some utterances of the batch (all of it when they are all, in order). */
  private static FrontEndOutput rows(FrontEndOutput front, int[] utterances) {
    int[] lengths = front.frameLengths();
    boolean whole = utterances.length == lengths.length;
    for (int i = 0; whole && i < utterances.length; i++) {
      whole = utterances[i] == i;
    }
    if (whole) {
      return front;
    }
    NDList features = new NDList();
    NDList projected = new NDList();
    int[] groupLengths = new int[utterances.length];
    for (int i = 0; i < utterances.length; i++) {
      features.add(front.features().get(utterances[i]));
      projected.add(front.projected().get(utterances[i]));
      groupLengths[i] = lengths[utterances[i]];
    }
    return new FrontEndOutput(NDArrays.stack(features), NDArrays.stack(projected), groupLengths);
  }

  /**
   * Per row, the entropy of a [B, classes] prediction, or the mean frame entropy over the valid
   * frames of a [B, T, classes] one.
   */
  private static double[] entropies(NDArray logits, int[] frameLengths) {
    float[] p = logits.softmax(-1).toFloatArray();
    long[] shape = logits.getShape().getShape();
    int rows = Math.toIntExact(shape[0]);
    int row = p.length / rows;
    int classes = Math.toIntExact(shape[shape.length - 1]);
    double[] entropies = new double[rows];
    for (int b = 0; b < rows; b++) {
      if (shape.length == 2) {
        entropies[b] = EntropyExit.entropy(Arrays.copyOfRange(p, b * row, (b + 1) * row));
      } else {
        float[][] perFrame = new float[frameLengths[b]][];
        for (int t = 0; t < perFrame.length; t++) {
          perFrame[t] = Arrays.copyOfRange(p, b * row + t * classes, b * row + (t + 1) * classes);
        }
        entropies[b] = EntropyExit.meanFrameEntropy(perFrame, perFrame.length);
      }
    }
    return entropies;
  }
}
