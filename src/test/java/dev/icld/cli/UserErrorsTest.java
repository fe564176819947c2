package dev.icld.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.icld.audio.AudioFormatException;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class UserErrorsTest {
  @TempDir Path dir;

  /** {exit code, standard error} of reporting {@code e} as the infer command's failure. */
  private static String[] report(Exception e) throws Exception {
    CommandLine infer = Main.commandLine().getSubcommands().get("infer");
    StringWriter err = new StringWriter();
    infer.setErr(new PrintWriter(err, true));
    int code = new UserErrors().handleExecutionException(e, infer, null);
    return new String[] {String.valueOf(code), err.toString().strip()};
  }

  @Test
  void aMessageNamingTheFileIsPrintedAsItIs() throws Exception {
    Path file = dir.resolve("a.wav");
    String[] result = report(new AudioFormatException(file, "not a WAV or FLAC file"));
    assertEquals("1", result[0]);
    assertEquals("icld infer: " + file + ": not a WAV or FLAC file", result[1]);
  }

  @Test
  void anExceptionWithoutAMessageIsDescribedByTypeAndPlaceNotAsNull() throws Exception {
    // What RandomAccessFile.readFully throws at the end of a file: an EOFException, no message.
    Path file = Files.write(dir.resolve("short"), new byte[2]);
    EOFException bare;
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      in.readFully(new byte[4]);
      throw new AssertionError("read past the end");
    } catch (EOFException e) {
      bare = e;
    }
    for (Exception reported : new Exception[] {bare, new UncheckedIOException(bare)}) {
      String[] result = report(reported);
      assertEquals("1", result[0]);
      assertTrue(result[1].startsWith("icld infer: EOFException without a message in "
          + "java.io.RandomAccessFile.readFully, reached from dev.icld.cli.UserErrorsTest."),
          result[1]);
      assertTrue(result[1].endsWith("ICLD_DEBUG=1 shows the stack trace)"), result[1]);
    }
  }

  @Test
  void aBlankMessageCountsAsNone() throws Exception {
    String[] result = report(new IOException(" "));
    assertTrue(result[1].startsWith("icld infer: IOException without a message in "
        + "dev.icld.cli.UserErrorsTest.aBlankMessageCountsAsNone"), result[1]);
  }
}
