package dev.icld.data.synth;

import java.io.IOException;
import java.util.List;

/** Some TTS engine, tool or recording a corpus needs is not installed; says what to install. */
public final class MissingToolsException extends IOException {
  private final List<String> packages;

  MissingToolsException(List<String> missing, List<String> packages) {
    super("missing " + String.join(", ", missing) + ". Install the Debian packages with "
        + "'sudo apt-get install -y --no-install-recommends " + String.join(" ", packages)
        + "' (or run scripts/setup.sh, which installs everything icld needs)");
    this.packages = List.copyOf(packages);
  }

  /** The apt packages that provide what is missing. */
  public List<String> packages() {
    return packages;
  }
}
