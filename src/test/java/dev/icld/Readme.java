package dev.icld;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The code README.md quotes, for the tests that hold it to the sources. */
public final class Readme {
  private Readme() {}

  /** The first {@code ```java} block under the heading {@code ## SECTION}. */
  public static String javaBlock(String section) throws IOException {
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    int at = readme.indexOf("\n## " + section + "\n");
    assertTrue(at >= 0, "README.md has a \"" + section + "\" section");
    int start = readme.indexOf("```java\n", at) + "```java\n".length();
    return readme.substring(start, readme.indexOf("```\n", start));
  }
}
