/**
 * Measurements of the runtime, for {@code icld bench} and {@code icld load-test}: they call the
 * {@code runtime} package as a user would, and nothing that serves a call depends on them.
 *
 * <p>{@link dev.icld.bench.Benchmark} times backbones on DJL and ONNX Runtime, and
 * {@link dev.icld.bench.PyTorchEager} the same weights in PyTorch eager where Debian's
 * python3-torch is installed; {@link dev.icld.bench.BenchmarkReport} writes what both found, with
 * the {@link dev.icld.bench.Machine} they ran on and the {@link dev.icld.bench.PeakMemory}.
 * {@link dev.icld.bench.DeadlineExperiment} measures how the deadline controller copes with a
 * {@link dev.icld.bench.CompetingLoad} switched on and off (scoring the answers with
 * {@code metrics}, not {@code eval}); {@link dev.icld.bench.LoadTest} makes many calls from
 * several threads and follows the resident set.
 */
package dev.icld.bench;
