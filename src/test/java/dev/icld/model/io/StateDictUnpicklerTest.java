package dev.icld.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.icld.model.io.StateDictUnpickler.TensorRef;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Opcodes that the small torch fixtures do not exercise, on hand-assembled pickles. */
class StateDictUnpicklerTest {
  private static final Path FILE = Path.of("model.bin");

  /** Hand assembly of pickle opcodes. */
  private static final class Pickle {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    Pickle op(int... opcodes) {
      for (int b : opcodes) {
        bytes.write(b);
      }
      return this;
    }

    Pickle global(String module, String name) {
      return op('c').raw((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    Pickle string(String s) {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      return op('X').raw(le(4).putInt(utf8.length).array()).raw(utf8);
    }

    Pickle binint(int v) {
      return op('J').raw(le(4).putInt(v).array());
    }

    Pickle binint2(int v) {
      return op('M').raw(le(2).putShort((short) v).array());
    }

    Pickle long1(byte... littleEndian) {
      return op(0x8a, littleEndian.length).raw(littleEndian);
    }

    Pickle binfloat(double v) {
      return op('G').raw(ByteBuffer.allocate(8).putDouble(v).array());
    }

    Pickle longBinput(int index) {
      return op('r').raw(le(4).putInt(index).array());
    }

    Pickle longBinget(int index) {
      return op('j').raw(le(4).putInt(index).array());
    }

    /** ('storage', torch.FloatStorage, key, 'cpu', numel) as a persistent id. */
    Pickle storage(String key, Runnable numel) {
      op('(').string("storage").global("torch", "FloatStorage").string(key).string("cpu");
      numel.run();
      return op('t', 'Q');
    }

    Pickle raw(byte[] data) {
      bytes.writeBytes(data);
      return this;
    }

    byte[] bytes() {
      return bytes.toByteArray();
    }

    private static ByteBuffer le(int n) {
      return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }
  }

  @Test
  void readsWideIntegersFloatsListsAndMemoOfAStateDict() throws CheckpointFormatException {
    Pickle p = new Pickle();
    p.op(0x80, 2).op('}').op('(').string("weight");
    p.global("torch._utils", "_rebuild_tensor_v2").op('(');
    p.storage("0", () -> p.long1((byte) 0x00, (byte) 0x01)); // 256 elements
    p.long1((byte) 0xff, (byte) 0x00); // offset 255: a LONG1 whose sign byte keeps it positive
    p.op('K', 1).op(0x85); // size (1,)
    p.binint2(300).op(0x85); // stride (300,)
    p.op(0x88).op('}').op('t', 'R').longBinput(70000); // requires_grad True, no hooks
    p.op('u');
    p.string("tied").longBinget(70000).op('s'); // a second name for the same tensor
    // A _metadata-like state using the remaining value opcodes; BUILD drops it.
    p.op('}').string("_metadata").op(']').op('(').op('N').binfloat(0.5).binint(-7);
    p.long1((byte) 0xfe).op('e').op(0x89).op('a').op('s').op('b', '.');

    Map<String, TensorRef> refs = StateDictUnpickler.unpickle(FILE, "archive/data.pkl", p.bytes());
    assertEquals(List.of("weight", "tied"), List.copyOf(refs.keySet()));
    TensorRef weight = refs.get("weight");
    assertEquals(weight, refs.get("tied"));
    assertEquals(256, weight.storage().numel());
    assertEquals(255, weight.offset());
    assertArrayEquals(new long[] {1}, weight.size());
    assertArrayEquals(new long[] {300}, weight.stride());
  }

  @Test
  void negativeSizesAreRefused() {
    Pickle p = new Pickle();
    p.op(0x80, 2).op('}').op('(').string("w").global("torch._utils", "_rebuild_tensor_v2");
    p.op('(').storage("0", () -> p.op('K', 4)).op('K', 0);
    p.binint(-4).op(0x85).op('K', 1).op(0x85).op(0x89).op('}').op('t', 'R', 'u', '.');
    assertRefusal(p.bytes(), "tensor size holds -4");
  }

  @Test
  void storageCalledAsAFunctionIsRefused() {
    Pickle p = new Pickle();
    p.op(0x80, 2).global("torch", "FloatStorage").op(')', 'R', '.');
    assertRefusal(p.bytes(), "REDUCE may not call global torch.FloatStorage");
  }

  @Test
  void aPickleThatIsNotADictIsRefused() {
    assertRefusal(new Pickle().op(0x80, 2).op(']', '.').bytes(), "not a state dict");
    assertRefusal(new Pickle().op(0x80, 2).op('}').string("x").op('K', 3, 's', '.').bytes(),
        "entry 'x' holds 3 rather than a tensor");
  }

  @Test
  void malformedStreamsAreRefused() {
    assertRefusal(new Pickle().op(0x80, 2).op('}').bytes(), "without a STOP");
    assertRefusal(new Pickle().op(0x80, 2).op('t', '.').bytes(), "needs a MARK");
    assertRefusal(new Pickle().op(0x80, 2).op('h', 9, '.').bytes(), "memo entry 9");
    assertRefusal(new Pickle().op(0x80, 2).op('R', '.').bytes(), "stack underflow");
    assertRefusal(new Pickle().op(0x80, 2).op('}', '.', '.').bytes(), "follow the STOP");
    assertRefusal(new Pickle().op(0x80, 2).op('X', 0xff, 0xff, 0, 0).bytes(), "truncated");
  }

  private static void assertRefusal(byte[] pickle, String fragment) {
    CheckpointFormatException e =
        assertThrows(
            CheckpointFormatException.class,
            () -> StateDictUnpickler.unpickle(FILE, "archive/data.pkl", pickle));
    assertTrue(e.getMessage().startsWith("model.bin: archive/data.pkl, byte "), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }
}
