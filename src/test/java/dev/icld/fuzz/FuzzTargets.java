package dev.icld.fuzz;

import dev.icld.audio.AudioFiles;
import dev.icld.audio.AudioFormatException;
import dev.icld.data.Corpus;
import dev.icld.data.LoadOptions;
import dev.icld.data.Manifest;
import dev.icld.data.TargetKind;
import dev.icld.model.Checkpoints;
import dev.icld.model.io.SafeTensors;
import dev.icld.model.io.TorchCheckpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** The formats under fuzzing, each with the readers a user's command would call on it. */
final class FuzzTargets {
  /** Every audio reader is called as a corpus calls it: mixed down and resampled to 16 kHz. */
  private static final int CORPUS_SAMPLE_RATE = Corpus.SAMPLE_RATE;
  /** The tiny Base checkpoint of the model tests: configs are loaded with its weights. */
  private static final String CONFIG_WEIGHTS = "/dev/icld/model/fixtures/base/model.safetensors";
  /** The manifest seeds name these two audio files, copied from the WAV and FLAC seeds. */
  private static final Map<String, String> MANIFEST_AUDIO =
      Map.of("a.wav", "wav/seeds/s16-mono-16k.wav", "b.flac", "flac/seeds/s16-mono-16k.flac");

  /** The checkpoint whose pickle is the pickle target's seed: its storages go with every input. */
  private static final String PICKLE_STORAGES = "torch/seeds/state_dict.bin";
  private static final String PICKLE_ARCHIVE_PREFIX = "fuzzed/";

  private static final List<Class<? extends Exception>> IO_ERRORS = List.of(IOException.class);

  private FuzzTargets() {}

  /** Every format, in the order campaigns run them; {@code corpus} is the fuzz corpus root. */
  static List<FuzzTarget> all(Path corpus) {
    return List.of(wav(), flac(), safetensors(), torch(), pickle(corpus), config(),
        manifest(corpus));
  }

  static FuzzTarget named(String name, Path corpus) {
    return all(corpus).stream().filter(t -> t.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no fuzz target '" + name + "'; there are "
            + all(corpus).stream().map(FuzzTarget::name).toList()));
  }

  /** RIFF sizes, then the fmt chunk's fields: format, channels, rate, byte rate, align, bits. */
  private static FuzzTarget wav() {
    return FuzzTarget.plain("wav", "fuzzed.wav",
        List.of(4, 16, 20, 22, 24, 28, 32, 34, 36, 38, 40, 44),
        folder -> { }, FuzzTargets::readAudio, IO_ERRORS);
  }

  /** STREAMINFO (block sizes, frame sizes, rate/channels/bits, total samples), the next block. */
  private static FuzzTarget flac() {
    return FuzzTarget.plain("flac", "fuzzed.flac",
        List.of(4, 5, 8, 10, 12, 15, 18, 19, 20, 21, 22, 24, 42, 43),
        folder -> { }, FuzzTargets::readAudio, IO_ERRORS);
  }

  /** The header length, then numbers inside the JSON header (mutated as text). */
  private static FuzzTarget safetensors() {
    return FuzzTarget.plain("safetensors", "fuzzed.safetensors", List.of(0, 4),
        folder -> { }, SafeTensors::read, IO_ERRORS);
  }

  /**
   * A local zip header's method, sizes and name/extra lengths, and the end-of-directory record's
   * counts, directory size and offset, and comment length (from the end).
   */
  private static FuzzTarget torch() {
    return FuzzTarget.plain("torch", "fuzzed.bin", List.of(8, 18, 22, 26, 28, -14, -12, -10, -6, -2),
        folder -> { }, TorchCheckpoint::read, IO_ERRORS);
  }

  /**
   * The pickle of a torch.save archive, mutated alone and packed into an intact archive with the
   * storages of the seed checkpoint, so that mutations reach the unpickler instead of stopping at
   * the zip layer.
   */
  private static FuzzTarget pickle(Path corpus) {
    Map<String, byte[]> storages = storagesOf(corpus.resolve(PICKLE_STORAGES));
    return new FuzzTarget("pickle", "pkl", "fuzzed.bin", List.of(), folder -> { },
        pickle -> torchArchive(pickle, storages), TorchCheckpoint::read, IO_ERRORS);
  }

  /**
   * config.json loaded with a fixed tiny checkpoint: fromJson's checks, then the agreement of
   * config and tensors, then the model build. The build allocates natively, which is why every
   * dimension must be checked before it; configs that pass are tiny, so the build is cheap.
   */
  private static FuzzTarget config() {
    return FuzzTarget.plain("config", "fuzzed-model/config.json", List.of(),
        FuzzTargets::writeConfigWeights, FuzzTargets::loadModel,
        List.of(IOException.class, IllegalArgumentException.class));
  }

  /** A manifest of two audio files, loaded as training would, for labels and for transcripts. */
  private static FuzzTarget manifest(Path corpus) {
    return FuzzTarget.plain("manifest", "fuzzed.jsonl", List.of(),
        folder -> writeManifestAudio(corpus, folder), FuzzTargets::loadManifest, IO_ERRORS);
  }

  /**
   * Probes the header as loading a corpus does, then decodes as using it does. The two must agree:
   * a file the probe refuses is refused by decoding with the same message, and a file both accept
   * has the length the probe counted. A disagreement is a defect, thrown as an
   * IllegalStateException.
   */
  private static void readAudio(Path file) throws IOException {
    long probed;
    try {
      probed = AudioFiles.probe(file).samplesAt(CORPUS_SAMPLE_RATE);
    } catch (AudioFormatException refused) {
      try {
        AudioFiles.read(file, CORPUS_SAMPLE_RATE);
      } catch (AudioFormatException e) {
        if (!e.getMessage().equals(refused.getMessage())) {
          throw new IllegalStateException("the probe refused with '" + refused.getMessage()
              + "', decoding with '" + e.getMessage() + "'", e);
        }
        throw e;
      }
      throw new IllegalStateException("the probe refused what decoding accepts", refused);
    }
    int decoded = AudioFiles.read(file, CORPUS_SAMPLE_RATE).samples().length;
    if (decoded != probed) {
      throw new IllegalStateException("the probe counted " + probed + " samples at "
          + CORPUS_SAMPLE_RATE + " Hz, decoding made " + decoded);
    }
  }

  private static void loadModel(Path configFile) throws IOException {
    Checkpoints.load(configFile.getParent()).close();
  }

  private static void loadManifest(Path manifest) throws IOException {
    Manifest.read(manifest);
    Corpus.load(manifest, LoadOptions.of(TargetKind.LABEL));
    Corpus.load(manifest, LoadOptions.of(TargetKind.TRANSCRIPT));
  }

  /** The storage records ({@code <top>/data/<key>}) of a torch.save archive, by key. */
  private static Map<String, byte[]> storagesOf(Path checkpoint) {
    Map<String, byte[]> storages = new TreeMap<>();
    try (ZipFile zip = new ZipFile(checkpoint.toFile())) {
      for (ZipEntry entry : Collections.list(zip.entries())) {
        String[] parts = entry.getName().split("/");
        if (parts.length == 3 && parts[1].equals("data")) {
          try (InputStream in = zip.getInputStream(entry)) {
            storages.put(parts[2], in.readAllBytes());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the pickle target's storages", e);
    }
    return storages;
  }

  /** A torch.save archive as torch writes it: stored records, the pickle first. */
  private static byte[] torchArchive(byte[] pickle, Map<String, byte[]> storages)
      throws IOException {
    ByteArrayOutputStream archive = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(archive)) {
      storedRecord(zip, PICKLE_ARCHIVE_PREFIX + "data.pkl", pickle);
      for (Map.Entry<String, byte[]> storage : storages.entrySet()) {
        storedRecord(zip, PICKLE_ARCHIVE_PREFIX + "data/" + storage.getKey(), storage.getValue());
      }
      storedRecord(zip, PICKLE_ARCHIVE_PREFIX + "version", "3\n".getBytes(StandardCharsets.US_ASCII));
    }
    return archive.toByteArray();
  }

  private static void storedRecord(ZipOutputStream zip, String name, byte[] content)
      throws IOException {
    ZipEntry entry = new ZipEntry(name);
    CRC32 crc = new CRC32();
    crc.update(content);
    entry.setMethod(ZipEntry.STORED);
    entry.setSize(content.length);
    entry.setCrc(crc.getValue());
    zip.putNextEntry(entry);
    zip.write(content);
    zip.closeEntry();
  }

  private static void writeConfigWeights(Path folder) throws IOException {
    Path model = Files.createDirectories(folder.resolve("fuzzed-model"));
    try (InputStream weights = FuzzTargets.class.getResourceAsStream(CONFIG_WEIGHTS)) {
      if (weights == null) {
        throw new IOException("test resource " + CONFIG_WEIGHTS + " is missing");
      }
      Files.write(model.resolve("model.safetensors"), weights.readAllBytes());
    }
  }

  private static void writeManifestAudio(Path corpus, Path folder) throws IOException {
    for (Map.Entry<String, String> audio : MANIFEST_AUDIO.entrySet()) {
      Files.copy(corpus.resolve(audio.getValue()), folder.resolve(audio.getKey()),
          StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
