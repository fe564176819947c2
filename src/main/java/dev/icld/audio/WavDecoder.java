package dev.icld.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Decodes RIFF/WAVE and RF64 files: integer PCM (8-bit unsigned, 16, 24, 32-bit), IEEE float (32,
 * 64-bit), and WAVE_FORMAT_EXTENSIBLE with those sub-formats, up to 64 channels, chunks in any
 * order, within the bounds of {@link AudioFiles}.
 */
final class WavDecoder {
  private static final int FORMAT_PCM = 0x0001;
  private static final int FORMAT_IEEE_FLOAT = 0x0003;
  private static final int FORMAT_EXTENSIBLE = 0xFFFE;
  /** Bytes 2..15 of every KSDATAFORMAT_SUBTYPE GUID; bytes 0..1 carry the plain format code. */
  private static final byte[] SUBFORMAT_GUID_TAIL = {
    0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B,
    0x71
  };
  private static final long RF64_SIZE_IN_DS64 = 0xFFFFFFFFL;
  private static final String FMT_CHUNK = "WAV 'fmt ' chunk";
  private static final String SUPPORTED =
      "supported are PCM integer (8, 16, 24, 32-bit) and IEEE float (32, 64-bit)";

  private WavDecoder() {}

  static boolean hasMagic(FileBytes bytes) throws IOException {
    if (bytes.size() < 12) {
      return false;
    }
    ByteBuffer riff = bytes.read(0, 12);
    String id = FileBytes.fourCc(riff, 0);
    return (id.equals("RIFF") || id.equals("RF64")) && FileBytes.fourCc(riff, 8).equals("WAVE");
  }

  static MultichannelAudio decode(Path file, byte[] bytes) throws IOException {
    Header header = Header.read(file, FileBytes.of(bytes), ChunkWalk.ALL_CHUNKS);
    return decodeSamples(file, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), header);
  }

  /** The format and length from the chunk headers, reading no further than the data chunk's. */
  static AudioInfo probe(Path file, FileBytes bytes) throws IOException {
    Header header = Header.read(file, bytes, ChunkWalk.UNTIL_FORMAT_AND_DATA);
    return new AudioInfo(header.format().sampleRate(), header.format().channels(), header.frames());
  }

  /**
   * How far the chunk headers are walked. Decoding walks them all, so that a chunk reaching past
   * the end of the file is refused wherever it is; probing stops as soon as the format and the data
   * chunk are known, because the chunks after them (tags, cue points) say nothing about the
   * samples, and reaching them means a read at the far end of the file. Up to there the two walks
   * are one, so a file both refuse is refused with the same message.
   */
  private enum ChunkWalk {
    ALL_CHUNKS, UNTIL_FORMAT_AND_DATA
  }

  /** What the chunk headers say: the format, and where the samples are and how many. */
  private record Header(Format format, int dataOffset, long frames) {

    static Header read(Path file, FileBytes bytes, ChunkWalk walk) throws IOException {
      if (bytes.size() < 12) {
        throw new AudioFormatException(
            file, "WAV header cut short: the file has only " + bytes.size() + " bytes");
      }
      boolean rf64 = bytes.fourCc(0).equals("RF64");
      long rf64DataSize = -1;
      Format format = null;
      int dataOffset = -1;
      long dataSize = -1;
      long frames = -1;

      int pos = 12;
      while (pos + 8 <= bytes.size()) {
        ByteBuffer chunkHeader = bytes.read(pos, 8);
        String id = FileBytes.fourCc(chunkHeader, 0);
        long size = Integer.toUnsignedLong(chunkHeader.getInt(4));
        int body = pos + 8;
        if (rf64 && id.equals("ds64") && size >= 16 && body + 16 <= bytes.size()) {
          rf64DataSize = bytes.read(body, 16).getLong(8);
        }
        if (rf64 && id.equals("data") && size == RF64_SIZE_IN_DS64 && rf64DataSize >= 0) {
          size = rf64DataSize;
        }
        long available = bytes.size() - (long) body;
        if (size > available) {
          throw new AudioFormatException(
              file,
              "truncated WAV: chunk '" + printable(id) + "' declares " + size + " bytes but only "
                  + available + " follow");
        }
        if (id.equals("fmt ") && format == null) {
          // Only the first 40 bytes carry fields; a longer chunk is not read.
          format = parseFormat(file, bytes.read(body, (int) Math.min(size, 40)), (int) size);
        } else if (id.equals("data") && dataOffset < 0) {
          dataOffset = body;
          dataSize = size;
        }
        if (format != null && dataOffset >= 0 && frames < 0) {
          frames = countFrames(file, format, dataSize);
          if (walk == ChunkWalk.UNTIL_FORMAT_AND_DATA) {
            break;
          }
        }
        // Chunks are word-aligned: an odd-sized chunk is followed by one padding byte.
        pos = (int) Math.min(bytes.size(), body + size + (size & 1));
      }
      if (format == null) {
        throw new AudioFormatException(
            file, "WAV file has no 'fmt ' chunk (truncated or corrupt header)");
      }
      if (dataOffset < 0) {
        throw new AudioFormatException(
            file, "WAV file has no 'data' chunk (truncated or corrupt file)");
      }
      return new Header(format, dataOffset, frames);
    }

    private static long countFrames(Path file, Format format, long dataSize)
        throws AudioFormatException {
      int frameBytes = format.channels() * format.bytesPerSample();
      if (dataSize % frameBytes != 0) {
        throw new AudioFormatException(
            file,
            "WAV 'data' chunk has " + dataSize + " bytes, not a whole number of " + frameBytes
                + "-byte frames");
      }
      long frames = dataSize / frameBytes;
      if (frames == 0) {
        throw new AudioFormatException(file, "WAV file contains no samples (empty 'data' chunk)");
      }
      AudioFiles.checkDuration(file, "WAV 'data' chunk", frames, format.sampleRate());
      return frames;
    }
  }

  /** What the fmt chunk says, reduced to what decoding needs. */
  private record Format(int code, int channels, int sampleRate, int bytesPerSample) {
    boolean isFloat() {
      return code == FORMAT_IEEE_FLOAT;
    }
  }

  /** Parses the fields at the start of {@code fmt}, a fmt chunk declaring {@code size} bytes. */
  private static Format parseFormat(Path file, ByteBuffer fmt, int size)
      throws AudioFormatException {
    if (size < 16) {
      throw new AudioFormatException(file, "WAV 'fmt ' chunk is " + size + " bytes, needs at least 16");
    }
    int code = Short.toUnsignedInt(fmt.getShort(0));
    int channels = Short.toUnsignedInt(fmt.getShort(2));
    long sampleRate = Integer.toUnsignedLong(fmt.getInt(4));
    int blockAlign = Short.toUnsignedInt(fmt.getShort(12));
    int bitsPerSample = Short.toUnsignedInt(fmt.getShort(14));
    if (code == FORMAT_EXTENSIBLE) {
      if (size < 40) {
        throw new AudioFormatException(
            file, "WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk is " + size + " bytes, needs 40");
      }
      byte[] guidTail = new byte[SUBFORMAT_GUID_TAIL.length];
      fmt.get(26, guidTail);
      if (!Arrays.equals(guidTail, SUBFORMAT_GUID_TAIL)) {
        throw new AudioFormatException(
            file,
            "unsupported WAV encoding: WAVE_FORMAT_EXTENSIBLE with a non-standard sub-format GUID; "
                + SUPPORTED);
      }
      code = Short.toUnsignedInt(fmt.getShort(24));
    }
    if (code != FORMAT_PCM && code != FORMAT_IEEE_FLOAT) {
      throw new AudioFormatException(
          file,
          "unsupported WAV encoding: format code " + code + describeFormatCode(code) + "; "
              + SUPPORTED);
    }
    // Samples narrower than their container (e.g. 20 valid bits in 3 bytes) are left-justified, so
    // the container width is what decoding needs.
    int bytesPerSample = (bitsPerSample + 7) / 8;
    boolean supportedWidth =
        code == FORMAT_PCM
            ? bitsPerSample >= 1 && bytesPerSample <= 4
            : bitsPerSample == 32 || bitsPerSample == 64;
    if (!supportedWidth) {
      throw new AudioFormatException(
          file,
          "unsupported WAV encoding: " + (code == FORMAT_PCM ? "PCM" : "IEEE float") + " with "
              + bitsPerSample + " bits per sample; " + SUPPORTED);
    }
    if (channels == 0) {
      throw new AudioFormatException(file, "WAV 'fmt ' chunk declares 0 channels");
    }
    AudioFiles.checkChannels(file, FMT_CHUNK, channels);
    AudioFiles.checkSampleRate(file, FMT_CHUNK, sampleRate);
    // With the channels bounded, a consistent block align is at most 64 channels of 8 bytes.
    if (blockAlign != channels * bytesPerSample) {
      throw new AudioFormatException(
          file,
          "WAV 'fmt ' chunk is inconsistent: block align " + blockAlign + " but " + channels
              + " channels of " + bytesPerSample + " bytes");
    }
    return new Format(code, channels, (int) sampleRate, bytesPerSample);
  }

  private static String describeFormatCode(int code) {
    return switch (code) {
      case 0x0002 -> " (Microsoft ADPCM)";
      case 0x0006 -> " (A-law)";
      case 0x0007 -> " (mu-law)";
      case 0x0011 -> " (IMA ADPCM)";
      case 0x0031 -> " (GSM 6.10)";
      case 0x0055 -> " (MPEG layer 3)";
      default -> "";
    };
  }

  private static MultichannelAudio decodeSamples(Path file, ByteBuffer buf, Header header)
      throws AudioFormatException {
    Format format = header.format();
    long frames = header.frames();
    float[][] channels = new float[format.channels()][(int) frames];
    int at = header.dataOffset();
    for (int i = 0; i < frames; i++) {
      for (int c = 0; c < format.channels(); c++) {
        float value =
            format.isFloat()
                ? readFloat(buf, at, format.bytesPerSample())
                : readPcm(buf, at, format.bytesPerSample());
        if (!Float.isFinite(value)) {
          throw new AudioFormatException(
              file,
              "float sample " + i + " of channel " + c + " is " + value + " (not a finite number)");
        }
        channels[c][i] = value;
        at += format.bytesPerSample();
      }
    }
    return new MultichannelAudio(channels, format.sampleRate());
  }

  private static float readFloat(ByteBuffer buf, int at, int bytes) {
    return bytes == 4 ? buf.getFloat(at) : (float) buf.getDouble(at);
  }

  /** Integer PCM scaled by 2^(bits-1): 16-bit v becomes v / 32768, as torchaudio and soundfile do. */
  private static float readPcm(ByteBuffer buf, int at, int bytes) {
    return switch (bytes) {
      case 1 -> ((buf.get(at) & 0xFF) - 128) / 128f;
      case 2 -> buf.getShort(at) / 32768f;
      case 3 -> ((buf.get(at) & 0xFF) | (buf.get(at + 1) & 0xFF) << 8 | buf.get(at + 2) << 16)
          / 8388608f;
      case 4 -> (float) (buf.getInt(at) / 2147483648.0);
      default -> throw new IllegalStateException("unreachable: " + bytes + "-byte PCM");
    };
  }

  private static String printable(String id) {
    StringBuilder sb = new StringBuilder();
    for (char ch : id.toCharArray()) {
      sb.append(ch >= 0x20 && ch < 0x7F ? String.valueOf(ch) : String.format("\\x%02X", (int) ch));
    }
    return sb.toString();
  }
}
