package dev.icld.model.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A pickle interpreter that understands exactly what torch.save writes for a state dict, and
 * nothing else.
 *
 * <p>Python's unpickler imports any module and calls any callable a pickle names, so a crafted
 * checkpoint can run arbitrary code. This interpreter never imports, calls or instantiates
 * anything: it builds plain values (strings, numbers, tuples, lists, dicts) and recognises a fixed
 * allow-list of globals by name, producing {@link TensorRef} descriptions instead of tensors. Any
 * other global, and any opcode outside the small set torch.save emits, is refused on the spot,
 * before later opcodes are even looked at. It reads no files: storages stay symbolic keys that the
 * caller resolves inside the checkpoint's own archive.
 */
final class StateDictUnpickler {
  /** A storage named by a persistent id: the archive record {@code data/key} of numel elements. */
  record StorageRef(String key, DType dtype, long numel) {}

  /** A tensor as torch._utils._rebuild_tensor_v2 describes it: a strided view of a storage. */
  record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {}

  private record Global(String qualifiedName) {}

  private record Tuple(List<Object> items) {}

  private enum None {
    NONE
  }

  private static final String ORDERED_DICT = "collections.OrderedDict";
  private static final String REBUILD_TENSOR = "torch._utils._rebuild_tensor_v2";
  private static final String REBUILD_PARAMETER = "torch._utils._rebuild_parameter";
  private static final Set<String> CALLABLES =
      Set.of(ORDERED_DICT, REBUILD_TENSOR, REBUILD_PARAMETER);
  private static final Map<String, DType> STORAGE_TYPES =
      Map.of(
          "torch.FloatStorage", DType.F32,
          "torch.HalfStorage", DType.F16,
          "torch.BFloat16Storage", DType.BF16,
          "torch.DoubleStorage", DType.F64,
          "torch.LongStorage", DType.I64,
          "torch.IntStorage", DType.I32,
          "torch.ShortStorage", DType.I16,
          "torch.CharStorage", DType.I8,
          "torch.ByteStorage", DType.U8,
          "torch.BoolStorage", DType.BOOL);
  /** torch names storages 0, 1, 2...; anything path-like is refused outright. */
  private static final Pattern STORAGE_KEY = Pattern.compile("[A-Za-z0-9_]{1,64}");

  private static final int MAX_GLOBAL_NAME_BYTES = 256;

  private final Path file;
  private final String record;
  private final ByteBuffer in;
  private final List<Object> stack = new ArrayList<>();
  private final List<Integer> marks = new ArrayList<>();
  private final Map<Long, Object> memo = new HashMap<>();
  private final Map<String, StorageRef> storages = new HashMap<>();
  private int opcodeStart;

  private StateDictUnpickler(Path file, String record, byte[] pickle) {
    this.file = file;
    this.record = record;
    this.in = ByteBuffer.wrap(pickle).order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Interprets the pickle of a state dict.
   *
   * @param file the checkpoint, for error messages
   * @param record the archive record holding the pickle, for error messages
   * @return tensor descriptions by name, in the pickle's order
   * @throws CheckpointFormatException if the pickle is malformed, uses anything a state dict does
   *     not, or is not a mapping of names to tensors
   */
  static Map<String, TensorRef> unpickle(Path file, String record, byte[] pickle)
      throws CheckpointFormatException {
    return new StateDictUnpickler(file, record, pickle).run();
  }

  private Map<String, TensorRef> run() throws CheckpointFormatException {
    while (true) {
      if (!in.hasRemaining()) {
        throw error("pickle ends without a STOP opcode (truncated)");
      }
      opcodeStart = in.position();
      int opcode = in.get() & 0xff;
      if (opcode == '.') {
        return stateDict(pop());
      }
      execute(opcode);
    }
  }

  private void execute(int opcode) throws CheckpointFormatException {
    switch (opcode) {
      case 0x80 -> { // PROTO
        int protocol = readUnsignedByte();
        if (protocol > 5) {
          throw error("pickle protocol " + protocol + " is not supported");
        }
      }
      case 0x95 -> readLong8(); // FRAME: a framing hint, the bytes follow inline
      case '(' -> marks.add(stack.size()); // MARK
      case '}' -> push(new LinkedHashMap<Object, Object>()); // EMPTY_DICT
      case ']' -> push(new ArrayList<Object>()); // EMPTY_LIST
      case ')' -> push(new Tuple(List.of())); // EMPTY_TUPLE
      case 't' -> push(new Tuple(popToMark())); // TUPLE
      case 0x85 -> push(tupleOf(1)); // TUPLE1
      case 0x86 -> push(tupleOf(2)); // TUPLE2
      case 0x87 -> push(tupleOf(3)); // TUPLE3
      case 'N' -> push(None.NONE);
      case 0x88 -> push(Boolean.TRUE); // NEWTRUE
      case 0x89 -> push(Boolean.FALSE); // NEWFALSE
      case 'K' -> push((long) readUnsignedByte()); // BININT1
      case 'M' -> push((long) (readBytes(2).getShort() & 0xffff)); // BININT2
      case 'J' -> push((long) readBytes(4).getInt()); // BININT
      case 0x8a -> push(readLong1()); // LONG1
      case 'G' -> push(readBytes(8).order(ByteOrder.BIG_ENDIAN).getDouble()); // BINFLOAT
      case 'X' -> push(readUtf8(readBytes(4).getInt() & 0xffffffffL)); // BINUNICODE
      case 0x8c -> push(readUtf8(readUnsignedByte())); // SHORT_BINUNICODE
      case 0x8d -> push(readUtf8(readLong8())); // BINUNICODE8
      case 'q' -> memo.put((long) readUnsignedByte(), peek()); // BINPUT
      case 'r' -> memo.put(readBytes(4).getInt() & 0xffffffffL, peek()); // LONG_BINPUT
      case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
      case 'h' -> push(memoized(readUnsignedByte())); // BINGET
      case 'j' -> push(memoized(readBytes(4).getInt() & 0xffffffffL)); // LONG_BINGET
      case 's' -> { // SETITEM
        Object value = pop();
        Object key = pop();
        dictOnTop().put(checkedKey(key), value);
      }
      case 'u' -> { // SETITEMS
        List<Object> items = popToMark();
        if (items.size() % 2 != 0) {
          throw error("SETITEMS with an odd number of items");
        }
        Map<Object, Object> dict = dictOnTop();
        for (int i = 0; i < items.size(); i += 2) {
          dict.put(checkedKey(items.get(i)), items.get(i + 1));
        }
      }
      case 'a' -> { // APPEND
        Object item = pop();
        listOnTop().add(item);
      }
      case 'e' -> { // APPENDS
        List<Object> items = popToMark();
        listOnTop().addAll(items);
      }
      case 'c' -> push(allowedGlobal(readLine() + "." + readLine())); // GLOBAL
      case 0x93 -> { // STACK_GLOBAL
        Object name = pop();
        Object module = pop();
        if (!(module instanceof String) || !(name instanceof String)) {
          throw error("STACK_GLOBAL needs two strings");
        }
        push(allowedGlobal(module + "." + name));
      }
      case 'Q' -> push(persistentStorage(pop())); // BINPERSID
      case 'R' -> { // REDUCE
        Object arguments = pop();
        Object callable = pop();
        push(call(callable, arguments));
      }
      case 'b' -> { // BUILD
        Object state = pop();
        // torch state dicts carry a _metadata attribute (module versions) set this way; it is
        // irrelevant to the weights, so the state is dropped rather than applied to anything.
        if (!(peek() instanceof Map) || !(state instanceof Map)) {
          throw error("BUILD on " + describe(peek()) + " is not part of a state dict");
        }
      }
      default -> throw error(
          "unsupported pickle opcode " + PickleOpcodes.describe(opcode)
              + ": a torch state dict never uses it, so the file is refused");
    }
  }

  private Object allowedGlobal(String qualifiedName) throws CheckpointFormatException {
    if (!CALLABLES.contains(qualifiedName) && !STORAGE_TYPES.containsKey(qualifiedName)) {
      throw error(
          "refusing pickle global '" + qualifiedName + "': only the globals of a torch state dict"
              + " (collections.OrderedDict, torch._utils._rebuild_tensor_v2,"
              + " torch._utils._rebuild_parameter, torch.*Storage) are allowed");
    }
    return new Global(qualifiedName);
  }

  private Object call(Object callable, Object arguments) throws CheckpointFormatException {
    if (!(callable instanceof Global global) || !CALLABLES.contains(global.qualifiedName())) {
      throw error("REDUCE may not call " + describe(callable));
    }
    if (!(arguments instanceof Tuple tuple)) {
      throw error("REDUCE arguments for " + global.qualifiedName() + " are not a tuple");
    }
    List<Object> args = tuple.items();
    return switch (global.qualifiedName()) {
      case ORDERED_DICT -> {
        if (!args.isEmpty()) {
          throw error("collections.OrderedDict called with arguments");
        }
        yield new LinkedHashMap<Object, Object>();
      }
      case REBUILD_TENSOR -> rebuildTensor(args);
      case REBUILD_PARAMETER -> {
        // (data, requires_grad, backward_hooks): the parameter is its data tensor.
        if (args.size() != 3 || !(args.get(0) instanceof TensorRef tensor)) {
          throw error(REBUILD_PARAMETER + " expects (tensor, requires_grad, hooks), got "
              + describeItems(args));
        }
        yield tensor;
      }
      default -> throw new AssertionError(global);
    };
  }

  /** (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]). */
  private TensorRef rebuildTensor(List<Object> args) throws CheckpointFormatException {
    if (args.size() < 6
        || args.size() > 7
        || !(args.get(0) instanceof StorageRef storage)
        || !(args.get(1) instanceof Long offset)
        || !(args.get(2) instanceof Tuple size)
        || !(args.get(3) instanceof Tuple stride)
        || !(args.get(4) instanceof Boolean)) {
      throw error(REBUILD_TENSOR + " called with unexpected arguments " + describeItems(args));
    }
    if (!(args.get(5) instanceof Map<?, ?> hooks) || !hooks.isEmpty()) {
      throw error(REBUILD_TENSOR + ": backward hooks are not part of a state dict");
    }
    return new TensorRef(storage, offset, longs(size, "size"), longs(stride, "stride"));
  }

  private long[] longs(Tuple tuple, String what) throws CheckpointFormatException {
    long[] out = new long[tuple.items().size()];
    for (int i = 0; i < out.length; i++) {
      if (!(tuple.items().get(i) instanceof Long value) || value < 0) {
        throw error("tensor " + what + " holds " + describe(tuple.items().get(i))
            + ", not a natural number");
      }
      out[i] = value;
    }
    return out;
  }

  /** ('storage', storage_type, key, location, numel), as torch.save's persistent_id writes it. */
  private StorageRef persistentStorage(Object id) throws CheckpointFormatException {
    if (!(id instanceof Tuple tuple)
        || tuple.items().size() != 5
        || !"storage".equals(tuple.items().get(0))
        || !(tuple.items().get(1) instanceof Global type)
        || !(tuple.items().get(2) instanceof String key)
        || !(tuple.items().get(3) instanceof String)
        || !(tuple.items().get(4) instanceof Long numel)
        || numel < 0) {
      throw error("persistent id " + describe(id) + " is not a torch storage reference");
    }
    DType dtype = STORAGE_TYPES.get(type.qualifiedName());
    if (dtype == null) {
      throw error("persistent id names " + type.qualifiedName() + ", which is not a storage type");
    }
    if (!STORAGE_KEY.matcher(key).matches()) {
      throw error("storage key '" + key + "' is not a plain record name; refusing it");
    }
    StorageRef ref = new StorageRef(key, dtype, numel);
    StorageRef earlier = storages.putIfAbsent(key, ref);
    if (earlier != null && !earlier.equals(ref)) {
      throw error("storage '" + key + "' is referenced as both " + earlier + " and " + ref);
    }
    return earlier != null ? earlier : ref;
  }

  /** State dicts are keyed by names (and _metadata by versions); nothing else may be a key. */
  private Object checkedKey(Object key) throws CheckpointFormatException {
    if (!(key instanceof String) && !(key instanceof Long) && !(key instanceof Boolean)) {
      throw error("dict key " + describe(key) + " is not a string or an integer");
    }
    return key;
  }

  private Map<String, TensorRef> stateDict(Object result) throws CheckpointFormatException {
    if (!(result instanceof Map<?, ?> map)) {
      throw error("the pickle holds " + describe(result) + ", not a state dict");
    }
    Map<String, TensorRef> tensors = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getKey() instanceof String name) || !(e.getValue() instanceof TensorRef tensor)) {
        throw error(
            "not a flat state dict: entry " + describe(e.getKey()) + " holds "
                + describe(e.getValue()) + " rather than a tensor");
      }
      tensors.put(name, tensor);
    }
    if (in.hasRemaining()) {
      throw error((in.remaining()) + " bytes follow the STOP opcode");
    }
    return tensors;
  }

  private Tuple tupleOf(int n) throws CheckpointFormatException {
    if (stack.size() - currentMarkFloor() < n) {
      throw error("stack underflow");
    }
    List<Object> top = stack.subList(stack.size() - n, stack.size());
    Tuple tuple = new Tuple(List.copyOf(top));
    top.clear();
    return tuple;
  }

  private List<Object> popToMark() throws CheckpointFormatException {
    if (marks.isEmpty()) {
      throw error("opcode needs a MARK but there is none");
    }
    int mark = marks.remove(marks.size() - 1);
    List<Object> top = stack.subList(mark, stack.size());
    List<Object> items = new ArrayList<>(top);
    top.clear();
    return items;
  }

  private int currentMarkFloor() {
    return marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
  }

  private void push(Object value) {
    stack.add(value);
  }

  private Object pop() throws CheckpointFormatException {
    if (stack.size() <= currentMarkFloor()) {
      throw error("stack underflow");
    }
    return stack.remove(stack.size() - 1);
  }

  private Object peek() throws CheckpointFormatException {
    if (stack.size() <= currentMarkFloor()) {
      throw error("stack underflow");
    }
    return stack.get(stack.size() - 1);
  }

  @SuppressWarnings("unchecked")
  private Map<Object, Object> dictOnTop() throws CheckpointFormatException {
    Object top = peek();
    if (!(top instanceof Map)) {
      throw error("setting items on " + describe(top) + ", which is not a dict");
    }
    return (Map<Object, Object>) top;
  }

  @SuppressWarnings("unchecked")
  private List<Object> listOnTop() throws CheckpointFormatException {
    Object top = peek();
    if (!(top instanceof ArrayList)) {
      throw error("appending to " + describe(top) + ", which is not a list");
    }
    return (List<Object>) top;
  }

  private Object memoized(long index) throws CheckpointFormatException {
    Object value = memo.get(index);
    if (value == null) {
      throw error("memo entry " + index + " is read before it is written");
    }
    return value;
  }

  private int readUnsignedByte() throws CheckpointFormatException {
    return readBytes(1).get() & 0xff;
  }

  private long readLong8() throws CheckpointFormatException {
    long value = readBytes(8).getLong();
    if (value < 0) {
      throw error("length " + Long.toUnsignedString(value) + " is impossible");
    }
    return value;
  }

  /** LONG1: a little-endian two's complement integer of n bytes; we keep those that fit a long. */
  private long readLong1() throws CheckpointFormatException {
    int n = readUnsignedByte();
    if (n > 8) {
      throw error("integer of " + n + " bytes is too large for a state dict");
    }
    ByteBuffer bytes = readBytes(n);
    long value = 0;
    for (int i = 0; i < n; i++) {
      value |= (bytes.get(i) & 0xffL) << (8 * i);
    }
    if (n > 0 && n < 8 && (bytes.get(n - 1) & 0x80) != 0) {
      value |= -1L << (8 * n); // sign-extend
    }
    return value;
  }

  private String readUtf8(long length) throws CheckpointFormatException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(readBytes(length))
          .toString();
    } catch (CharacterCodingException e) {
      throw error("string is not valid UTF-8");
    }
  }

  /** A newline-terminated ASCII name, as GLOBAL writes module and attribute names. */
  private String readLine() throws CheckpointFormatException {
    StringBuilder line = new StringBuilder();
    while (true) {
      int b = readUnsignedByte();
      if (b == '\n') {
        return line.toString();
      }
      if (b < 0x20 || b > 0x7e || line.length() >= MAX_GLOBAL_NAME_BYTES) {
        throw error("GLOBAL name is not a short printable ASCII line");
      }
      line.append((char) b);
    }
  }

  private ByteBuffer readBytes(long length) throws CheckpointFormatException {
    if (length > in.remaining()) {
      throw error("pickle ends in the middle of an opcode's data (truncated)");
    }
    ByteBuffer slice = in.slice(in.position(), (int) length).order(ByteOrder.LITTLE_ENDIAN);
    in.position(in.position() + (int) length);
    return slice;
  }

  /** One level deep, so that a self-referencing structure cannot blow up an error message. */
  private static String describeItems(List<Object> items) {
    StringBuilder text = new StringBuilder("(");
    for (Object item : items) {
      text.append(text.length() > 1 ? ", " : "").append(describe(item));
    }
    return text.append(')').toString();
  }

  private static String describe(Object value) {
    if (value instanceof Global g) {
      return "global " + g.qualifiedName();
    }
    if (value instanceof String s) {
      return "'" + s + "'";
    }
    if (value instanceof Map) {
      return "a dict";
    }
    if (value instanceof List<?> l) {
      return "a list of " + l.size();
    }
    if (value instanceof Tuple t) {
      return "a tuple of " + t.items().size();
    }
    if (value instanceof StorageRef) {
      return "a storage";
    }
    if (value instanceof TensorRef) {
      return "a tensor";
    }
    return String.valueOf(value);
  }

  private CheckpointFormatException error(String problem) {
    return new CheckpointFormatException(
        file, record + ", byte " + opcodeStart + ": " + problem);
  }
}
