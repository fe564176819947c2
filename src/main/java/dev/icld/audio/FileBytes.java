package dev.icld.audio;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An audio file's bytes by position, so that the decoders parse headers with one piece of code
 * whether the whole file is in memory (decoding) or only the header is read from disk (probing).
 * Callers check a range against {@link #size()} before reading it, as they would an array's length.
 */
interface FileBytes {

  /** The file's length in bytes; {@link AudioFiles} refuses files too large for an int. */
  int size();

  /** The {@code length} bytes at {@code position}, little-endian, for absolute gets from 0. */
  ByteBuffer read(int position, int length) throws IOException;

  /** The four-byte ASCII tag at {@code position} (a RIFF chunk id, "fLaC", "ID3"). */
  default String fourCc(int position) throws IOException {
    return fourCc(read(position, 4), 0);
  }

  static String fourCc(ByteBuffer buffer, int at) {
    byte[] tag = new byte[4];
    buffer.get(at, tag);
    return new String(tag, StandardCharsets.ISO_8859_1);
  }

  static FileBytes of(byte[] bytes) {
    return new FileBytes() {
      @Override
      public int size() {
        return bytes.length;
      }

      @Override
      public ByteBuffer read(int position, int length) {
        return ByteBuffer.wrap(bytes, position, length).slice().order(ByteOrder.LITTLE_ENDIAN);
      }
    };
  }

  /** A file read piece by piece where the parser asks, never as a whole. */
  final class OnDisk implements FileBytes, Closeable {
    /**
     * Read at once when the file is opened: most files keep every header there, and one read of a
     * disk block costs what a read of a few of its bytes does.
     */
    private static final int HEAD_BYTES = 4096;

    private final Path file;
    private final FileChannel channel;
    private final int size;
    private final ByteBuffer head;

    OnDisk(Path file) throws IOException {
      this.file = file;
      this.channel = FileChannel.open(file, StandardOpenOption.READ);
      try {
        this.size = Math.toIntExact(channel.size());
        this.head = readFromDisk(0, Math.min(size, HEAD_BYTES));
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public ByteBuffer read(int position, int length) throws IOException {
      if (position + (long) length <= head.limit()) {
        return head.slice(position, length).order(ByteOrder.LITTLE_ENDIAN);
      }
      return readFromDisk(position, length);
    }

    private ByteBuffer readFromDisk(int position, int length) throws IOException {
      ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, position + (long) buffer.position()) < 0) {
          throw new AudioFormatException(file, "the file ended at byte "
              + (position + buffer.position()) + " of the " + size + " it had when opened"
              + " (it is being written or truncated)");
        }
      }
      return buffer.rewind();
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
