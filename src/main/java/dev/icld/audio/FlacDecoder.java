package dev.icld.audio;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;
import org.jflac.ChannelData;
import org.jflac.FLACDecoder;
import org.jflac.FrameListener;
import org.jflac.frame.Frame;
import org.jflac.metadata.Metadata;

/**
 * Decodes native FLAC streams with jflac, bit-exactly, with work and memory bounded on any input.
 *
 * <p>jflac trusts the file. Its metadata parsers allocate whatever a block declares (a damaged
 * VORBIS_COMMENT asks for gigabytes), and after a bad frame it resynchronises and carries on,
 * reporting CRC failures, lost sync and bad headers only to listeners. So this class walks the
 * metadata blocks itself, each length checked against the file, and hands jflac only STREAMINFO
 * and the frames; its listener stops decoding at the first problem jflac reports; and it checks
 * the sample count against STREAMINFO and the MD5 of the decoded samples when the encoder recorded
 * one. Every attempt jflac then makes at a frame either consumes input or ends decoding, so a file
 * of n bytes costs at most n frame attempts, and memory follows the samples actually decoded
 * (bounded by the limits of {@link AudioFiles}), never a header's claims.
 */
final class FlacDecoder {
  private static final int MAGIC_BYTES = 4;
  private static final int BLOCK_HEADER_BYTES = 4;
  private static final int STREAMINFO_BYTES = 34;
  private static final int LAST_BLOCK_FLAG = 0x80;
  private static final int INVALID_BLOCK_TYPE = 127;
  /** FLAC's block sizes: RFC 9639 requires 16 to 65535 samples in STREAMINFO. */
  private static final int MIN_BLOCK_SIZE = 16;

  private FlacDecoder() {}

  static boolean hasMagic(FileBytes bytes, int at) throws IOException {
    return bytes.size() >= at + (long) MAGIC_BYTES && bytes.fourCc(at).equals("fLaC");
  }

  /** Decodes the FLAC stream whose "fLaC" marker is at {@code start} (after any ID3v2 tag). */
  static MultichannelAudio decode(Path file, byte[] bytes, int start) throws IOException {
    FileBytes source = FileBytes.of(bytes);
    StreamInfo info = StreamInfo.read(file, source, start + MAGIC_BYTES);
    int firstFrame = framesStart(file, source, start + MAGIC_BYTES);
    FLACDecoder decoder = new FLACDecoder(streamInfoThenFrames(bytes, start, firstFrame));
    decoder.addFrameListener(new StopAtFirstError());
    PcmAccumulator pcm = new PcmAccumulator(info);
    try {
      decoder.readMetadata();
      while (info.totalSamples() == 0 || pcm.frames < info.totalSamples()) {
        Frame frame = decoder.readNextFrame();
        if (decoder.getBadFrames() > 0) {
          throw frameError(file, "undecodable frame", pcm.frames);
        }
        if (frame == null) {
          break;
        }
        checkFrame(file, info, frame.header.channels, frame.header.blockSize);
        AudioFiles.checkDuration(
            file, "FLAC frames", pcm.frames + frame.header.blockSize, info.sampleRate());
        pcm.append(decoder.getChannelData(), frame.header.blockSize);
      }
    } catch (DecoderError e) {
      throw frameError(file, e.getMessage(), pcm.frames);
    } catch (AudioFormatException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // jflac signals malformed input with assorted exceptions, including unchecked ones.
      throw new AudioFormatException(
          file, "truncated or corrupt FLAC stream after sample " + pcm.frames + " (" + e + ")", e);
    }
    return pcm.finish(file);
  }

  /**
   * STREAMINFO's format and length, with the checks decoding makes of it and of the metadata
   * blocks' headers; empty when STREAMINFO leaves the length unknown (0), which only the frames
   * tell. No frame is read.
   */
  static Optional<AudioInfo> probe(Path file, FileBytes bytes, int start) throws IOException {
    StreamInfo info = StreamInfo.read(file, bytes, start + MAGIC_BYTES);
    framesStart(file, bytes, start + MAGIC_BYTES);
    return info.totalSamples() == 0
        ? Optional.empty()
        : Optional.of(new AudioInfo(info.sampleRate(), info.channels(), info.totalSamples()));
  }

  /**
   * Where the frames start: after the metadata block marked last, every block's length checked
   * against the file. The blocks' contents (tags, pictures, seek tables) are not needed.
   */
  private static int framesStart(Path file, FileBytes bytes, int at) throws IOException {
    while (true) {
      if (at + BLOCK_HEADER_BYTES > bytes.size()) {
        throw new AudioFormatException(
            file, "truncated FLAC: the file ends inside its metadata blocks, before any frame");
      }
      ByteBuffer header = bytes.read(at, BLOCK_HEADER_BYTES);
      boolean last = (header.get(0) & LAST_BLOCK_FLAG) != 0;
      int type = header.get(0) & 0x7F;
      int length = uint24(header, 1);
      if (type == INVALID_BLOCK_TYPE) {
        throw new AudioFormatException(
            file, "corrupt FLAC file: metadata block at byte " + at + " has the invalid type 127");
      }
      long next = (long) at + BLOCK_HEADER_BYTES + length;
      if (next > bytes.size()) {
        throw new AudioFormatException(file, "truncated or corrupt FLAC file: a metadata block of "
            + "type " + type + " declares " + length + " bytes, past the end of the file");
      }
      at = (int) next;
      if (last) {
        return at;
      }
    }
  }

  /** "fLaC", STREAMINFO marked as the last metadata block, then the frames. */
  private static SequenceInputStream streamInfoThenFrames(byte[] bytes, int start, int firstFrame) {
    byte[] header = Arrays.copyOfRange(bytes, start, start + MAGIC_BYTES + BLOCK_HEADER_BYTES
        + STREAMINFO_BYTES);
    header[MAGIC_BYTES] |= (byte) LAST_BLOCK_FLAG;
    return new SequenceInputStream(new ByteArrayInputStream(header),
        new ByteArrayInputStream(bytes, firstFrame, bytes.length - firstFrame));
  }

  private static void checkFrame(Path file, StreamInfo info, int channels, int blockSize)
      throws AudioFormatException {
    if (channels != info.channels()) {
      throw new AudioFormatException(file, "corrupt FLAC stream: a frame has " + channels
          + " channels, STREAMINFO says " + info.channels());
    }
    if (blockSize > info.maxBlockSize()) {
      throw new AudioFormatException(file, "corrupt FLAC stream: a frame has " + blockSize
          + " samples, more than STREAMINFO's maximum block size " + info.maxBlockSize());
    }
  }

  private static AudioFormatException frameError(Path file, String problem, long decodedSamples) {
    if (problem.contains("EOFException")) {
      return new AudioFormatException(
          file, "truncated FLAC stream: the file ends inside the frame after sample " + decodedSamples);
    }
    return new AudioFormatException(
        file, "corrupt FLAC stream after sample " + decodedSamples + " (" + problem + ")");
  }

  /** FLAC's integers are big-endian, whatever order the buffer reads in. */
  private static int uint24(ByteBuffer bytes, int at) {
    return (bytes.get(at) & 0xFF) << 16 | (bytes.get(at + 1) & 0xFF) << 8
        | (bytes.get(at + 2) & 0xFF);
  }

  /** The STREAMINFO block, which the FLAC format requires to come first. */
  private record StreamInfo(int sampleRate, int channels, int bitsPerSample, int maxBlockSize,
      long totalSamples, byte[] md5) {
    private static final String FIELD = "FLAC STREAMINFO";

    static StreamInfo read(Path file, FileBytes bytes, int at) throws IOException {
      if (bytes.size() < at + (long) BLOCK_HEADER_BYTES + STREAMINFO_BYTES) {
        throw new AudioFormatException(
            file, "FLAC header cut short: the file has only " + bytes.size() + " bytes");
      }
      ByteBuffer block = bytes.read(at, BLOCK_HEADER_BYTES + STREAMINFO_BYTES);
      int blockType = block.get(0) & 0x7F;
      int blockLength = uint24(block, 1);
      if (blockType != 0 || blockLength != STREAMINFO_BYTES) {
        throw new AudioFormatException(
            file, "corrupt FLAC file: the first metadata block is not STREAMINFO");
      }
      ByteBuffer fields =
          block.slice(BLOCK_HEADER_BYTES, STREAMINFO_BYTES).order(ByteOrder.BIG_ENDIAN);
      int minBlockSize = Short.toUnsignedInt(fields.getShort(0));
      int maxBlockSize = Short.toUnsignedInt(fields.getShort(2));
      // Bytes 10..17 pack sample rate (20 bits), channels - 1 (3), bits - 1 (5), total samples (36).
      long packed = fields.getLong(10);
      int sampleRate = (int) (packed >>> 44);
      int channels = (int) (packed >>> 41 & 0x7) + 1;
      int bitsPerSample = (int) (packed >>> 36 & 0x1F) + 1;
      long totalSamples = packed & 0xFFFFFFFFFL;
      AudioFiles.checkSampleRate(file, FIELD, sampleRate);
      if (minBlockSize < MIN_BLOCK_SIZE || maxBlockSize < minBlockSize) {
        throw new AudioFormatException(file, FIELD + ": block sizes " + minBlockSize + " to "
            + maxBlockSize + " are invalid (FLAC allows 16 to 65535, the minimum first)");
      }
      if (bitsPerSample < 4 || bitsPerSample > 24) {
        throw new AudioFormatException(
            file, "unsupported FLAC: " + bitsPerSample + " bits per sample (4 to 24 are supported)");
      }
      AudioFiles.checkDuration(file, FIELD, totalSamples, sampleRate);
      byte[] md5 = new byte[16];
      fields.get(18, md5);
      return new StreamInfo(sampleRate, channels, bitsPerSample, maxBlockSize, totalSamples, md5);
    }

    boolean hasMd5() {
      for (byte b : md5) {
        if (b != 0) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * Collects decoded frames as scaled floats and feeds the MD5 the way the FLAC encoder did. Its
   * arrays grow with the frames decoded, so a header claiming hours costs nothing until the frames
   * are there.
   */
  private static final class PcmAccumulator {
    private static final int INITIAL_CAPACITY = 1 << 16;
    private static final long MAX_CAPACITY = Integer.MAX_VALUE - 8;

    private final StreamInfo info;
    private final float scale;
    private final int bytesPerSample;
    private final MessageDigest md5;
    private float[][] channels;
    private byte[] md5Buffer = new byte[0];
    long frames;

    PcmAccumulator(StreamInfo info) {
      this.info = info;
      this.scale = 1f / (1 << (info.bitsPerSample() - 1));
      this.bytesPerSample = (info.bitsPerSample() + 7) / 8;
      try {
        this.md5 = MessageDigest.getInstance("MD5");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java runtime provides MD5", e);
      }
      this.channels = new float[info.channels()][(int) capped(INITIAL_CAPACITY)];
    }

    /** Capacity never exceeds a known total: the decode loop stops there. */
    private long capped(long capacity) {
      return info.totalSamples() > 0 ? Math.min(capacity, info.totalSamples()) : capacity;
    }

    /** Frames whose sample count the caller has checked against the duration limit. */
    void append(ChannelData[] data, int blockSize) {
      int offset = (int) frames;
      long needed = offset + (long) blockSize;
      if (needed > channels[0].length) {
        long doubled = Math.min(2L * channels[0].length, MAX_CAPACITY);
        int capacity = (int) Math.max(needed, capped(doubled));
        for (int c = 0; c < channels.length; c++) {
          channels[c] = Arrays.copyOf(channels[c], capacity);
        }
      }
      int md5Bytes = blockSize * channels.length * bytesPerSample;
      if (md5Buffer.length < md5Bytes) {
        md5Buffer = new byte[md5Bytes];
      }
      int at = 0;
      for (int i = 0; i < blockSize; i++) {
        for (int c = 0; c < channels.length; c++) {
          int value = data[c].getOutput()[i];
          channels[c][offset + i] = value * scale;
          for (int b = 0; b < bytesPerSample; b++) {
            md5Buffer[at++] = (byte) (value >> (8 * b));
          }
        }
      }
      md5.update(md5Buffer, 0, md5Bytes);
      frames += blockSize;
    }

    MultichannelAudio finish(Path file) throws AudioFormatException {
      if (info.totalSamples() > 0 && frames != info.totalSamples()) {
        throw new AudioFormatException(file, frames < info.totalSamples()
            ? "truncated FLAC: STREAMINFO declares " + info.totalSamples() + " samples but only "
                + frames + " could be decoded"
            : "corrupt FLAC: STREAMINFO declares " + info.totalSamples() + " samples but the frames "
                + "hold " + frames);
      }
      if (frames == 0) {
        throw new AudioFormatException(file, "FLAC file contains no samples");
      }
      if (info.hasMd5() && !Arrays.equals(md5.digest(), info.md5())) {
        throw new AudioFormatException(
            file, "corrupt FLAC: the decoded samples do not match the MD5 checksum in STREAMINFO");
      }
      if (channels[0].length != frames) {
        for (int c = 0; c < channels.length; c++) {
          channels[c] = Arrays.copyOf(channels[c], (int) frames);
        }
      }
      return new MultichannelAudio(channels, info.sampleRate());
    }
  }

  /**
   * jflac reports CRC failures, lost sync and bad headers only through this callback, and then
   * goes on looking for the next frame; throwing here ends decoding at the first problem instead.
   */
  private static final class StopAtFirstError implements FrameListener {
    @Override
    public void processMetadata(Metadata metadata) {}

    @Override
    public void processFrame(Frame frame) {}

    @Override
    public void processError(String message) {
      throw new DecoderError(message);
    }
  }

  /** A problem jflac reported, carried out of its decoding loop. */
  private static final class DecoderError extends RuntimeException {
    DecoderError(String message) {
      super(message, null, false, false);
    }
  }
}
