package dev.icld.data.synth;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts any audio sox reads into 16 kHz mono samples, optionally through sox effects
 * (speed, pitch, tempo). Always without dither and in repeatable mode, so output is byte-identical
 * between runs.
 */
final class Sox {
  static final int RATE = 16000;

  private final String program;

  Sox(String program) {
    this.program = program;
  }

  /** Reads a file that sox recognises by its extension. */
  float[] read(Path file, List<String> effects, Path workDir) throws IOException {
    return convert(file.toString(), null, null, effects, workDir);
  }

  /** Reads audio held in memory; {@code type} is sox's file type, e.g. "wav". */
  float[] read(byte[] data, String type, List<String> effects, Path workDir) throws IOException {
    return convert("-", type, data, effects, workDir);
  }

  /** Generates audio with sox's synth effect, e.g. {@code "pinknoise"} for {@code seconds} s. */
  float[] synth(String kind, double seconds, Path workDir) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(program, "-D", "-R", "-V1", "-n"));
    addOutput(cmd);
    cmd.addAll(List.of("synth", String.valueOf(seconds), kind));
    return Pcm16.decode(Exec.run(cmd, null, workDir));
  }

  private float[] convert(String input, String type, byte[] stdin, List<String> effects,
      Path workDir) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(program, "-D", "-R", "-V1"));
    if (type != null) {
      cmd.addAll(List.of("-t", type));
    }
    cmd.add(input);
    addOutput(cmd);
    cmd.addAll(effects);
    return Pcm16.decode(Exec.run(cmd, stdin, workDir));
  }

  private static void addOutput(List<String> cmd) {
    cmd.addAll(List.of("-t", "raw", "-e", "signed-integer", "-b", "16", "-L", "-c", "1", "-r",
        String.valueOf(RATE), "-"));
  }
}
