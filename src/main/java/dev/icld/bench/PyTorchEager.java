package dev.icld.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.icld.model.Checkpoints;
import dev.icld.model.FoundationModel;
import dev.icld.model.LayerMask;
import dev.icld.model.Torch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The same backbone timed in PyTorch eager through torchaudio, for the runtime issue's "DJL at
 * most 1.1 times PyTorch" comparison. It runs the committed script {@code scripts/bench/torch_eager.py}
 * under Debian's python3-torch in a separate process: the weights go over as {@link
 * Checkpoints#save} writes them, the inputs as raw float32, and the script answers with its
 * repeat times and the encoder output of each input, which is compared with DJL's so that the
 * report shows the same model was timed. Optional: where the interpreter cannot import torch and
 * torchaudio, {@link #compare} says so instead of measuring.
 *
 * <p>Debian's python3-torch does its matrix products through the system's libblas.so.3, which is
 * Netlib's unoptimised reference BLAS unless an optimised one (libopenblas0-pthread) is installed;
 * the script reports which one ran, and times on the reference BLAS are shown but not held to the
 * target.
 */
public final class PyTorchEager {
  /** Debian's interpreter, where python3-torch and python3-torchaudio install. */
  public static final Path DEBIAN_PYTHON = Path.of("/usr/bin/python3");
  /** The script, relative to the repository root. */
  public static final Path SCRIPT = Path.of("scripts", "bench", "torch_eager.py");
  static final String NOT_INSTALLED = "python3-torch not installed";
  static final String REFERENCE_BLAS = "Netlib's reference BLAS: not a measure of PyTorch's speed, "
      + "no target check; install libopenblas0-pthread";
  private static final long TIMEOUT_MINUTES = 60;

  private final Path python;
  private final Path script;
  private final int threads;
  private Boolean available;

  /**
   * @param python the interpreter to run the script with
   * @param script torch_eager.py
   * @param threads PyTorch's intra-op threads: DJL's
   */
  public PyTorchEager(Path python, Path script, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("PyTorch needs at least one thread, got " + threads);
    }
    this.python = python;
    this.script = script;
    this.threads = threads;
  }

  /**
   * PyTorch's times on one input and how far its output is from DJL's.
   *
   * @param referenceBlas whether PyTorch ran on Netlib's reference BLAS (then the times do not
   *     measure PyTorch's speed)
   */
  public record InputTiming(Benchmark.Timing timing, double maxAbsDifference,
      boolean referenceBlas) {}

  /**
   * One model's comparison: what was measured (versions and threads) or why nothing was, and one
   * timing per input when measured.
   */
  public record Result(String note, List<InputTiming> inputs) {
    public Result {
      inputs = List.copyOf(inputs);
    }

    static Result notMeasured(String why) {
      return new Result("not measured (" + why + ")", List.of());
    }

    public boolean measured() {
      return !inputs.isEmpty();
    }
  }

  /** What the script printed: versions, the thread count it ran with, per input its times. */
  record Answer(String torch, String torchaudio, int threads, String blas, boolean referenceBlas,
      List<ScriptInput> inputs) {}

  /** One input as the script reports it. */
  record ScriptInput(int samples, int frames, int hidden, double[] timesMs) {}

  /** Whether the interpreter imports torch and torchaudio (asked once). */
  public synchronized boolean available() {
    if (available == null) {
      try {
        Process p = new ProcessBuilder(python.toString(), "-c", "import torch, torchaudio")
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        available = p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0;
        p.destroy();
      } catch (IOException e) {
        available = false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        available = false;
      }
    }
    return available;
  }

  /**
   * Times {@code model} at full depth on each input in PyTorch eager with DJL's thread count and
   * the same warm-ups and repeats as DJL's measurement, and compares the outputs with DJL's.
   *
   * @param audio 16 kHz waveforms, each run alone
   */
  public Result compare(FoundationModel model, List<float[]> audio, Benchmark.Settings settings) {
    if (!available()) {
      return Result.notMeasured(NOT_INSTALLED);
    }
    if (!Files.isRegularFile(script)) {
      return Result.notMeasured(script + " not found");
    }
    Path work = null;
    try {
      work = Files.createTempDirectory("icld-pytorch-");
      Checkpoints.save(model, work.resolve("model"));
      List<String> command = new ArrayList<>(List.of(python.toString(), script.toString(),
          "--model", work.resolve("model").toString(), "--threads",
          Integer.toString(threads), "--warmups", Integer.toString(settings.warmups()),
          "--repeats", Integer.toString(settings.repeats())));
      for (int i = 0; i < audio.size(); i++) {
        Path in = work.resolve("input-" + i + ".f32");
        Files.write(in, littleEndian(audio.get(i)));
        command.addAll(List.of("--input", in.toString(), "--output",
            work.resolve("output-" + i + ".f32").toString()));
      }
      String stdout = run(command, work);
      Answer answer = parse(stdout);
      if (answer.inputs().size() != audio.size()) {
        throw new IOException("the script answered for " + answer.inputs().size() + " inputs, not "
            + audio.size());
      }
      List<InputTiming> timings = new ArrayList<>();
      for (int i = 0; i < audio.size(); i++) {
        ScriptInput in = answer.inputs().get(i);
        float[] torchOutput = floats(Files.readAllBytes(work.resolve("output-" + i + ".f32")));
        float[] djlOutput = djlOutput(model, audio.get(i));
        if (torchOutput.length != djlOutput.length) {
          throw new IOException("input " + i + ": PyTorch's output has " + in.frames() + " x "
              + in.hidden() + " values, DJL's " + djlOutput.length);
        }
        timings.add(new InputTiming(Benchmark.Timing.of(in.timesMs()),
            maxAbsDifference(djlOutput, torchOutput), answer.referenceBlas()));
      }
      return new Result(String.format("torch %s, torchaudio %s (%s), %d threads, BLAS %s%s",
          answer.torch(), answer.torchaudio(), python, answer.threads(), answer.blas(),
          answer.referenceBlas() ? " (" + REFERENCE_BLAS + ")" : ""), timings);
    } catch (IOException | IllegalArgumentException e) {
      return Result.notMeasured(e.getMessage());
    } finally {
      deleteQuietly(work);
    }
  }

  /**
   * The script's standard output (both streams go to files in {@code work}, so that a hung script
   * runs into the timeout); a failure names its error line or the end of its stderr.
   */
  private String run(List<String> command, Path work) throws IOException {
    Path stdoutFile = work.resolve("stdout.txt");
    Path stderr = work.resolve("stderr.txt");
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectOutput(stdoutFile.toFile()).redirectError(stderr.toFile());
    builder.environment().put("OPT_OUT_TRACKING", "true");
    builder.environment().put("OMP_WAIT_POLICY", "PASSIVE");
    builder.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
    Process process = builder.start();
    try {
      if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        throw new IOException(script + " did not finish in " + TIMEOUT_MINUTES + " minutes");
      }
      String stdout = Files.readString(stdoutFile);
      if (process.exitValue() != 0) {
        String why = stdout.isBlank() ? lastLine(Files.readString(stderr)) : errorOf(stdout);
        throw new IOException(script.getFileName() + " failed: " + why);
      }
      return stdout;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(script + " interrupted");
    } finally {
      process.destroy();
    }
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines[lines.length - 1];
  }

  private static String errorOf(String stdout) {
    try {
      JsonObject o = JsonParser.parseString(stdout.strip()).getAsJsonObject();
      return o.has("error") ? o.get("error").getAsString() : lastLine(stdout);
    } catch (RuntimeException e) {
      return lastLine(stdout);
    }
  }

  /**
   * Reads the script's JSON answer.
   *
   * @throws IllegalArgumentException naming what is missing or wrong, or the script's own error
   */
  static Answer parse(String stdout) {
    JsonObject o;
    try {
      JsonElement e = JsonParser.parseString(stdout.strip());
      if (!e.isJsonObject()) {
        throw new IllegalArgumentException("the script printed no JSON object: " + stdout.strip());
      }
      o = e.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new IllegalArgumentException("the script printed no JSON object: " + stdout.strip());
    }
    if (o.has("error")) {
      throw new IllegalArgumentException(o.get("error").getAsString());
    }
    try {
      List<ScriptInput> inputs = new ArrayList<>();
      JsonArray array = field(o, "inputs").getAsJsonArray();
      for (JsonElement element : array) {
        JsonObject in = element.getAsJsonObject();
        JsonArray times = field(in, "times_ms").getAsJsonArray();
        double[] millis = new double[times.size()];
        for (int i = 0; i < millis.length; i++) {
          millis[i] = times.get(i).getAsDouble();
          if (!(millis[i] >= 0)) {
            throw new IllegalArgumentException("the script reported a time of " + times.get(i));
          }
        }
        if (millis.length == 0) {
          throw new IllegalArgumentException("the script reported no times for an input");
        }
        inputs.add(new ScriptInput(field(in, "samples").getAsInt(), field(in, "frames").getAsInt(),
            field(in, "hidden").getAsInt(), millis));
      }
      return new Answer(field(o, "torch").getAsString(), field(o, "torchaudio").getAsString(),
          field(o, "threads").getAsInt(), field(o, "blas").getAsString(),
          field(o, "reference_blas").getAsBoolean(), inputs);
    } catch (IllegalStateException | UnsupportedOperationException | NumberFormatException e) {
      throw new IllegalArgumentException("the script's JSON is malformed: " + e.getMessage());
    }
  }

  private static JsonElement field(JsonObject o, String name) {
    JsonElement e = o.get(name);
    if (e == null || e.isJsonNull()) {
      throw new IllegalArgumentException("the script's JSON has no \"" + name + "\"");
    }
    return e;
  }

  /** DJL's full-depth encoder output of one input, [frames x hidden] flattened. */
  private static float[] djlOutput(FoundationModel model, float[] audio) {
    try (NDManager manager = Torch.newManager()) {
      return model.forward(manager.create(audio, new Shape(1, audio.length)),
          new int[] {audio.length}, LayerMask.all(model.layerCount())).lastHiddenState().toFloatArray();
    }
  }

  static double maxAbsDifference(float[] a, float[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs((double) a[i] - b[i]));
    }
    return max;
  }

  private static byte[] littleEndian(float[] values) {
    ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(values);
    return buffer.array();
  }

  private static float[] floats(byte[] bytes) {
    float[] values = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return values;
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary directory is harmless; the measurement stands.
    }
  }
}
