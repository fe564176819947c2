package dev.icld.model.io;

import dev.icld.model.io.StateDictUnpickler.StorageRef;
import dev.icld.model.io.StateDictUnpickler.TensorRef;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads state dicts saved by {@code torch.save} (torch 1.6 and later): a zip archive whose
 * {@code <top>/data.pkl} pickles the dict and whose {@code <top>/data/<key>} records hold the raw
 * storages. The pickle is interpreted by {@link StateDictUnpickler}, which refuses anything but a
 * state dict; only records of the archive itself are ever read.
 */
public final class TorchCheckpoint {
  private static final int MAX_PICKLE_BYTES = 256 << 20;
  private static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;
  private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

  private TorchCheckpoint() {}

  /** Every tensor of the state dict, in the pickle's order, values widened to float32. */
  public static Map<String, TensorData> read(Path file) throws IOException {
    checkIsZip(file);
    try (ZipFile zip = new ZipFile(file.toFile())) {
      ZipEntry pickleRecord = findPickle(file, zip);
      String pickleName = pickleRecord.getName();
      String prefix = pickleName.substring(0, pickleName.length() - "data.pkl".length());
      ByteOrder order = byteOrder(file, zip, prefix);
      byte[] pickle = readRecord(file, zip, pickleRecord, MAX_PICKLE_BYTES);
      Map<String, TensorRef> refs = StateDictUnpickler.unpickle(file, pickleName, pickle);
      return materialise(file, zip, prefix, order, refs);
    } catch (CheckpointFormatException e) {
      throw e;
    } catch (IOException e) {
      // ZipFile reports a damaged archive with ZipExceptions, and some damage with a bare
      // EOFException that has no message at all.
      throw new CheckpointFormatException(
          file, "not a readable zip archive (truncated or corrupt): " + describe(e), e);
    }
  }

  private static void checkIsZip(Path file) throws IOException {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(4);
    }
    if (Arrays.equals(head, ZIP_MAGIC)) {
      return;
    }
    if (head.length > 0 && (head[0] & 0xff) == 0x80) {
      throw new CheckpointFormatException(
          file,
          "legacy torch.save format (a bare pickle, written before torch 1.6 or with"
              + " _use_new_zipfile_serialization=False) is not supported; re-save it with"
              + " torch>=1.6: torch.save(torch.load(f), f)");
    }
    throw new CheckpointFormatException(file, "not a torch.save zip archive");
  }

  /** torch names the top folder after the file (or "archive"), so find data.pkl by suffix. */
  private static ZipEntry findPickle(Path file, ZipFile zip) throws IOException {
    List<? extends ZipEntry> entries;
    try {
      entries = zip.stream().toList();
    } catch (IllegalArgumentException e) {
      throw new CheckpointFormatException(
          file, "zip archive has a record name that is not valid UTF-8 (corrupt archive)");
    }
    List<ZipEntry> candidates = new ArrayList<>();
    for (ZipEntry e : entries) {
      String name = e.getName();
      int slash = name.indexOf('/');
      if (name.endsWith("/data.pkl") && slash == name.length() - "/data.pkl".length()) {
        candidates.add(e);
      }
    }
    if (candidates.size() != 1) {
      throw new CheckpointFormatException(
          file,
          candidates.isEmpty()
              ? "zip archive has no <top>/data.pkl record: not a torch.save checkpoint"
              : "zip archive has several data.pkl records: " + candidates);
    }
    return candidates.get(0);
  }

  /** torch 2 records the byte order; older archives are always little-endian. */
  private static ByteOrder byteOrder(Path file, ZipFile zip, String prefix) throws IOException {
    ZipEntry record = zip.getEntry(prefix + "byteorder");
    if (record == null) {
      return ByteOrder.LITTLE_ENDIAN;
    }
    String order = new String(readRecord(file, zip, record, 16), StandardCharsets.US_ASCII).strip();
    return switch (order) {
      case "little" -> ByteOrder.LITTLE_ENDIAN;
      case "big" -> ByteOrder.BIG_ENDIAN;
      default -> throw new CheckpointFormatException(
          file, record.getName() + " says '" + order + "', not 'little' or 'big'");
    };
  }

  private static Map<String, TensorData> materialise(
      Path file, ZipFile zip, String prefix, ByteOrder order, Map<String, TensorRef> refs)
      throws IOException {
    Map<String, Integer> remainingUses = new HashMap<>();
    for (TensorRef ref : refs.values()) {
      remainingUses.merge(ref.storage().key(), 1, Integer::sum);
    }
    Map<String, float[]> decoded = new HashMap<>();
    Map<String, TensorData> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
      TensorRef ref = e.getValue();
      StorageRef storage = ref.storage();
      float[] values = decoded.get(storage.key());
      if (values == null) {
        values = readStorage(file, zip, prefix, order, storage, e.getKey());
        decoded.put(storage.key(), values);
      }
      boolean lastUse = remainingUses.merge(storage.key(), -1, Integer::sum) == 0;
      if (lastUse) {
        decoded.remove(storage.key()); // keep at most the storages still to be viewed in memory
      }
      float[] tensorValues;
      try {
        tensorValues = StridedView.gather(values, ref.offset(), ref.size(), ref.stride(), lastUse);
      } catch (IllegalArgumentException ex) {
        throw new CheckpointFormatException(
            file, "tensor '" + e.getKey() + "': " + ex.getMessage());
      }
      String dtype = storage.dtype().name();
      tensors.put(e.getKey(), new TensorData(dtype, ref.size().clone(), tensorValues));
    }
    return tensors;
  }

  private static float[] readStorage(
      Path file, ZipFile zip, String prefix, ByteOrder order, StorageRef storage, String tensor)
      throws IOException {
    String name = prefix + "data/" + storage.key();
    ZipEntry record = zip.getEntry(name);
    if (record == null) {
      throw new CheckpointFormatException(
          file, "tensor '" + tensor + "': storage record " + name + " is missing from the archive");
    }
    if (storage.numel() > MAX_ARRAY_LENGTH) {
      throw new CheckpointFormatException(
          file,
          "tensor '" + tensor + "': storage of " + storage.numel() + " elements is too large");
    }
    long expectedBytes = storage.numel() * storage.dtype().byteSize();
    if (record.getSize() != expectedBytes) {
      throw new CheckpointFormatException(
          file,
          "tensor '" + tensor + "': storage record " + name + " holds " + record.getSize()
              + " bytes, but " + storage.numel() + " " + storage.dtype() + " elements need "
              + expectedBytes);
    }
    ByteBuffer bytes =
        ByteBuffer.wrap(readRecord(file, zip, record, MAX_ARRAY_LENGTH)).order(order);
    try {
      return storage.dtype().decode(bytes, (int) storage.numel());
    } catch (IllegalArgumentException ex) {
      throw new CheckpointFormatException(file, "tensor '" + tensor + "': " + ex.getMessage());
    }
  }

  private static byte[] readRecord(Path file, ZipFile zip, ZipEntry record, int maxBytes)
      throws IOException {
    long size = record.getSize();
    if (size < 0 || size > maxBytes) {
      throw new CheckpointFormatException(
          file, "archive record " + record.getName() + " has an implausible size " + size);
    }
    byte[] bytes;
    try (InputStream in = zip.getInputStream(record)) {
      bytes = in.readNBytes((int) size);
    } catch (IOException e) {
      throw new CheckpointFormatException(
          file, "archive record " + record.getName() + " cannot be read: " + describe(e), e);
    }
    if (bytes.length != size) {
      throw new CheckpointFormatException(
          file, "archive record " + record.getName() + " is truncated");
    }
    return bytes;
  }

  private static String describe(IOException e) {
    if (e instanceof EOFException) {
      return "unexpected end of file (truncated)";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
