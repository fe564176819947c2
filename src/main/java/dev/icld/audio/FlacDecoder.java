package dev.icld.audio;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jflac.ChannelData;
import org.jflac.FLACDecoder;
import org.jflac.FrameListener;
import org.jflac.frame.Frame;
import org.jflac.metadata.Metadata;

/**
 * Decodes native FLAC streams with jflac, bit-exactly. jflac zeroes frames that fail their CRC and
 * skips undecodable ones, reporting both only to listeners, and stops quietly at a cut-off end; so
 * this class listens for those reports, checks the sample count against STREAMINFO, and verifies
 * the MD5 of the decoded samples when the encoder recorded one. Any of these failing is an error.
 */
final class FlacDecoder {
  private static final int MAGIC_BYTES = 4;
  private static final int BLOCK_HEADER_BYTES = 4;
  private static final int STREAMINFO_BYTES = 34;

  private FlacDecoder() {}

  static boolean hasMagic(byte[] bytes, int at) {
    return bytes.length >= at + 4
        && bytes[at] == 'f' && bytes[at + 1] == 'L' && bytes[at + 2] == 'a' && bytes[at + 3] == 'C';
  }

  /** Decodes the FLAC stream whose "fLaC" marker is at {@code start} (after any ID3v2 tag). */
  static MultichannelAudio decode(Path file, byte[] bytes, int start) throws AudioFormatException {
    StreamInfo info = StreamInfo.parse(file, bytes, start + MAGIC_BYTES);
    FLACDecoder decoder = new FLACDecoder(new ByteArrayInputStream(bytes, start, bytes.length - start));
    List<String> decoderErrors = new ArrayList<>();
    decoder.addFrameListener(new ErrorCollector(decoderErrors));
    PcmAccumulator pcm = new PcmAccumulator(info);
    try {
      decoder.readMetadata();
      while (info.totalSamples() == 0 || pcm.frames < info.totalSamples()) {
        Frame frame = decoder.readNextFrame();
        if (!decoderErrors.isEmpty() || decoder.getBadFrames() > 0) {
          throw frameError(file, decoderErrors, pcm.frames);
        }
        if (frame == null) {
          break;
        }
        if (frame.header.channels != info.channels()) {
          throw new AudioFormatException(
              file,
              "corrupt FLAC stream: a frame has " + frame.header.channels + " channels, STREAMINFO says "
                  + info.channels());
        }
        pcm.append(decoder.getChannelData(), frame.header.blockSize);
      }
    } catch (AudioFormatException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // jflac signals malformed input with assorted exceptions, including unchecked ones.
      throw new AudioFormatException(
          file, "truncated or corrupt FLAC stream after sample " + pcm.frames + " (" + e + ")", e);
    }
    return pcm.finish(file);
  }

  private static AudioFormatException frameError(
      Path file, List<String> decoderErrors, long decodedSamples) {
    String problem = decoderErrors.isEmpty() ? "undecodable frame" : decoderErrors.get(0);
    if (problem.contains("EOFException")) {
      return new AudioFormatException(
          file, "truncated FLAC stream: the file ends inside the frame after sample " + decodedSamples);
    }
    return new AudioFormatException(
        file, "corrupt FLAC stream after sample " + decodedSamples + " (" + problem + ")");
  }

  /** The STREAMINFO block, which the FLAC format requires to come first. */
  private record StreamInfo(
      int sampleRate, int channels, int bitsPerSample, long totalSamples, byte[] md5) {
    static StreamInfo parse(Path file, byte[] bytes, int at) throws AudioFormatException {
      if (bytes.length < at + BLOCK_HEADER_BYTES + STREAMINFO_BYTES) {
        throw new AudioFormatException(
            file, "FLAC header cut short: the file has only " + bytes.length + " bytes");
      }
      int blockType = bytes[at] & 0x7F;
      int blockLength =
          (bytes[at + 1] & 0xFF) << 16 | (bytes[at + 2] & 0xFF) << 8 | (bytes[at + 3] & 0xFF);
      if (blockType != 0 || blockLength != STREAMINFO_BYTES) {
        throw new AudioFormatException(
            file, "corrupt FLAC file: the first metadata block is not STREAMINFO");
      }
      int s = at + BLOCK_HEADER_BYTES;
      // Bytes 10..17 pack sample rate (20 bits), channels - 1 (3), bits - 1 (5), total samples (36).
      long packed = 0;
      for (int i = 10; i < 18; i++) {
        packed = packed << 8 | (bytes[s + i] & 0xFF);
      }
      int sampleRate = (int) (packed >>> 44);
      int channels = (int) (packed >>> 41 & 0x7) + 1;
      int bitsPerSample = (int) (packed >>> 36 & 0x1F) + 1;
      long totalSamples = packed & 0xFFFFFFFFFL;
      if (sampleRate == 0) {
        throw new AudioFormatException(file, "corrupt FLAC file: STREAMINFO declares sample rate 0");
      }
      if (bitsPerSample < 4 || bitsPerSample > 24) {
        throw new AudioFormatException(
            file, "unsupported FLAC: " + bitsPerSample + " bits per sample (4 to 24 are supported)");
      }
      return new StreamInfo(
          sampleRate, channels, bitsPerSample, totalSamples, Arrays.copyOfRange(bytes, s + 18, s + 34));
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

  /** Collects decoded frames as scaled floats and feeds the MD5 the way the FLAC encoder did. */
  private static final class PcmAccumulator {
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
      int initialCapacity = (int) Math.min(Math.max(info.totalSamples(), 4096), 1 << 20);
      this.channels = new float[info.channels()][initialCapacity];
    }

    void append(ChannelData[] data, int blockSize) {
      int offset = (int) frames;
      if (offset + (long) blockSize > Integer.MAX_VALUE - 8) {
        throw new IllegalStateException("FLAC stream has more samples than fit in memory");
      }
      if (offset + blockSize > channels[0].length) {
        long grown = Math.max(2L * channels[0].length, offset + (long) blockSize);
        int capacity = (int) Math.min(Integer.MAX_VALUE - 8, grown);
        for (int c = 0; c < channels.length; c++) {
          channels[c] = Arrays.copyOf(channels[c], capacity);
        }
      }
      int needed = blockSize * channels.length * bytesPerSample;
      if (md5Buffer.length < needed) {
        md5Buffer = new byte[needed];
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
      md5.update(md5Buffer, 0, needed);
      frames += blockSize;
    }

    MultichannelAudio finish(Path file) throws AudioFormatException {
      if (info.totalSamples() > 0 && frames != info.totalSamples()) {
        throw new AudioFormatException(
            file,
            "truncated FLAC: STREAMINFO declares " + info.totalSamples() + " samples but only " + frames
                + " could be decoded");
      }
      if (frames == 0) {
        throw new AudioFormatException(file, "FLAC file contains no samples");
      }
      if (info.hasMd5() && !Arrays.equals(md5.digest(), info.md5())) {
        throw new AudioFormatException(
            file, "corrupt FLAC: the decoded samples do not match the MD5 checksum in STREAMINFO");
      }
      for (int c = 0; c < channels.length; c++) {
        channels[c] = Arrays.copyOf(channels[c], (int) frames);
      }
      return new MultichannelAudio(channels, info.sampleRate());
    }
  }

  /** jflac reports CRC failures and lost sync only through this callback. */
  private record ErrorCollector(List<String> errors) implements FrameListener {
    @Override
    public void processMetadata(Metadata metadata) {}

    @Override
    public void processFrame(Frame frame) {}

    @Override
    public void processError(String message) {
      errors.add(message);
    }
  }
}
