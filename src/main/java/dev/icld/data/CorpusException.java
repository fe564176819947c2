package dev.icld.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A manifest with bad lines: the message lists every one of them, not only the first. */
public class CorpusException extends IOException {
  private final transient List<ManifestProblem> problems;

  public CorpusException(Path manifest, int lines, List<ManifestProblem> problems) {
    super(describe(manifest, lines, problems)
        + "\n(fix or remove these lines, or load with skipBad / --skip-bad to leave them out)");
    this.problems = List.copyOf(problems);
  }

  public List<ManifestProblem> problems() {
    return problems;
  }

  /** "MANIFEST: N bad lines of M:" followed by one indented line per problem. */
  static String describe(Path manifest, int lines, List<ManifestProblem> problems) {
    StringBuilder text = new StringBuilder()
        .append(manifest).append(": ").append(problems.size())
        .append(problems.size() == 1 ? " bad line" : " bad lines").append(" of ").append(lines)
        .append(':');
    for (ManifestProblem p : problems) {
      text.append("\n  ").append(p);
    }
    return text.toString();
  }
}
