package dev.icld.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkPartsTest {
  @TempDir Path dir;

  @Test
  void timingKeepsTheMedianAndTheMinimum() {
    assertEquals(new Benchmark.Timing(3, 1), Benchmark.Timing.of(new double[] {5, 1, 3}));
    assertEquals(new Benchmark.Timing(3.5, 2), Benchmark.Timing.of(new double[] {4, 2, 9, 3}));
  }

  @Test
  void keptLayerCountsAreFullHalfQuarterAndNoneWithoutDuplicates() {
    assertEquals(List.of(12, 6, 3, 0), Benchmark.keptLayerCounts(12));
    assertEquals(List.of(3, 1, 0), Benchmark.keptLayerCounts(3));
    assertEquals(List.of(0), Benchmark.keptLayerCounts(0));
  }

  @Test
  void settingsRefuseNonsense() {
    assertThrows(IllegalArgumentException.class, () -> new Benchmark.Settings(List.of(1.0), 0, 0, 2, 1));
    assertThrows(IllegalArgumentException.class, () -> new Benchmark.Settings(List.of(-1.0), 0, 1, 2, 1));
    assertThrows(IllegalArgumentException.class, () -> new Benchmark.Settings(List.of(1.0), 0, 1, 0, 1));
  }

  @Test
  void readsCpuModelAndPeakResidentSetFromProcFiles() throws Exception {
    Path cpuinfo = dir.resolve("cpuinfo");
    Files.writeString(cpuinfo, "processor\t: 0\nmodel name\t: Example CPU @ 2.0GHz\nflags\t: sse\n");
    assertEquals("Example CPU @ 2.0GHz", Machine.cpuModel(cpuinfo));
    Path status = dir.resolve("status");
    Files.writeString(status, "Name:\tjava\nVmPeak:\t 9000 kB\nVmHWM:\t    2048 kB\n");
    assertEquals(2048L * 1024, PeakMemory.residentBytes(status));
    assertEquals(-1, PeakMemory.residentBytes(dir.resolve("missing")));
  }
}
