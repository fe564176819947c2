package dev.icld.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.icld.audio.Audio;
import dev.icld.audio.WavWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    CliRun.Result r = CliRun.run("import", "--format", "esc50", "--root", root.toString(),
        "--out", out.toString(), "--dev-fold", "1", "--test-fold", "2");

    assertEquals(0, r.code(), r.out() + r.err());
    String table = r.out();
    assertTrue(table.contains("train"), table);
    assertTrue(table.matches("(?s).*train\\s+3\\s.*dev\\s+1\\s.*test\\s+1\\s.*"), table);
    assertEquals(3, Files.readAllLines(out.resolve("train.jsonl")).size());
  }

  @Test
  void aMissingRootIsOneClearErrorLine() {
    CliRun.Result r = CliRun.run("import", "--format", "voxceleb", "--root",
        dir.resolve("nope").toString(), "--out", dir.resolve("out").toString());

    assertEquals(1, r.code());
    assertEquals("icld import: " + dir.resolve("nope") + ": corpus root not found",
        r.err().strip());
  }
}
