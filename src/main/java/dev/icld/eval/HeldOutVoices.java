package dev.icld.eval;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.icld.data.Corpus;
import dev.icld.data.VoiceFamily;
import dev.icld.methods.Methods;
import dev.icld.metrics.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How much worse a model is on voices it never heard. Test speakers are always new, but most
 * belong to a {@link VoiceFamily} that fine-tuning heard through other speakers (every espeak-ng
 * speaker, perturbed speakers of a recorded voice); a family none of whose speakers is in the
 * training split is held out. Per split, each method's metric on the utterances of seen families
 * against those of held-out families, each with a 95% bootstrap interval over its own
 * utterances, and the gap (held out minus seen) with an unpaired bootstrap interval: the two sets
 * are different utterances, so there is nothing to pair.
 *
 * @param trainingFamilies the families of the training split's speakers; null when the corpus has
 *     no training manifest
 * @param test the test split's breakdown
 * @param dev the dev split's breakdown at full depth, a report only (nothing is chosen on it);
 *     null when there is no dev split or full depth did not run
 */
public record HeldOutVoices(Set<String> trainingFamilies, Breakdown test, Breakdown dev) {
  /** Beside full depth and the reference, the methods broken down at each budget. */
  static final List<String> BUDGETED = List.of(Methods.SELECTOR.name(), Methods.RANDOM.name());

  public HeldOutVoices {
    trainingFamilies = trainingFamilies == null ? null : Set.copyOf(trainingFamilies);
  }

  /** One method's outcomes on a split; budget null for a reference. */
  public record Scored(String method, Integer budget, List<Outcome> outcomes) {
    String label() {
      return budget == null || method.equals(Methods.FULL.name()) ? method
          : method + " k=" + budget;
    }
  }

  /** A family of a split: whether training heard it and how many utterances it has. */
  public record Family(String name, boolean seen, int utterances) {}

  /**
   * A metric over a set of utterances with its interval.
   *
   * @param interval the 95% bootstrap interval {low, high}
   */
  public record Estimate(double value, double[] interval, int utterances) {}

  /**
   * One method on one split.
   *
   * @param gap held out minus seen
   * @param gapInterval its 95% unpaired bootstrap interval {low, high}
   * @param byFamily the metric per family
   */
  public record Row(Scored scored, Estimate seen, Estimate heldOut, double gap,
      double[] gapInterval, Map<String, Double> byFamily) {}

  /**
   * A split's breakdown.
   *
   * @param split test or dev
   * @param metric accuracy, or wer for ASR
   * @param notApplicable why there is no seen and held-out comparison; null when there is one,
   *     and then rows holds every method's
   */
  public record Breakdown(String split, String metric, List<Family> families,
      String notApplicable, List<Row> rows) {
    public Breakdown {
      families = List.copyOf(families);
      rows = List.copyOf(rows);
    }

    int utterances(boolean seen) {
      return families.stream().filter(f -> f.seen() == seen).mapToInt(Family::utterances).sum();
    }
  }

  /**
   * The families of a split without any method's numbers, and the reason there is nothing to
   * compare in it when there is none (no training families, or all of the split's seen, or none):
   * whether a pass over the split is worth running.
   */
  public static Breakdown families(String split, Corpus corpus, Set<String> trainingFamilies,
      String metric) {
    if (trainingFamilies == null) {
      return new Breakdown(split, metric, List.of(), "the corpus has no train.jsonl to tell "
          + "which voice families training heard", List.of());
    }
    Map<String, Integer> counts = new TreeMap<>();
    for (int u = 0; u < corpus.size(); u++) {
      counts.merge(VoiceFamily.of(corpus.get(u).entry().speaker()), 1, Integer::sum);
    }
    List<Family> families = new ArrayList<>();
    counts.forEach((name, n) -> families.add(new Family(name, trainingFamilies.contains(name), n)));
    long seen = families.stream().filter(Family::seen).count();
    String reason = seen == families.size()
        ? "every " + split + " voice family (" + String.join(", ", counts.keySet())
            + ") has speakers in train.jsonl: none is held out"
        : seen == 0 ? "no " + split + " voice family (" + String.join(", ", counts.keySet())
            + ") has speakers in train.jsonl: none is seen"
        : null;
    return new Breakdown(split, metric, families, reason, List.of());
  }

  /**
   * The breakdown of a split for each scored method.
   *
   * @param metric accuracy, wer or cer
   * @param seed the bootstrap resampling derives from it, the method and the split
   */
  public static Breakdown of(String split, Corpus corpus, Set<String> trainingFamilies,
      String metric, List<Scored> scored, int resamples, long seed) {
    Breakdown base = families(split, corpus, trainingFamilies, metric);
    if (base.notApplicable() != null) {
      return base;
    }
    String[] familyOf = new String[corpus.size()];
    for (int u = 0; u < corpus.size(); u++) {
      familyOf[u] = VoiceFamily.of(corpus.get(u).entry().speaker());
    }
    List<Row> rows = new ArrayList<>();
    for (Scored s : scored) {
      UtteranceRatios ratios = UtteranceRatios.of(s.outcomes(), metric, corpus.size(),
          s.label() + " on " + split);
      long rowSeed = seed * 1_000_003L + 131L * s.method().hashCode()
          + 17L * split.hashCode() + (s.budget() == null ? 0 : s.budget());
      UtteranceRatios seen = subset(ratios, familyOf, trainingFamilies, true);
      UtteranceRatios heldOut = subset(ratios, familyOf, trainingFamilies, false);
      Map<String, Double> byFamily = new LinkedHashMap<>();
      for (Family f : base.families()) {
        byFamily.put(f.name(), ratioOf(ratios, familyOf, f.name()));
      }
      rows.add(new Row(s, estimate(seen, resamples, rowSeed),
          estimate(heldOut, resamples, rowSeed + 1), heldOut.ratio() - seen.ratio(),
          Bootstrap.unpairedDifferenceInterval(heldOut.numerators(), heldOut.denominators(),
              seen.numerators(), seen.denominators(), resamples, 0.95, rowSeed + 2),
          byFamily));
    }
    return new Breakdown(split, metric, base.families(), null, rows);
  }

  /**
   * Full depth, scratch-cnn, then at every budget below L (largest first) the selector and
   * random: at k = L both run every layer, full depth again.
   */
  public static List<Scored> scoredOf(MethodComparison.Comparison comparison, int layers) {
    List<Scored> scored = new ArrayList<>();
    comparison.results().stream().filter(r -> r.method().equals(Methods.FULL.name()))
        .forEach(r -> scored.add(new Scored(r.method(), r.budget(), r.outcomes())));
    if (comparison.scratchCnn() != null) {
      scored.add(new Scored(ScratchCnnBaseline.METHOD, null, comparison.scratchCnn().outcomes()));
    }
    List<MethodResult> budgeted = comparison.results().stream()
        .filter(r -> BUDGETED.contains(r.method()) && r.budget() < layers)
        .sorted(Comparator.comparingInt(MethodResult::budget).reversed()
            .thenComparingInt(r -> BUDGETED.indexOf(r.method())))
        .toList();
    budgeted.forEach(r -> scored.add(new Scored(r.method(), r.budget(), r.outcomes())));
    return scored;
  }

  private static UtteranceRatios subset(UtteranceRatios all, String[] familyOf,
      Set<String> trainingFamilies, boolean seen) {
    List<Integer> picked = new ArrayList<>();
    for (int u = 0; u < familyOf.length; u++) {
      if (trainingFamilies.contains(familyOf[u]) == seen) {
        picked.add(u);
      }
    }
    double[] numerators = new double[picked.size()];
    double[] denominators = new double[picked.size()];
    for (int i = 0; i < picked.size(); i++) {
      numerators[i] = all.numerators()[picked.get(i)];
      denominators[i] = all.denominators()[picked.get(i)];
    }
    return new UtteranceRatios(numerators, denominators);
  }

  private static double ratioOf(UtteranceRatios all, String[] familyOf, String family) {
    double num = 0;
    double den = 0;
    for (int u = 0; u < familyOf.length; u++) {
      if (familyOf[u].equals(family)) {
        num += all.numerators()[u];
        den += all.denominators()[u];
      }
    }
    return den == 0 ? 0 : num / den;
  }

  private static Estimate estimate(UtteranceRatios ratios, int resamples, long seed) {
    return new Estimate(ratios.ratio(), Bootstrap.interval(ratios.numerators(),
        ratios.denominators(), resamples, 0.95, seed), ratios.numerators().length);
  }

  JsonObject json() {
    JsonObject root = new JsonObject();
    root.addProperty("family_rule", "a speaker id without its per-speaker number (flite-slt-p03: "
        + "flite-slt); every espeak-ng speaker: espeak-ng; speakers that are not icld synth's: "
        + VoiceFamily.OTHER);
    root.addProperty("seen_means", "train.jsonl (the fine-tuning training split) has a speaker "
        + "of the family; held out: it has none");
    if (trainingFamilies != null) {
      JsonArray names = new JsonArray();
      trainingFamilies.stream().sorted().forEach(names::add);
      root.add("training_families", names);
    }
    root.add("test", json(test));
    if (dev != null) {
      JsonObject devJson = json(dev);
      devJson.addProperty("note", "full depth only; a report, nothing is chosen on it");
      root.add("dev", devJson);
    }
    return root;
  }

  private static JsonObject json(Breakdown b) {
    JsonObject o = new JsonObject();
    o.addProperty("metric", b.metric());
    o.addProperty("applies", b.notApplicable() == null);
    if (b.notApplicable() != null) {
      o.addProperty("reason", b.notApplicable());
    }
    JsonArray families = new JsonArray();
    for (Family f : b.families()) {
      JsonObject entry = new JsonObject();
      entry.addProperty("family", f.name());
      entry.addProperty("seen", f.seen());
      entry.addProperty("utterances", f.utterances());
      families.add(entry);
    }
    o.add("families", families);
    if (b.notApplicable() != null) {
      return o;
    }
    o.addProperty("seen_utterances", b.utterances(true));
    o.addProperty("held_out_utterances", b.utterances(false));
    JsonArray rows = new JsonArray();
    for (Row r : b.rows()) {
      JsonObject entry = new JsonObject();
      entry.addProperty("method", r.scored().method());
      if (r.scored().budget() != null) {
        entry.addProperty("budget", r.scored().budget());
      }
      entry.add("seen", json(r.seen()));
      entry.add("held_out", json(r.heldOut()));
      entry.addProperty("gap", r.gap());
      entry.add("gap_ci95", pair(r.gapInterval()));
      JsonObject byFamily = new JsonObject();
      r.byFamily().forEach(byFamily::addProperty);
      entry.add("by_family", byFamily);
      rows.add(entry);
    }
    o.add("methods", rows);
    return o;
  }

  private static JsonObject json(Estimate e) {
    JsonObject o = new JsonObject();
    o.addProperty("value", e.value());
    o.add("ci95", pair(e.interval()));
    o.addProperty("utterances", e.utterances());
    return o;
  }

  /** An interval, {low, high}, as a JSON array. */
  static JsonArray pair(double[] values) {
    JsonArray a = new JsonArray();
    a.add(values[0]);
    a.add(values[1]);
    return a;
  }

  /** The report.md section. */
  String markdown() {
    StringBuilder md = new StringBuilder("\n## Voices never heard in training\n\n");
    String label = label(test.metric());
    md.append(String.format("A test speaker can be new while its voice family was heard in "
        + "training through other speakers (the family: a speaker id without its per-speaker "
        + "number; every espeak-ng speaker is one family; speakers that are not icld synth's "
        + "are `%s`). **Seen**: train.jsonl, the fine-tuning split, has a speaker of the family; "
        + "**held out**: it has none. %s on the utterances of each, with 95%% bootstrap intervals "
        + "over them; gap: held out minus seen, with a 95%% unpaired bootstrap interval (the "
        + "two sets are different utterances, each resampled on its own)%s.%n",
        VoiceFamily.OTHER, label.equals("accuracy") ? "Accuracy" : label,
        test.metric().equals("accuracy") ? ""
            : "; a positive WER gap is worse on held-out voices"));
    section(md, test);
    if (dev != null) {
      md.append("\n### Dev split, full depth\n\nThe same check on dev, at full depth only: a "
          + "report, nothing in this evaluation is chosen on it.\n");
      section(md, dev);
    }
    return md.toString();
  }

  private static void section(StringBuilder md, Breakdown b) {
    if (b.notApplicable() != null) {
      md.append(String.format("%nOn %s it does not apply: %s.%n", b.split(), b.notApplicable()));
      return;
    }
    String label = label(b.metric());
    md.append(String.format("%n| method | held out (n = %d) | seen (n = %d) | gap, held out − "
        + "seen |%n|---|---|---|---|%n", b.utterances(false), b.utterances(true)));
    for (Row r : b.rows()) {
      md.append(String.format("| %s | %.4f (%.4f–%.4f) | %.4f (%.4f–%.4f) | %+.4f (%+.4f, %+.4f) "
          + "|%n", r.scored().label(), r.heldOut().value(), r.heldOut().interval()[0],
          r.heldOut().interval()[1], r.seen().value(), r.seen().interval()[0],
          r.seen().interval()[1], r.gap(), r.gapInterval()[0], r.gapInterval()[1]));
    }
    List<Row> columns = b.rows().stream().filter(r -> r.scored().budget() == null
        || r.scored().method().equals(Methods.FULL.name())).toList();
    md.append("\n| family | in training | ").append(b.split()).append(" utterances |");
    columns.forEach(r -> md.append(' ').append(r.scored().label()).append(' ').append(label)
        .append(" |"));
    md.append("\n|---|---|---:|");
    columns.forEach(r -> md.append("---:|"));
    md.append('\n');
    for (Family f : b.families()) {
      md.append(String.format("| %s | %s | %d |", f.name(), f.seen() ? "seen" : "held out",
          f.utterances()));
      columns.forEach(r -> md.append(String.format(" %.4f |", r.byFamily().get(f.name()))));
      md.append('\n');
    }
  }

  private static String label(String metric) {
    return metric.equals("accuracy") ? "accuracy" : metric.toUpperCase();
  }

  /** One line per split for the terminal: full depth on held-out against seen voices. */
  public String summary() {
    StringBuilder s = new StringBuilder();
    for (Breakdown b : dev == null ? List.of(test) : List.of(test, dev)) {
      String where = b.split().equals("test") ? "" : " (" + b.split() + ")";
      if (b.notApplicable() != null) {
        s.append(String.format("held-out voices%s: does not apply (%s)%n", where,
            b.notApplicable()));
        continue;
      }
      if (b.rows().isEmpty()) {
        continue;
      }
      // Full depth comes first when it ran (scoredOf's order).
      Row full = b.rows().get(0);
      s.append(String.format("held-out voices%s: %s%s %.2f (n=%d) vs seen %.2f (n=%d), gap "
          + "%+.2f (%+.2f, %+.2f)%n", where, full.scored().method().equals(Methods.FULL.name()) ? ""
              : full.scored().label() + " ", label(b.metric()), full.heldOut().value(),
          full.heldOut().utterances(), full.seen().value(), full.seen().utterances(), full.gap(),
          full.gapInterval()[0], full.gapInterval()[1]));
    }
    return s.toString();
  }
}
