package dev.icld.data.synth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test that runs programs or reads Debian data files from outside the JVM (TTS engines, sox,
 * perl, fortunes): skipped, with what is missing and how to install it, where they are absent;
 * {@code mvn test -DexcludedGroups=system-tools} leaves every such test out.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(NeedsSystemTools.TAG)
@ExtendWith(SystemToolsCondition.class)
public @interface NeedsSystemTools {
  String TAG = "system-tools";

  /** Everything {@code icld synth --task} needs for each of these. */
  SynthTask[] tasks() default {};

  /** Programs on $PATH. */
  String[] programs() default {};

  /** Data files by their absolute path on a Debian installation. */
  String[] files() default {};
}
