package dev.icld.eval;

import ai.djl.ndarray.NDManager;
import dev.icld.data.Corpus;
import dev.icld.data.ProgressBar;
import dev.icld.inference.InferenceCore;
import dev.icld.methods.Method;
import dev.icld.methods.MethodResources;
import dev.icld.methods.Methods;
import dev.icld.methods.Need;
import dev.icld.metrics.MetricTally;
import dev.icld.metrics.Outcome;
import dev.icld.model.BackboneEngine;
import dev.icld.model.Flops;
import dev.icld.model.HeadEngine;
import dev.icld.model.ModelConfig;
import dev.icld.model.TaskModel;
import dev.icld.model.Torch;
import dev.icld.selection.Budget;
import dev.icld.selection.EntropyExit;
import dev.icld.selection.FullDepthPolicy;
import dev.icld.selection.LayerSelectionPolicy;
import dev.icld.selection.LayerSelector;
import dev.icld.selection.StaticSubsets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Runs every requested layer-dropping method ({@link Methods}) at every budget on a test set, one
 * utterance at a time through the {@link InferenceCore}, and summarises each run (METHOD design
 * point 7). What a method needs and a model lacks
 * (exit heads, a selector, a dev set for searches and calibration) makes it skipped with the
 * reason, never silently dropped. The static subsets are searched on the dev set the first time
 * and stored beside the model ({@link StaticSubsets#FILE}); later runs reuse them. Everything
 * random (random layers, bootstrap resampling) derives from the seed, so the same seed gives the
 * same results except the measured latencies.
 *
 * <p>Early exit needs a model fine-tuned with exit heads, the other methods one fine-tuned with
 * random LayerDrop; given a second model (same backbone, task, labels and layer count), early-exit
 * and dynamic-exit run on it and everything else on the first, on the same test set, budgets and
 * bootstrap. Each result names the model directory it came from.
 *
 * <p>scratch-cnn is no layer-dropping method but a reference beside them: a small log-mel CNN
 * trained from scratch on the corpus's train split ({@link ScratchCnnBaseline}), for
 * classification only. It has no budget, so it comes back as the comparison's reference, not
 * among the results at a budget.
 */
public final class MethodComparison {
  /**
   * @param methods the methods to run, in order
   * @param scratchCnn whether to run the scratch-cnn reference beside them
   * @param budgets the budgets k, each in 1..L
   * @param seed random layers and bootstrap resampling derive from it
   * @param randomDraws how many seeded draws random layer dropping is run with (at least 5)
   * @param resamples bootstrap resamples for the 95% intervals
   * @param warmup untimed passes before each method and budget
   */
  public record Options(List<Method> methods, boolean scratchCnn, List<Integer> budgets,
      long seed, int randomDraws, int resamples, int warmup) {
    public Options {
      methods = List.copyOf(methods);
      budgets = List.copyOf(budgets);
      if ((methods.isEmpty() && !scratchCnn) || budgets.isEmpty()) {
        throw new IllegalArgumentException("need at least one method and one budget");
      }
      if (randomDraws < 5) {
        throw new IllegalArgumentException("random layer dropping needs at least 5 draws, got "
            + randomDraws);
      }
      if (resamples < 1 || warmup < 0) {
        throw new IllegalArgumentException("need resamples >= 1 and warm-up >= 0");
      }
    }

    /** What {@code --methods all} stands for: every method of a comparison, then scratch-cnn. */
    public static List<String> all() {
      List<String> names =
          new ArrayList<>(Methods.inComparison().stream().map(Method::name).toList());
      names.add(ScratchCnnBaseline.METHOD);
      return names;
    }

    /**
     * The methods and references named in {@code list}: "all", or a comma list of method names
     * and scratch-cnn.
     *
     * @throws IllegalArgumentException naming an unknown name and the known ones
     */
    public static Options named(String list, List<Integer> budgets, long seed, int randomDraws,
        int resamples, int warmup) {
      List<String> names = list.equals("all") ? all()
          : Arrays.stream(list.split(",")).map(String::trim).toList();
      List<Method> methods = new ArrayList<>();
      boolean scratchCnn = false;
      for (String name : names) {
        Method method = Methods.find(name);
        if (name.equals(ScratchCnnBaseline.METHOD)) {
          scratchCnn = true;
        } else if (method == null) {
          throw new IllegalArgumentException("unknown method \"" + name
              + "\" (expected all or some of " + Methods.names(Methods.ALL) + ", "
              + ScratchCnnBaseline.METHOD + ")");
        } else {
          methods.add(method);
        }
      }
      return new Options(methods, scratchCnn, budgets, seed, randomDraws, resamples, warmup);
    }

    /** The names of the methods and references, as {@code --methods} takes them. */
    public List<String> names() {
      List<String> names = new ArrayList<>(methods.stream().map(Method::name).toList());
      if (scratchCnn) {
        names.add(ScratchCnnBaseline.METHOD);
      }
      return names;
    }
  }

  /**
   * What a comparison produced.
   *
   * @param staticSubsets "loaded" or "searched" when the static method ran, else null
   * @param exitModel the directory of the model that early-exit and dynamic-exit ran (or would
   *     have run) on: the exit model, or the model itself when there is none
   * @param scratchCnn the scratch-cnn reference when it ran, else null
   * @param methods the methods asked for, which name the results
   */
  public record Comparison(List<MethodResult> results, List<SkippedMethod> skipped,
      String staticSubsets, Path exitModel, ReferenceResult scratchCnn, List<Method> methods) {
    public Comparison {
      methods = List.copyOf(methods);
    }

    /** The method of that name, which made results or was skipped. */
    public Method method(String name) {
      return Objects.requireNonNull(Methods.find(methods, name), name);
    }
  }

  /**
   * A model that methods run on: its directory and what runs its backbone and heads (the model
   * itself on DJL, or its session on another engine; see {@code runtime.InferenceEngine}).
   *
   * @param dir the model's directory (the static subsets of the main model live there)
   * @param engine runs the model's backbone for every pass (the static subset search and the
   *     dynamic exit's calibration included)
   * @param heads runs the model's heads for every pass
   */
  public record Source(TaskModel model, Path dir, BackboneEngine engine, HeadEngine heads) {
    /** The model on DJL: it runs its own backbone and heads. */
    public static Source onDjl(TaskModel model, Path dir) {
      return new Source(model, dir, model.backbone(), model);
    }

    UtteranceRunner runner(Corpus corpus) {
      return new UtteranceRunner(new InferenceCore(model, engine, heads), corpus);
    }
  }

  /** A source ready for the test set: its runner and per-utterance FLOPs. */
  private record TestRun(Source source, UtteranceRunner runner, Flops[] flops) {
    static TestRun of(Source source, Corpus test) {
      ModelConfig config = source.model().backbone().config();
      Flops[] flops = new Flops[test.size()];
      for (int u = 0; u < test.size(); u++) {
        flops[u] = Flops.of(config, test.get(u).durationSeconds());
      }
      return new TestRun(source, source.runner(test), flops);
    }
  }

  private final TaskModel model;
  private final Path modelDir;
  private final Path selectorDir;
  private final Corpus test;
  private final Corpus dev;
  private final Options options;
  private final TestRun main;
  private final TestRun exits;
  private final ScratchCnnBaseline scratchCnn;
  private final int layers;

  /** A comparison of one model on DJL, early-exit and dynamic-exit included. */
  public MethodComparison(TaskModel model, Path modelDir, Path selectorDir, Corpus test,
      Corpus dev, Options options) {
    this(Source.onDjl(model, modelDir), Source.onDjl(model, modelDir), selectorDir, test, dev,
        options, null);
  }

  /**
   * @param main the model every method runs on, except early-exit and dynamic-exit
   * @param exits the model early-exit and dynamic-exit run on: {@code main} itself, or a model
   *     fine-tuned with exit heads (icld finetune --layer-drop early-exit) from the same backbone,
   *     with the same task, labels and layer count
   * @param selectorDir where the selector is (usually the main model's directory)
   * @param dev the dev set, for the static subset search and the dynamic exit's calibration;
   *     null skips what needs it
   * @param scratchCnn trains (or reuses) and runs the scratch-cnn reference; null skips it
   * @throws IllegalArgumentException naming both directories when the two models do not match,
   *     or when the exit model has no exit heads
   */
  public MethodComparison(Source main, Source exits, Path selectorDir, Corpus test, Corpus dev,
      Options options, ScratchCnnBaseline scratchCnn) {
    this.model = main.model();
    this.modelDir = main.dir();
    this.selectorDir = selectorDir;
    this.test = test;
    this.dev = dev;
    this.options = options;
    this.scratchCnn = scratchCnn;
    this.layers = model.backbone().layerCount();
    for (int k : options.budgets()) {
      if (k < 1 || k > layers) {
        throw new IllegalArgumentException("budget " + k + " outside 1.." + layers
            + " (the model has " + layers + " layers)");
      }
    }
    this.main = TestRun.of(main, test);
    if (exits.model() == model) {
      this.exits = this.main;
    } else {
      checkExitModel(exits.model(), exits.dir());
      this.exits = TestRun.of(exits, test);
    }
  }

  /** The exit model must answer the same question with the same depth, and have exit heads. */
  private void checkExitModel(TaskModel exitModel, Path exitModelDir) {
    String both = exitModelDir + " (early-exit model) and " + modelDir + " (model)";
    if (exitModel.task() != model.task()) {
      throw new IllegalArgumentException(both + " differ in task: " + exitModel.task().id()
          + " versus " + model.task().id());
    }
    if (!Objects.equals(exitModel.labels(), model.labels())) {
      throw new IllegalArgumentException(both + " differ in labels: " + exitModel.labels()
          + " versus " + model.labels());
    }
    if (exitModel.backbone().layerCount() != layers) {
      throw new IllegalArgumentException(both + " differ in layer count: "
          + exitModel.backbone().layerCount() + " versus " + layers);
    }
    if (exitModel.exits().size() != layers) {
      throw new IllegalArgumentException(exitModelDir + ": the early-exit model has no exit "
          + "heads (fine-tune it with --layer-drop early-exit)");
    }
  }

  /** Methods that read exit heads run on the exit model. */
  private TestRun runFor(Method method) {
    return method.needs().contains(Need.EXIT_HEADS) ? exits : main;
  }

  /**
   * What a comparison runs, fixed before any test utterance runs: each method's runnable budgets
   * in order, the resources its policies are made from (the selector loaded, the static subsets
   * loaded or searched on dev, the dynamic exit calibrated on dev), and what was skipped and why.
   * Closing it closes the selector.
   *
   * @param staticSource "loaded" or "searched" when the static method runs, else null
   */
  public record Plan(Map<Method, List<Integer>> budgets, MethodResources resources,
      List<SkippedMethod> skipped, String staticSource, boolean scratchCnnRuns)
      implements AutoCloseable {
    public Plan {
      budgets = Collections.unmodifiableMap(new LinkedHashMap<>(budgets));
      skipped = List.copyOf(skipped);
    }

    /** Each method's budgets by its name, what a worker needs to rebuild the plan. */
    public Map<String, List<Integer>> budgetsByName() {
      Map<String, List<Integer>> byName = new LinkedHashMap<>();
      budgets.forEach((method, ks) -> byName.put(method.name(), List.copyOf(ks)));
      return byName;
    }

    /** The dynamic exit's calibrated entropy threshold per budget (empty when it does not run). */
    public Map<Integer, Double> exitThresholds() {
      Map<Integer, Double> thresholds = new TreeMap<>();
      resources.exitThresholds().forEach((k, rule) -> thresholds.put(k, rule.threshold()));
      return thresholds;
    }

    /** Single-utterance passes over a test set of {@code utterances}, every draw counted. */
    public long passes(int randomDraws, int utterances) {
      long passes = 0;
      for (Map.Entry<Method, List<Integer>> e : budgets.entrySet()) {
        passes += (long) e.getKey().draws(randomDraws) * e.getValue().size();
      }
      return passes * utterances;
    }

    @Override
    public void close() {
      if (resources.selector() != null) {
        resources.selector().close();
      }
    }
  }

  /**
   * The outcomes of a comparison's test passes: per method name and budget, one list per draw in
   * draw order, each in utterance order over the whole test set.
   */
  public interface TestPasses extends AutoCloseable {
    Map<String, Map<Integer, List<List<Outcome>>>> run(MethodComparison comparison, Plan plan)
        throws IOException;

    /** Releases what runs the passes (nothing in process). */
    @Override
    default void close() {}
  }

  /** The test passes in this process, one utterance after another. */
  public static final TestPasses IN_PROCESS = (comparison, plan) -> {
    Map<String, Map<Integer, List<List<Outcome>>>> outcomes = new LinkedHashMap<>();
    int size = comparison.test.size();
    int[] everyUtterance = allIndices(size);
    try (NDManager manager = Torch.newManager();
        ProgressBar bar = new ProgressBar("eval",
            plan.passes(comparison.options.randomDraws(), size))) {
      for (Map.Entry<Method, List<Integer>> e : plan.budgets().entrySet()) {
        Method method = e.getKey();
        for (int k : e.getValue()) {
          bar.status(method.name() + " k=" + k);
          List<List<Outcome>> draws = new ArrayList<>();
          for (int d = 0; d < method.draws(comparison.options.randomDraws()); d++) {
            List<Outcome> draw = new ArrayList<>();
            for (UtteranceRunner.Answer a : comparison.runDraw(plan, method, k, d,
                everyUtterance, manager, bar)) {
              draw.add(a.outcome());
            }
            draws.add(draw);
          }
          outcomes.computeIfAbsent(method.name(), name -> new LinkedHashMap<>()).put(k, draws);
        }
      }
    }
    return outcomes;
  };

  /** Runs every method in this process. */
  public Comparison run() throws IOException {
    return run(IN_PROCESS);
  }

  /** Prepares the plan, runs the test passes where {@code passes} runs them, and summarises. */
  public Comparison run(TestPasses passes) throws IOException {
    try (Plan plan = prepare()) {
      ReferenceResult reference = plan.scratchCnnRuns() ? scratchCnn.run(test, options) : null;
      return summarise(plan, passes.run(this, plan), reference);
    }
  }

  /**
   * Everything before the test passes: which methods and budgets can run, and their resources
   * (static subsets searched on dev and saved beside the model when there are none yet).
   */
  public Plan prepare() throws IOException {
    List<SkippedMethod> skipped = new ArrayList<>();
    LayerSelector selector =
        LayerSelector.existsIn(selectorDir) ? LayerSelector.load(selectorDir) : null;
    try {
      Map<Need, String> missing = missing(selector);
      List<Method> methods = new ArrayList<>();
      for (Method method : options.methods()) {
        String reason = method.needs().stream().map(missing::get).filter(Objects::nonNull)
            .findFirst().orElse(null);
        if (reason == null) {
          methods.add(method);
        } else {
          skipped.add(new SkippedMethod(method.name(), null, reason));
        }
      }
      String scratchCnnSkip = options.scratchCnn() ? scratchCnnUnavailable() : null;
      if (scratchCnnSkip != null) {
        skipped.add(new SkippedMethod(ScratchCnnBaseline.METHOD, null, scratchCnnSkip));
      }
      boolean needed = methods.stream().anyMatch(m -> m.needs().contains(Need.STATIC_SUBSETS));
      String staticSource = null;
      StaticSubsets subsets = null;
      if (needed) {
        if (Files.exists(modelDir.resolve(StaticSubsets.FILE))) {
          subsets = loadStaticSubsets();
          staticSource = "loaded";
        } else {
          subsets = DevScoring.searchStaticSubsets(main.source().runner(dev));
          subsets.save(modelDir);
          staticSource = "searched";
        }
      }
      Map<Integer, EntropyExit> exitThresholds =
          methods.stream().anyMatch(m -> m.needs().contains(Need.EXIT_THRESHOLDS))
              ? calibrateExits() : Map.of();
      MethodResources resources = new MethodResources(selector, subsets, exitThresholds);
      Map<Method, List<Integer>> budgets = new LinkedHashMap<>();
      for (Method method : methods) {
        List<Integer> runnable = new ArrayList<>();
        for (int k : method.budgets(options.budgets(), layers)) {
          String reason = method.unavailableAt(resources, k);
          if (reason == null) {
            runnable.add(k);
          } else {
            skipped.add(new SkippedMethod(method.name(), k, reason));
          }
        }
        budgets.put(method, runnable);
      }
      return new Plan(budgets, resources, skipped, staticSource,
          options.scratchCnn() && scratchCnnSkip == null);
    } catch (IOException | RuntimeException e) {
      if (selector != null) {
        selector.close();
      }
      throw e;
    }
  }

  /**
   * The plan a driver prepared, rebuilt by a worker from what the driver sent: the selector and
   * the static subsets read from disk where the driver left them, the exit rule from its
   * thresholds. Nothing is searched or calibrated here.
   */
  public Plan plan(Map<String, List<Integer>> budgetsByName, Map<Integer, Double> thresholds)
      throws IOException {
    Map<Method, List<Integer>> budgets = new LinkedHashMap<>();
    budgetsByName.forEach((name, ks) -> budgets.put(Methods.find(options.methods(), name), ks));
    boolean needsSelector = budgets.keySet().stream()
        .anyMatch(m -> m.needs().contains(Need.SELECTOR));
    boolean needsSubsets = budgets.keySet().stream()
        .anyMatch(m -> m.needs().contains(Need.STATIC_SUBSETS));
    Map<Integer, EntropyExit> exitRules = new LinkedHashMap<>();
    thresholds.forEach((k, threshold) -> exitRules.put(k, new EntropyExit(threshold, layers)));
    LayerSelector selector = needsSelector ? LayerSelector.load(selectorDir) : null;
    try {
      StaticSubsets subsets = needsSubsets ? loadStaticSubsets() : null;
      return new Plan(budgets, new MethodResources(selector, subsets, exitRules), List.of(),
          needsSubsets ? "loaded" : null, false);
    } catch (IOException | RuntimeException e) {
      if (selector != null) {
        selector.close();
      }
      throw e;
    }
  }

  private StaticSubsets loadStaticSubsets() throws IOException {
    StaticSubsets subsets = StaticSubsets.load(modelDir);
    if (subsets.layers() != layers) {
      throw new IOException(modelDir.resolve(StaticSubsets.FILE) + ": subsets for "
          + subsets.layers() + " layers, the model has " + layers);
    }
    return subsets;
  }

  /**
   * One draw of a method at budget k on some test utterances, in ascending order: the draw's
   * policy passes over the utterances it does not run here, so each utterance gets the layers it
   * gets when one process runs them all. Untimed warm-up passes on the first of them come first.
   *
   * @param utterances test set indices, ascending
   */
  public List<UtteranceRunner.Answer> runDraw(Plan plan, Method method, int k, int draw,
      int[] utterances, NDManager manager, ProgressBar bar) throws IOException {
    Budget budget = method.budget(k, layers);
    TestRun run = runFor(method);
    long drawSeed = options.seed() * 1_000_003L + 7919L * draw + k;
    LayerSelectionPolicy warmupPolicy = method.policy(plan.resources(), drawSeed);
    for (int i = 0; i < Math.min(options.warmup(), utterances.length); i++) {
      run.runner().run(utterances[i], warmupPolicy, budget, manager);
    }
    LayerSelectionPolicy policy = method.policy(plan.resources(), drawSeed);
    List<UtteranceRunner.Answer> answers = new ArrayList<>();
    int next = 0;
    for (int u : utterances) {
      if (u < next) {
        throw new IllegalArgumentException("test utterances must ascend, got " + u + " after "
            + (next - 1));
      }
      policy.skip(u - next, budget);
      answers.add(run.runner().answer(u, policy, budget, manager));
      next = u + 1;
      if (bar != null) {
        bar.step();
      }
    }
    return answers;
  }

  private static int[] allIndices(int size) {
    int[] all = new int[size];
    for (int u = 0; u < size; u++) {
      all[u] = u;
    }
    return all;
  }

  /** The comparison from the plan and the outcomes of its test passes. */
  public Comparison summarise(Plan plan, Map<String, Map<Integer, List<List<Outcome>>>> outcomes,
      ReferenceResult reference) {
    List<MethodResult> results = new ArrayList<>();
    plan.budgets().forEach((method, ks) -> {
      for (int k : ks) {
        List<List<Outcome>> draws = outcomes.getOrDefault(method.name(), Map.of()).get(k);
        if (draws == null || draws.size() != method.draws(options.randomDraws())
            || draws.stream().anyMatch(d -> d.size() != test.size())) {
          throw new IllegalStateException(method.name() + " at k = " + k + ": expected "
              + method.draws(options.randomDraws()) + " draws of " + test.size()
              + " outcomes, got " + (draws == null ? "none"
                  : draws.stream().map(d -> String.valueOf(d.size())).toList()));
        }
        results.add(summarise(method, k, draws, plan.resources(), runFor(method)));
      }
    });
    return new Comparison(results, plan.skipped(), plan.staticSource(), exits.source().dir(),
        reference, options.methods());
  }

  public Options options() {
    return options;
  }

  public Corpus test() {
    return test;
  }

  /** Why each need that this comparison cannot meet is missing. */
  private Map<Need, String> missing(LayerSelector selector) {
    String noExitHeads = "the model has no exit heads (fine-tune it with --layer-drop early-exit, "
        + "and pass it as the early-exit model)";
    Map<Need, String> missing = new EnumMap<>(Need.class);
    if (exits.source().model().exits().size() != layers) {
      missing.put(Need.EXIT_HEADS, noExitHeads);
    }
    if (selector == null) {
      missing.put(Need.SELECTOR, "no layer selector in " + selectorDir
          + " (train one with icld train-selector)");
    }
    if (dev == null && !Files.exists(modelDir.resolve(StaticSubsets.FILE))) {
      missing.put(Need.STATIC_SUBSETS, "no stored static subsets and no dev set to search them on");
    }
    if (dev == null) {
      missing.put(Need.EXIT_THRESHOLDS, "no dev set to calibrate the entropy threshold on");
    }
    return missing;
  }

  /** Why the scratch-cnn reference cannot run, or null. */
  private String scratchCnnUnavailable() {
    return !model.task().classification()
        ? "a from-scratch reference for classification only (kws, sid, sound); no number for "
            + model.task().id()
        : scratchCnn == null ? "no training set given to train it on"
        : scratchCnn.unavailable();
  }

  /**
   * Every utterance of another split (dev) at full depth on the main model, for a report about
   * that split; nothing is chosen on it. The outcomes' indices are the split's.
   */
  public List<Outcome> fullDepth(Corpus split, String name) throws IOException {
    UtteranceRunner runner = main.source().runner(split);
    Budget budget = Budget.full(layers);
    LayerSelectionPolicy policy = new FullDepthPolicy();
    List<Outcome> outcomes = new ArrayList<>();
    try (NDManager manager = Torch.newManager();
        ProgressBar bar = new ProgressBar("full (" + name + ")", split.size())) {
      for (int u = 0; u < split.size(); u++) {
        outcomes.add(runner.run(u, policy, budget, manager));
        bar.step();
      }
    }
    return outcomes;
  }

  /** Per budget, the entropy threshold whose mean exit on the dev set is at most k. */
  private Map<Integer, EntropyExit> calibrateExits() throws IOException {
    UtteranceRunner devRunner = exits.source().runner(dev);
    double[][] entropies = new double[dev.size()][];
    try (NDManager manager = Torch.newManager();
        ProgressBar bar = new ProgressBar("exit entropies (dev)", dev.size())) {
      for (int u = 0; u < dev.size(); u++) {
        entropies[u] = devRunner.exitEntropies(u, manager);
        bar.step();
      }
    }
    Map<Integer, EntropyExit> rules = new LinkedHashMap<>();
    for (int k : options.budgets()) {
      rules.put(k, EntropyExit.calibrate(entropies, k));
    }
    return rules;
  }

  /** Metrics, intervals, compute and latency over one or more draws of the same method. */
  private MethodResult summarise(Method method, int k, List<List<Outcome>> draws,
      MethodResources resources, TestRun run) {
    boolean classification = model.task().classification();
    List<String> names = classification ? List.of("accuracy") : List.of("wer", "cer");
    Map<String, double[]> perDraw = new LinkedHashMap<>();
    names.forEach(name -> perDraw.put(name, new double[draws.size()]));
    double layerSum = 0;
    double flopSum = 0;
    double seconds = 0;
    List<Long> nanos = new ArrayList<>();
    List<Outcome> every = new ArrayList<>();
    for (int d = 0; d < draws.size(); d++) {
      MetricTally tally = MetricTally.of(draws.get(d));
      if (classification) {
        perDraw.get("accuracy")[d] = tally.accuracy();
      } else {
        perDraw.get("wer")[d] = tally.wer();
        perDraw.get("cer")[d] = tally.cer();
      }
      for (Outcome o : draws.get(d)) {
        int u = o.utterance();
        int executed = o.executedLayers();
        layerSum += executed;
        double duration = test.get(u).durationSeconds();
        flopSum += run.flops()[u].total(executed)
            + method.extraFlops(resources, run.source().model().backbone().config(), duration);
        seconds += duration;
        nanos.add(o.nanos());
        every.add(o);
      }
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    Map<String, double[]> intervals = new LinkedHashMap<>();
    Map<String, Double> deviations = new LinkedHashMap<>();
    long bootstrapSeed = options.seed() * 1_000_003L + 131L * method.name().hashCode() + k;
    for (String name : names) {
      double[] values = perDraw.get(name);
      metrics.put(name, Arrays.stream(values).average().orElse(0));
      UtteranceRatios ratios =
          UtteranceRatios.of(every, name, test.size(), method.name() + " at k = " + k);
      intervals.put(name, Bootstrap.interval(ratios.numerators(), ratios.denominators(),
          options.resamples(), 0.95, bootstrapSeed));
      if (draws.size() > 1) {
        deviations.put(name, standardDeviation(values));
      }
    }
    List<Double> drawValues = new ArrayList<>();
    if (draws.size() > 1) {
      for (double v : perDraw.get(names.get(0))) {
        drawValues.add(v);
      }
    }
    long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    double medianNanos = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2.0;
    return new MethodResult(method.name(), k, metrics, intervals, deviations, drawValues,
        layerSum / every.size(), flopSum / seconds / 1e9, medianNanos / 1e6, every,
        run.source().dir());
  }

  /** The sample standard deviation (n - 1). */
  static double standardDeviation(double[] values) {
    double mean = Arrays.stream(values).average().orElse(0);
    double squares = 0;
    for (double v : values) {
      squares += (v - mean) * (v - mean);
    }
    return values.length < 2 ? 0 : Math.sqrt(squares / (values.length - 1));
  }
}
