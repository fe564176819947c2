package dev.icld.methods;

import dev.icld.model.ModelConfig;
import dev.icld.selection.Budget;
import dev.icld.selection.LayerSelectionPolicy;
import java.awt.Color;
import java.util.List;

/**
 * A layer-dropping method as the reports and the runtime know it: its name, what it needs, the
 * policy it runs and how many seeded draws of it, its compute beyond the backbone, and its colour
 * in the plots. Each method is one subclass listed once in {@link Methods#ALL}; {@code icld eval},
 * its report and paired comparison, the help texts and {@code DynamicSpeechModel} read it from
 * there. Only its name, colour and {@link #policy} must be given; everything else has the
 * default of a plain method that runs every budget once and needs nothing.
 */
public abstract class Method {
  private final String name;
  private final Color colour;

  /**
   * @param name how reports, {@code icld eval --methods} and {@code icld infer --policy} name it
   * @param colour its line in the report's plots
   */
  protected Method(String name, Color colour) {
    this.name = name;
    this.colour = colour;
  }

  public final String name() {
    return name;
  }

  public final Color colour() {
    return colour;
  }

  /**
   * A fresh policy for one draw (a comparison's warm-up gets its own, so that it leaves the
   * draw's random generator where it was).
   *
   * @param resources what the model has; the method reads only what it {@link #needs()}
   * @param seed the draw's own seed, which only a random method reads
   */
  public abstract LayerSelectionPolicy policy(MethodResources resources, long seed);

  /** What it needs, in the order a missing one is reported: nothing. */
  public List<Need> needs() {
    return List.of();
  }

  /** Whether {@code icld eval --methods all} runs it: yes. */
  public boolean inComparison() {
    return true;
  }

  /** Whether {@code DynamicSpeechModel} serves it by name ({@code icld infer --policy}): no. */
  public boolean served() {
    return false;
  }

  /** The budgets it runs at of those a comparison asks for, in 1..layers: all of them. */
  public List<Integer> budgets(List<Integer> asked, int layers) {
    return asked;
  }

  /** The budget it runs under at k: exactly k layers. */
  public Budget budget(int k, int layers) {
    return Budget.of(k, layers);
  }

  /** Why it cannot run at budget k although it has all it needs, or null: it always can. */
  public String unavailableAt(MethodResources resources, int k) {
    return null;
  }

  /**
   * How many seeded draws it runs at each budget, where a comparison asks {@code randomDraws}
   * of a random method: one.
   */
  public int draws(int randomDraws) {
    return 1;
  }

  /**
   * Its FLOPs on an utterance of {@code seconds} beyond the backbone's executed layers and the
   * head (a selector's, for instance): none.
   */
  public long extraFlops(MethodResources resources, ModelConfig config, double seconds) {
    return 0;
  }

  /**
   * The baselines that the report's paired comparison holds it against, in the table's column
   * order: none (it is no method under test).
   */
  public List<Method> pairedAgainst() {
    return List.of();
  }

  /**
   * Whether the report measures how its chosen layers vary from input to input
   * ({@code metrics.MaskVariation}): no, its layers are fixed by the budget.
   */
  public boolean reportsMaskVariation() {
    return false;
  }

  @Override
  public String toString() {
    return name();
  }
}
