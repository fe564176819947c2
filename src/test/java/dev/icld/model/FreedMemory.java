package dev.icld.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Provokes the failure of a tensor that reads native memory Java has already released: collects
 * garbage (so the cleaners of unreachable direct buffers free their memory), then allocates many
 * small direct buffers filled with NaN, which reuse the freed blocks. A tensor still pointing at
 * such a block then reads NaN instead of a stale but plausible value.
 */
public final class FreedMemory {
  private FreedMemory() {}

  /** The NaN-filled buffers; keep the list reachable until the check is done. */
  public static List<ByteBuffer> overwrite() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      // The cleaners run on their own thread after the collection.
      Thread.sleep(20);
    }
    List<ByteBuffer> filler = new ArrayList<>();
    for (int i = 0; i < 4000; i++) {
      ByteBuffer b = ByteBuffer.allocateDirect(4 * (1 + i % 16)).order(ByteOrder.nativeOrder());
      while (b.remaining() >= 4) {
        b.putFloat(Float.NaN);
      }
      filler.add(b);
    }
    return filler;
  }
}
