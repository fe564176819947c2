package dev.icld.data.synth;

/** The Debian TTS engines. */
public enum Engine {
  ESPEAK("espeak-ng"),
  FLITE("flite"),
  FESTIVAL("festival");

  private final String program;

  Engine(String program) {
    this.program = program;
  }

  public String program() {
    return program;
  }
}
