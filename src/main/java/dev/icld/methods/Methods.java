package dev.icld.methods;

import java.util.List;

/**
 * The method registry: every layer-dropping method icld knows, in the order reports list them.
 * A new method is one class and one more entry in {@link #ALL} (README, "Add a policy").
 */
public final class Methods {
  public static final Method FULL = new FullMethod();
  public static final Method RANDOM = new RandomMethod();
  public static final Method EARLY_EXIT = new EarlyExitMethod();
  public static final Method DYNAMIC_EXIT = new DynamicExitMethod();
  public static final Method STATIC = new StaticMethod();
  public static final Method SELECTOR = new SelectorMethod();
  public static final Method ADAPTIVE = new AdaptiveMethod();
  public static final Method FIRST_K = new FirstLayersMethod();

  /** Every method, in report order. */
  public static final List<Method> ALL =
      List.of(FULL, RANDOM, EARLY_EXIT, DYNAMIC_EXIT, STATIC, SELECTOR, ADAPTIVE, FIRST_K);

  private Methods() {}

  /** The registered method of that name, or null. */
  public static Method find(String name) {
    return find(ALL, name);
  }

  /** The method of that name among {@code methods}, or null. */
  public static Method find(List<Method> methods, String name) {
    return methods.stream().filter(m -> m.name().equals(name)).findFirst().orElse(null);
  }

  /** What {@code icld eval --methods all} runs. */
  public static List<Method> inComparison() {
    return ALL.stream().filter(Method::inComparison).toList();
  }

  /** Where a method stands in reports: registered methods in order, any other after them. */
  public static int reportOrder(Method method) {
    int index = ALL.indexOf(method);
    return index < 0 ? ALL.size() : index;
  }

  /** The names, comma-separated. */
  public static String names(List<Method> methods) {
    return String.join(", ", methods.stream().map(Method::name).toList());
  }
}
