package dev.icld.train;

import ai.djl.ndarray.NDArray;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import dev.icld.files.AtomicFiles;
import dev.icld.files.FileDigests;
import dev.icld.model.io.SafeTensors;
import dev.icld.model.io.TensorData;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Training checkpoints of one run: each in its own directory step-NNNNNNNN (trainable parameters,
 * optimizer state, trainer state, and last {@value #CHECKSUMS} with each file's size and SHA-256),
 * published by atomically replacing the pointer file {@value #LATEST}. A directory is complete
 * and on the disk before the pointer names it, so a crash at any moment leaves the previous
 * checkpoint usable. A resume checks every file against the checksums and refuses a checkpoint
 * that was truncated or altered since it was written. Older directories are pruned.
 */
final class CheckpointStore {
  static final String LATEST = "latest";
  private static final String PARAMETERS = "parameters.safetensors";
  private static final String OPTIMIZER = "optimizer.safetensors";
  private static final String STATE = "trainer.json";
  static final String CHECKSUMS = "checksums.json";
  private static final List<String> CHECKED = List.of(PARAMETERS, OPTIMIZER, STATE);
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  /**
   * A checkpoint read back.
   *
   * @param verified false for a checkpoint written before checkpoints had checksums
   */
  record Restored(Path dir, TrainingState state, Map<String, TensorData> parameters,
      Map<String, TensorData> optimizer, boolean verified) {}

  /** What {@value #CHECKSUMS} records of one file. */
  private record Checksum(long bytes, String sha256) {}

  private final Path dir;
  private final int keep;

  CheckpointStore(Path dir, int keep) {
    this.dir = dir;
    this.keep = keep;
  }

  void write(TrainingState state, Map<String, NDArray> parameters, AdamW optimizer)
      throws IOException {
    String name = String.format("step-%08d", state.globalStep);
    Path target = dir.resolve(name);
    Path tmp = dir.resolve(name + ".tmp");
    deleteTree(tmp);
    Files.createDirectories(tmp);
    SafeTensors.write(tmp.resolve(PARAMETERS), snapshot(parameters));
    SafeTensors.write(tmp.resolve(OPTIMIZER), optimizer.state());
    AtomicFiles.writeString(tmp.resolve(STATE), GSON.toJson(state));
    Map<String, Checksum> checksums = new LinkedHashMap<>();
    for (String file : CHECKED) {
      Path path = tmp.resolve(file);
      checksums.put(file, new Checksum(Files.size(path), FileDigests.sha256(path)));
    }
    AtomicFiles.writeString(tmp.resolve(CHECKSUMS), GSON.toJson(checksums) + "\n");
    // A replayed run (resumed from an earlier checkpoint) may find its own older copy here.
    if (Files.exists(target) && !name.equals(latestName())) {
      deleteTree(target);
    }
    if (!Files.exists(target)) {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      AtomicFiles.syncDirectory(dir);
    } else {
      deleteTree(tmp);
    }
    AtomicFiles.writeString(dir.resolve(LATEST), name + "\n");
    prune(name);
  }

  /** The checkpoint the pointer names, or null when the run has none yet. */
  Restored readLatest() throws IOException {
    String name = latestName();
    if (name == null) {
      return null;
    }
    Path checkpoint = dir.resolve(name);
    boolean verified = verify(checkpoint);
    Path stateFile = checkpoint.resolve(STATE);
    TrainingState state;
    try {
      state = GSON.fromJson(Files.readString(stateFile, StandardCharsets.UTF_8),
          TrainingState.class);
    } catch (JsonParseException e) {
      throw new IOException(stateFile + ": not a trainer state file: " + e.getMessage());
    }
    if (state == null) {
      throw new IOException(stateFile + ": empty trainer state file");
    }
    return new Restored(checkpoint, state, SafeTensors.read(checkpoint.resolve(PARAMETERS)),
        SafeTensors.read(checkpoint.resolve(OPTIMIZER)), verified);
  }

  /**
   * Checks each file of a checkpoint against its {@value #CHECKSUMS}; false when the checkpoint
   * has none (written by an icld from before checksums, which never published a directory
   * without its files).
   *
   * @throws IOException naming the file and how it differs, when any does
   */
  private boolean verify(Path checkpoint) throws IOException {
    Path manifest = checkpoint.resolve(CHECKSUMS);
    if (!Files.exists(manifest)) {
      return false;
    }
    Map<String, Checksum> recorded;
    try {
      recorded = GSON.fromJson(Files.readString(manifest, StandardCharsets.UTF_8),
          new TypeToken<Map<String, Checksum>>() {}.getType());
    } catch (JsonParseException | CharacterCodingException e) {
      throw refusal(manifest, "not a checksum file (" + e.getMessage() + ")");
    }
    for (String file : CHECKED) {
      Checksum expected = recorded == null ? null : recorded.get(file);
      if (expected == null || expected.sha256() == null) {
        throw refusal(manifest, "has no checksum for " + file);
      }
      Path path = checkpoint.resolve(file);
      if (!Files.isRegularFile(path)) {
        throw refusal(path, "is missing");
      }
      long bytes = Files.size(path);
      if (bytes != expected.bytes()) {
        throw refusal(path, (bytes < expected.bytes() ? "truncated: " : "grown: ") + bytes
            + " bytes where " + expected.bytes() + " were written");
      }
      String actual = FileDigests.sha256(path);
      if (!actual.equals(expected.sha256())) {
        throw refusal(path, "corrupted: SHA-256 " + actual + " where " + expected.sha256()
            + " was written");
      }
    }
    return true;
  }

  private IOException refusal(Path file, String problem) {
    return new IOException(file + ": " + problem + "; refusing to resume from a damaged "
        + "checkpoint. Point " + dir.resolve(LATEST) + " at an older step-* directory beside it, "
        + "or delete " + dir.getParent() + " to train from the start");
  }

  private String latestName() throws IOException {
    Path pointer = dir.resolve(LATEST);
    if (!Files.isRegularFile(pointer)) {
      return null;
    }
    String name = Files.readString(pointer, StandardCharsets.UTF_8).trim();
    if (!Files.isDirectory(dir.resolve(name))) {
      throw new IOException(pointer + ": names checkpoint " + name + ", which does not exist");
    }
    return name;
  }

  /** Float copies of the parameters, keyed by name. */
  static Map<String, TensorData> snapshot(Map<String, NDArray> parameters) {
    Map<String, TensorData> out = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> p : parameters.entrySet()) {
      out.put(p.getKey(),
          TensorData.f32(p.getValue().getShape().getShape(), p.getValue().toFloatArray()));
    }
    return out;
  }

  /** Deletes all but the newest {@code keep} checkpoints, never the one just published. */
  private void prune(String current) throws IOException {
    List<Path> checkpoints = new ArrayList<>();
    try (Stream<Path> entries = Files.list(dir)) {
      entries.filter(p -> Files.isDirectory(p))
          .filter(p -> p.getFileName().toString().matches("step-\\d{8}"))
          .forEach(checkpoints::add);
    }
    checkpoints.sort(Comparator.comparing(p -> p.getFileName().toString()));
    int excess = checkpoints.size() - keep;
    for (Path old : checkpoints) {
      if (excess <= 0) {
        break;
      }
      if (!old.getFileName().toString().equals(current)) {
        deleteTree(old);
        excess--;
      }
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
