package dev.icld.runtime;

import dev.icld.methods.Method;
import dev.icld.methods.Methods;
import dev.icld.methods.Need;
import dev.icld.model.LayerDrop;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The layer-selection policies a model serves by name: the {@link Methods} that are
 * {@link Method#served()} and whose {@link Method#needs()} its parts meet, the default first.
 */
final class ServedPolicies {
  /** The default policy is the first of these the model has: the best informed first. */
  private static final List<Method> DEFAULT_ORDER =
      List.of(Methods.SELECTOR, Methods.EARLY_EXIT, Methods.STATIC, Methods.FIRST_K);

  private final Set<Need> has;
  private final Map<String, Method> served;

  ServedPolicies(ModelParts parts) {
    this.has = EnumSet.noneOf(Need.class);
    if (parts.selector != null) {
      has.add(Need.SELECTOR);
    }
    if (parts.model.layerDrop().mode() == LayerDrop.Mode.EARLY_EXIT) {
      has.add(Need.EXIT_HEADS);
    }
    if (parts.staticSubsets != null) {
      has.add(Need.STATIC_SUBSETS);
    }
    List<Method> order = new ArrayList<>(DEFAULT_ORDER);
    Methods.ALL.stream().filter(m -> !order.contains(m)).forEach(order::add);
    Map<String, Method> byName = new LinkedHashMap<>();
    for (Method method : order) {
      if (method.served() && has.containsAll(method.needs())) {
        byName.put(method.name(), method);
      }
    }
    this.served = Collections.unmodifiableMap(byName);
  }

  Set<String> names() {
    return served.keySet();
  }

  String defaultName() {
    return served.keySet().iterator().next();
  }

  /**
   * @param name a served policy's name, or null for the default
   * @throws IllegalArgumentException saying why a policy is not served, and which are
   */
  Method method(String name) {
    if (name == null) {
      return served.get(defaultName());
    }
    Method method = served.get(name);
    if (method == null) {
      Method known = Methods.find(name);
      String why = known == null ? "unknown policy; "
          : !known.served() ? "icld eval runs it, the runtime does not; "
          : "this model has no " + known.needs().stream().filter(need -> !has.contains(need))
              .findFirst().orElseThrow().what() + "; ";
      throw new IllegalArgumentException("policy \"" + name + "\": " + why + "available: "
          + String.join(", ", served.keySet()));
    }
    return method;
  }
}
