package dev.icld.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.icld.audio.Audio;
import dev.icld.audio.WavWriter;
import dev.icld.data.LabelVocabulary;
import dev.icld.model.Checkpoints;
import dev.icld.model.LayerDrop;
import dev.icld.model.Task;
import dev.icld.model.TaskModel;
import dev.icld.train.TinySetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InferCommandTest {
  @TempDir Path temp;
  private Path model;
  private Path tone16k;
  private Path tone8k;

  private static Audio tone(int samples, int rate) {
    float[] x = new float[samples];
    for (int t = 0; t < samples; t++) {
      x[t] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * t / rate));
    }
    return new Audio(x, rate);
  }

  @BeforeEach
  void writeModelAndAudio() throws IOException {
    model = temp.resolve("model");
    Files.createDirectories(model);
    try (TaskModel m = TaskModel.create(Checkpoints.randomlyInitialised(TinySetup.config(4), 1),
        Task.KWS, LabelVocabulary.of(List.of("no", "yes")), new LayerDrop(LayerDrop.Mode.NONE, 1, false), 2)) {
      m.save(model);
    }
    tone16k = temp.resolve("a.wav");
    tone8k = temp.resolve("b.wav");
    WavWriter.writePcm16(tone16k, tone(4000, 16_000));
    WavWriter.writePcm16(tone8k, tone(2000, 8000));
  }

  @Test
  void printsOneLinePerFile() {
    CliRun.Result r = CliRun.run("infer", "--model", model.toString(), "--budget", "2", tone16k.toString(),
        tone8k.toString());
    assertEquals(0, r.code(), r.err());
    String[] lines = r.out().split("\n");
    assertEquals(2, lines.length, r.out());
    assertTrue(lines[0].matches(java.util.regex.Pattern.quote(tone16k.toString())
        + "\t(no|yes) \\(p=0\\.\\d{3}\\)\tlayers 0,1 \\(2/4\\)\t\\d+\\.\\d{3} GFLOPs\t\\d+\\.\\d ms"),
        lines[0]);
    assertTrue(lines[1].startsWith(tone8k + "\t"), lines[1]);
    r = CliRun.run("infer", "--model", model.toString(), "--budget", "deadline:1000ms", tone16k.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().trim().matches(".* ms \\(deadline 1000\\.0 ms (met|missed)\\)"), r.out());
  }

  @Test
  void jsonPrintsOneObjectPerLine() {
    CliRun.Result r = CliRun.run("infer", "--model", model.toString(), "--budget", "deadline:500ms", "--json",
        tone16k.toString());
    assertEquals(0, r.code(), r.err());
    JsonObject o = JsonParser.parseString(r.out().trim()).getAsJsonObject();
    assertEquals(tone16k.toString(), o.get("file").getAsString());
    assertEquals(2, o.getAsJsonObject("probabilities").size());
    assertEquals("first-k", o.get("policy").getAsString());
    assertEquals("deadline:500.0ms", o.get("budget").getAsString());
    assertEquals(500, o.get("deadline_ms").getAsDouble());
    int kept = o.getAsJsonArray("executed_layers").size();
    assertTrue(kept >= 1 && kept <= 4);
    assertTrue(o.getAsJsonObject("latency_ms").get("total").getAsDouble() > 0);
  }

  @Test
  void aFolderRunsItsAudioFilesByName() throws IOException {
    Path folder = temp.resolve("clips");
    Files.createDirectories(folder.resolve("nested"));
    WavWriter.writePcm16(folder.resolve("2.WAV"), tone(4000, 16_000));
    WavWriter.writePcm16(folder.resolve("1.wav"), tone(2000, 8000));
    WavWriter.writePcm16(folder.resolve("nested").resolve("3.wav"), tone(4000, 16_000));
    Files.writeString(folder.resolve("notes.txt"), "not audio");
    CliRun.Result r = CliRun.run("infer", "--model", model.toString(), "--budget", "2",
        folder.toString(), tone16k.toString());
    assertEquals(0, r.code(), r.err());
    String[] lines = r.out().split("\n");
    assertEquals(3, lines.length, r.out());
    assertTrue(lines[0].startsWith(folder.resolve("1.wav") + "\t"), lines[0]);
    assertTrue(lines[1].startsWith(folder.resolve("2.WAV") + "\t"), lines[1]);
    assertTrue(lines[2].startsWith(tone16k + "\t"), lines[2]);
  }

  @Test
  void aFolderWithoutAudioIsOneClearError() throws IOException {
    Path folder = temp.resolve("empty");
    Files.createDirectories(folder);
    CliRun.Result r = CliRun.run("infer", "--model", model.toString(), "--budget", "2",
        folder.toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains(folder + ": no .wav or .flac files in this folder"), r.err());
  }

  @Test
  void aBadFileGetsOneErrorLineAndTheOthersStillRun() throws IOException {
    Path empty = temp.resolve("empty.wav");
    WavWriter.writePcm16(empty, new Audio(new float[0], 16_000));
    Path text = temp.resolve("notes.wav");
    Files.writeString(text, "not audio");
    Path missing = temp.resolve("missing.flac");
    Path click = temp.resolve("click.wav");
    WavWriter.writePcm16(click, tone(50, 16_000));
    CliRun.Result r = CliRun.run("infer", "--model", model.toString(), "--budget", "0.5", empty.toString(),
        tone16k.toString(), text.toString(), missing.toString(), click.toString());
    assertEquals(1, r.code());
    assertEquals(1, r.out().split("\n").length, r.out());
    assertTrue(r.out().startsWith(tone16k + "\t"), r.out());
    String[] errors = r.err().split("\n");
    assertEquals(4, errors.length, r.err());
    assertEquals("icld infer: " + click + ": the audio (3.1 ms) is shorter than the model's first "
        + "frame", errors[3]);
    assertEquals("icld infer: " + empty + ": WAV file contains no samples (empty 'data' chunk)",
        errors[0]);
    assertTrue(errors[1].startsWith("icld infer: " + text + ": "), errors[1]);
    assertTrue(errors[2].startsWith("icld infer: " + missing + ": "), errors[2]);
  }

  @Test
  void aBudgetTheModelCannotRunIsOneErrorLine() {
    CliRun.Result r = CliRun.run("infer", "--model", model.toString(), "--budget", "7", tone16k.toString());
    assertEquals(1, r.code());
    assertEquals("icld infer: budget 7 layers exceeds the model's 4 layers\n", r.err());
    r = CliRun.run("infer", "--model", model.toString(), "--budget", "adaptive:0.5", tone16k.toString());
    assertEquals(1, r.code());
    assertEquals("icld infer: an adaptive budget needs the input-conditioned selector, and this "
        + "model has none\n", r.err());
    r = CliRun.run("infer", "--model", model.toString(), "--budget", "2", "--policy", "selector",
        tone16k.toString());
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("icld infer: policy \"selector\": this model has no layer selector"), r.err());
    r = CliRun.run("infer", "--model", temp.resolve("nowhere").toString(), "--budget", "2", tone16k.toString());
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("icld infer: " + temp.resolve("nowhere")), r.err());
  }
}
