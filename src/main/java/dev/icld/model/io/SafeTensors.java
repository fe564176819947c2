package dev.icld.model.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.icld.files.AtomicFiles;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header
 * mapping each tensor name to its dtype, shape and byte range, then the raw little-endian data.
 *
 * <p>Our own parser, because DJL's decoder aborts the JVM on BF16. Reading validates everything
 * Hugging Face's library validates (header size, byte ranges contiguous and in range, sizes
 * consistent with shapes) and maps each tensor's bytes from the file rather than loading it whole.
 * Writing produces the byte layout that library produces, so its readers load our files unchanged.
 */
public final class SafeTensors {
  /** The same limit Hugging Face's reader applies, so a bogus length fails fast. */
  static final long MAX_HEADER_BYTES = 100_000_000L;

  private static final String METADATA_KEY = "__metadata__";
  private static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;
  private static final int WRITE_CHUNK_BYTES = 1 << 20;

  private SafeTensors() {}

  private record Entry(String name, DType dtype, long[] shape, int count, long begin, long end) {}

  /** Every tensor of the file, in the order of their data, values widened to float32. */
  public static Map<String, TensorData> read(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long fileSize = channel.size();
      if (fileSize < 8) {
        throw new CheckpointFormatException(
            file, "file is " + fileSize + " bytes, too short for a safetensors header");
      }
      long headerLength = readBytes(channel, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
      if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || headerLength > fileSize - 8) {
        throw new CheckpointFormatException(
            file,
            "safetensors header length "
                + Long.toUnsignedString(headerLength)
                + " is impossible in a file of "
                + fileSize
                + " bytes (truncated, or not a safetensors file)");
      }
      String header = decodeUtf8(file, readBytes(channel, 8, (int) headerLength));
      long dataStart = 8 + headerLength;
      List<Entry> entries = parseHeader(file, header);
      checkLayout(file, entries, fileSize - dataStart);

      Map<String, TensorData> tensors = new LinkedHashMap<>();
      for (Entry e : entries) {
        ByteBuffer bytes =
            channel
                .map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin, e.end - e.begin)
                .order(ByteOrder.LITTLE_ENDIAN);
        float[] values;
        try {
          values = e.dtype.decode(bytes, e.count);
        } catch (IllegalArgumentException ex) {
          throw new CheckpointFormatException(file, "tensor '" + e.name + "': " + ex.getMessage());
        }
        tensors.put(e.name, new TensorData(e.dtype.name(), e.shape, values));
      }
      return tensors;
    }
  }

  /**
   * Writes the tensors atomically, each in its own dtype (F32, F16, BF16 or F64), with the header
   * metadata {"format":"pt"} that Hugging Face transformers expects of PyTorch weights.
   */
  public static void write(Path file, Map<String, TensorData> tensors) throws IOException {
    List<Map.Entry<String, TensorData>> ordered = new ArrayList<>(tensors.entrySet());
    for (Map.Entry<String, TensorData> t : ordered) {
      DType dtype = DType.fromName(t.getValue().dtype());
      if (t.getKey().isEmpty() || t.getKey().equals(METADATA_KEY)) {
        throw new IllegalArgumentException("cannot write a tensor named '" + t.getKey() + "'");
      }
      if (dtype == null || !dtype.isFloating()) {
        throw new IllegalArgumentException(
            "cannot write tensor '" + t.getKey() + "' of dtype " + t.getValue().dtype()
                + "; convert it to F32, F16 or BF16");
      }
    }
    // Hugging Face's writer orders by dtype, widest first, then by the name's UTF-8 bytes.
    ordered.sort(
        Comparator.<Map.Entry<String, TensorData>>comparingInt(
                t -> DType.fromName(t.getValue().dtype()).ordinal())
            .thenComparing(
                t -> t.getKey().getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned));

    byte[] header = headerBytes(ordered);
    AtomicFiles.write(file, stream -> {
      WritableByteChannel out = Channels.newChannel(stream);
      ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      length.putLong(header.length).flip();
      writeFully(out, length);
      writeFully(out, ByteBuffer.wrap(header));
      ByteBuffer chunk = ByteBuffer.allocate(WRITE_CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      for (Map.Entry<String, TensorData> t : ordered) {
        DType dtype = DType.fromName(t.getValue().dtype());
        float[] values = t.getValue().values();
        int perChunk = WRITE_CHUNK_BYTES / dtype.byteSize();
        for (int from = 0; from < values.length; from += perChunk) {
          chunk.clear();
          dtype.encode(values, from, Math.min(perChunk, values.length - from), chunk);
          chunk.flip();
          writeFully(out, chunk);
        }
      }
    });
  }

  private static byte[] headerBytes(List<Map.Entry<String, TensorData>> ordered) {
    StringBuilder json = new StringBuilder("{\"" + METADATA_KEY + "\":{\"format\":\"pt\"}");
    long offset = 0;
    for (Map.Entry<String, TensorData> t : ordered) {
      DType dtype = DType.fromName(t.getValue().dtype());
      long end = offset + (long) t.getValue().values().length * dtype.byteSize();
      json.append(',');
      appendJsonString(json, t.getKey());
      json.append(":{\"dtype\":\"").append(dtype.name()).append("\",\"shape\":[");
      long[] shape = t.getValue().shape();
      for (int i = 0; i < shape.length; i++) {
        json.append(i == 0 ? "" : ",").append(shape[i]);
      }
      json.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
      offset = end;
    }
    json.append('}');
    byte[] utf8 = json.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (utf8.length + 7) / 8 * 8;
    byte[] header = Arrays.copyOf(utf8, padded);
    Arrays.fill(header, utf8.length, padded, (byte) ' ');
    return header;
  }

  /** JSON string escaping as serde_json does it: quote, backslash and control characters only. */
  private static void appendJsonString(StringBuilder json, String s) {
    json.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        case '\b' -> json.append("\\b");
        case '\f' -> json.append("\\f");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }

  private static List<Entry> parseHeader(Path file, String header) throws IOException {
    JsonObject root;
    try {
      JsonReader reader = new JsonReader(new StringReader(header));
      reader.setStrictness(Strictness.STRICT);
      JsonElement parsed = JsonParser.parseReader(reader);
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw new JsonParseException("text after the header object");
      }
      if (!parsed.isJsonObject()) {
        throw new JsonParseException("the header is not a JSON object");
      }
      root = parsed.getAsJsonObject();
    } catch (JsonParseException | IOException | IllegalStateException e) {
      throw new CheckpointFormatException(
          file, "safetensors header is not valid JSON: " + e.getMessage());
    }
    List<Entry> entries = new ArrayList<>();
    for (Map.Entry<String, JsonElement> field : root.entrySet()) {
      if (field.getKey().equals(METADATA_KEY)) {
        checkMetadata(file, field.getValue());
      } else {
        entries.add(parseEntry(file, field.getKey(), field.getValue()));
      }
    }
    return entries;
  }

  private static void checkMetadata(Path file, JsonElement metadata) throws IOException {
    boolean stringsOnly = metadata.isJsonObject();
    if (stringsOnly) {
      for (Map.Entry<String, JsonElement> m : metadata.getAsJsonObject().entrySet()) {
        JsonElement value = m.getValue();
        stringsOnly &= value.isJsonPrimitive() && value.getAsJsonPrimitive().isString();
      }
    }
    if (!stringsOnly) {
      throw new CheckpointFormatException(
          file, "safetensors " + METADATA_KEY + " must map names to strings, got " + metadata);
    }
  }

  private static Entry parseEntry(Path file, String name, JsonElement element) throws IOException {
    String where = "tensor '" + name + "': ";
    if (!element.isJsonObject()) {
      throw new CheckpointFormatException(file, where + "header entry is not an object");
    }
    JsonObject info = element.getAsJsonObject();
    JsonElement dtypeField = info.get("dtype");
    if (dtypeField == null
        || !dtypeField.isJsonPrimitive()
        || !dtypeField.getAsJsonPrimitive().isString()) {
      throw new CheckpointFormatException(file, where + "has no dtype string");
    }
    DType dtype = DType.fromName(dtypeField.getAsString());
    if (dtype == null) {
      throw new CheckpointFormatException(
          file,
          where + "unsupported dtype " + dtypeField.getAsString()
              + " (supported: " + Arrays.toString(DType.values()) + ")");
    }
    long[] shape = naturalNumbers(file, where, info, "shape", -1);
    long[] offsets = naturalNumbers(file, where, info, "data_offsets", 2);
    long count = 1;
    for (long d : shape) {
      try {
        count = Math.multiplyExact(count, d);
      } catch (ArithmeticException overflow) {
        count = Long.MAX_VALUE;
      }
    }
    if (count > MAX_ARRAY_LENGTH) {
      throw new CheckpointFormatException(
          file, where + "shape " + Arrays.toString(shape) + " has too many elements to load");
    }
    long begin = offsets[0];
    long end = offsets[1];
    if (end < begin || end - begin != count * dtype.byteSize()) {
      throw new CheckpointFormatException(
          file,
          where + "data_offsets [" + begin + ", " + end + "] hold " + (end - begin)
              + " bytes, but " + dtype + " shape " + Arrays.toString(shape) + " needs "
              + count * dtype.byteSize());
    }
    return new Entry(name, dtype, shape, (int) count, begin, end);
  }

  private static long[] naturalNumbers(
      Path file, String where, JsonObject info, String field, int requiredLength)
      throws IOException {
    JsonElement value = info.get(field);
    String problem = where + "'" + field + "' must be a list of non-negative integers";
    if (value == null || !value.isJsonArray()) {
      throw new CheckpointFormatException(file, problem);
    }
    JsonArray array = value.getAsJsonArray();
    if (requiredLength >= 0 && array.size() != requiredLength) {
      throw new CheckpointFormatException(file, problem + " of length " + requiredLength);
    }
    long[] numbers = new long[array.size()];
    for (int i = 0; i < numbers.length; i++) {
      JsonElement n = array.get(i);
      try {
        JsonPrimitive p = n.getAsJsonPrimitive();
        if (!p.isNumber()) {
          throw new CheckpointFormatException(file, problem + ", got " + value);
        }
        numbers[i] = p.getAsBigDecimal().longValueExact();
      } catch (ArithmeticException | IllegalStateException | NumberFormatException e) {
        throw new CheckpointFormatException(file, problem + ", got " + value);
      }
      if (numbers[i] < 0) {
        throw new CheckpointFormatException(file, problem + ", got " + value);
      }
    }
    return numbers;
  }

  /**
   * The tensors' byte ranges must tile the data section exactly, as Hugging Face's reader demands:
   * no gaps, no overlaps (a crafted overlap would alias tensors), nothing missing or left over.
   */
  private static void checkLayout(Path file, List<Entry> entries, long dataLength)
      throws IOException {
    entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    long expected = 0;
    String previous = null;
    for (Entry e : entries) {
      if (e.begin != expected) {
        throw new CheckpointFormatException(
            file,
            "tensor '" + e.name + "' starts at data byte " + e.begin + " but "
                + (previous == null ? "data starts at byte 0" : "tensor '" + previous
                    + "' ends at byte " + expected)
                + (e.begin < expected ? " (overlapping tensors)" : " (gap between tensors)"));
      }
      expected = e.end;
      previous = e.name;
    }
    if (expected != dataLength) {
      throw new CheckpointFormatException(
          file,
          "the header describes " + expected + " bytes of tensor data but the file holds "
              + dataLength + (expected > dataLength ? " (truncated file)" : " (trailing bytes)"));
    }
  }

  private static String decodeUtf8(Path file, ByteBuffer bytes) throws IOException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes)
          .toString();
    } catch (CharacterCodingException e) {
      throw new CheckpointFormatException(file, "safetensors header is not UTF-8 text");
    }
  }

  private static ByteBuffer readBytes(FileChannel channel, long position, int length)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new IOException("unexpected end of file at byte " + (position + buffer.position()));
      }
    }
    return buffer.flip();
  }

  private static void writeFully(WritableByteChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }
}
