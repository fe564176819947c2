package dev.icld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Dependencies between icld's packages point one way (README, "Layout"), read from the sources:
 * every import and fully qualified name of an icld class in src/main/java. A sub-package belongs
 * to its parent's concern ({@code runtime.onnx} is {@code runtime}).
 */
class LayeringTest {
  private static final Path SOURCES = Path.of("src/main/java/dev/icld");

  /** What each package may use; everything else of icld's is forbidden to it. */
  private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
      Map.entry("files", Set.of()),
      Map.entry("metrics", Set.of()),
      Map.entry("audio", Set.of("files")),
      Map.entry("data", Set.of("files", "audio")),
      Map.entry("model", Set.of("files", "audio", "data")),
      Map.entry("selection", Set.of("files", "audio", "data", "model")),
      Map.entry("methods", Set.of("files", "audio", "data", "model", "selection")),
      Map.entry("inference", Set.of("files", "metrics", "audio", "data", "model", "selection")),
      Map.entry("train", Set.of("files", "metrics", "audio", "data", "model", "selection",
          "inference")),
      Map.entry("eval", Set.of("files", "metrics", "audio", "data", "model", "selection",
          "methods", "inference", "train")),
      Map.entry("recipes", Set.of("files", "metrics", "audio", "data", "model", "selection",
          "methods", "inference", "train", "eval")),
      Map.entry("runtime", Set.of("files", "metrics", "audio", "data", "model", "selection",
          "methods", "inference")),
      Map.entry("bench", Set.of("files", "metrics", "audio", "data", "model", "selection",
          "methods", "inference", "runtime")),
      Map.entry("spark", Set.of("files", "metrics", "audio", "data", "model", "selection",
          "methods", "inference", "eval", "recipes", "runtime")),
      Map.entry("cli", Set.of("files", "metrics", "audio", "data", "model", "selection",
          "methods", "inference", "train", "eval", "recipes", "runtime", "bench", "spark")));

  /** An icld class named in code: {@code dev.icld.PACKAGE.Class}, the package in group 1. */
  private static final Pattern REFERENCE =
      Pattern.compile("\\bdev\\.icld\\.([a-z][a-z0-9_.]*?)\\.[A-Z]");

  @Test
  void everyPackageUsesOnlyWhatItsLayerAllows() throws IOException {
    Map<String, Set<String>> uses = uses();
    List<String> violations = new ArrayList<>();
    uses.forEach((use, files) -> {
      String[] edge = use.split(" -> ");
      if (!ALLOWED.getOrDefault(edge[0], Set.of()).contains(edge[1])) {
        violations.add(use + " in " + files);
      }
    });
    assertEquals(List.of(), violations, "imports against the layering");
  }

  @Test
  void everyPackageHasAPlace() throws IOException {
    Set<String> packages = new TreeSet<>();
    try (Stream<Path> dirs = Files.list(SOURCES)) {
      dirs.filter(Files::isDirectory).forEach(dir -> packages.add(dir.getFileName().toString()));
    }
    assertEquals(new TreeSet<>(ALLOWED.keySet()), packages,
        "a new package needs its place in ALLOWED (and README's layout table)");
  }

  @Test
  void theAllowedDependenciesHaveNoCycle() {
    // Depth-first from every package: a package reached again while on the path closes a cycle.
    for (String start : ALLOWED.keySet()) {
      assertTrue(reachable(start, new HashSet<>()).stream().noneMatch(start::equals),
          start + " can reach itself through the allowed dependencies");
    }
  }

  /** The scan sees the edges that make the layers: a scan that missed them would pass anything. */
  @Test
  void theScanFindsTheKnownEdges() throws IOException {
    Set<String> edges = uses().keySet();
    for (String edge : List.of("cli -> runtime", "bench -> runtime", "recipes -> eval",
        "runtime -> inference", "eval -> metrics", "audio -> files")) {
      assertTrue(edges.contains(edge), edge + " not found among " + edges);
    }
  }

  private static Set<String> reachable(String from, Set<String> seen) {
    for (String next : ALLOWED.get(from)) {
      if (seen.add(next)) {
        reachable(next, seen);
      }
    }
    return seen;
  }

  /** "from -> to" for every use of another package's class, with the files that make it. */
  private static Map<String, Set<String>> uses() throws IOException {
    Map<String, Set<String>> uses = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(SOURCES)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).toList();
    }
    for (Path file : files) {
      String from = concern(SOURCES.relativize(file.getParent()).toString().replace('/', '.'));
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String code = line.strip();
        if (code.startsWith("*") || code.startsWith("/*") || code.startsWith("//")) {
          continue; // a comment may name any class: it runs nothing
        }
        Matcher m = REFERENCE.matcher(code);
        while (m.find()) {
          String to = concern(m.group(1));
          if (!to.equals(from)) {
            uses.computeIfAbsent(from + " -> " + to, k -> new TreeSet<>())
                .add(file.getFileName().toString());
          }
        }
      }
    }
    return uses;
  }

  private static String concern(String pkg) {
    int dot = pkg.indexOf('.');
    return dot < 0 ? pkg : pkg.substring(0, dot);
  }
}
