package dev.icld.data.synth;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** Skips a {@link NeedsSystemTools} test or class where this machine lacks what it names. */
public final class SystemToolsCondition implements ExecutionCondition {
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<NeedsSystemTools> needs =
        AnnotationSupport.findAnnotation(context.getElement(), NeedsSystemTools.class);
    if (needs.isEmpty()) {
      return ConditionEvaluationResult.enabled("needs no system tools");
    }
    List<String> missing = missing(needs.get(), Tools.fromEnvironment());
    return missing.isEmpty()
        ? ConditionEvaluationResult.enabled("system tools installed")
        : ConditionEvaluationResult.disabled("needs " + String.join(", ", missing)
            + "; scripts/setup.sh installs everything the tests need");
  }

  private static List<String> missing(NeedsSystemTools needs, Tools tools) {
    List<String> missing = new ArrayList<>();
    for (String program : needs.programs()) {
      if (tools.program(program) == null) {
        missing.add(program + " on PATH");
      }
    }
    for (String file : needs.files()) {
      if (!Files.exists(tools.data(file))) {
        missing.add(file);
      }
    }
    Set<String> packages = new LinkedHashSet<>();
    for (SynthTask task : needs.tasks()) {
      try {
        tools.require(task);
      } catch (MissingToolsException e) {
        packages.addAll(e.packages());
      }
    }
    if (!packages.isEmpty()) {
      missing.add("the Debian packages " + String.join(" ", packages) + " (apt-get install -y "
          + "--no-install-recommends " + String.join(" ", packages) + ")");
    }
    return missing;
  }
}
