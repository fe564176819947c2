package dev.icld.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.icld.audio.Audio;
import dev.icld.audio.WavWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ImportCommandTest {
  @TempDir Path dir;

  @Test
  void importsAnEsc50FolderAndPrintsTheSplits() throws IOException {
    Path root = dir.resolve("ESC-50");
    Files.createDirectories(root.resolve("audio"));
    Files.createDirectories(root.resolve("meta"));
    StringBuilder csv = new StringBuilder("filename,fold,target,category,esc10,src_file,take\n");
    for (int fold = 1; fold <= 5; fold++) {
      String name = fold + "-1000" + fold + "-A-0.wav";
      WavWriter.writePcm16(root.resolve("audio").resolve(name), new Audio(new float[1600], 16000));
      csv.append(name).append(',').append(fold).append(",0,dog,True,1000").append(fold).append(",A\n");
    }
    Files.writeString(root.resolve("meta/esc50.csv"), csv);
    Path out = dir.resolve("out");
    StringWriter printed = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(printed));

    int code = cli.execute("import", "--format", "esc50", "--root", root.toString(),
        "--out", out.toString(), "--dev-fold", "1", "--test-fold", "2");

    assertEquals(0, code, printed.toString());
    String table = printed.toString();
    assertTrue(table.contains("train"), table);
    assertTrue(table.matches("(?s).*train\\s+3\\s.*dev\\s+1\\s.*test\\s+1\\s.*"), table);
    assertEquals(3, Files.readAllLines(out.resolve("train.jsonl")).size());
  }

  @Test
  void aMissingRootIsOneClearErrorLine() {
    StringWriter errors = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(errors));

    int code = cli.execute("import", "--format", "voxceleb", "--root", dir.resolve("nope").toString(),
        "--out", dir.resolve("out").toString());

    assertEquals(1, code);
    assertEquals("icld import: " + dir.resolve("nope") + ": corpus root not found",
        errors.toString().strip());
  }
}
