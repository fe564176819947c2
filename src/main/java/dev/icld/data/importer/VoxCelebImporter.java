package dev.icld.data.importer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * VoxCeleb1 speaker identification: {@code iden_split.txt} lines "N idXXXXX/VIDEO/NNNNN.wav" with
 * N = 1 train, 2 dev, 3 test, and the audio in {@code wav/idXXXXX/VIDEO/NNNNN.wav}. The archives
 * unpack to {@code wav/} or to {@code vox1_dev_wav/wav/} and {@code vox1_test_wav/wav/}; all are
 * searched. The label and the speaker are the speaker id.
 */
public final class VoxCelebImporter implements CorpusImporter {
  private static final List<String> AUDIO_FOLDERS =
      List.of("wav", "vox1_dev_wav/wav", "vox1_test_wav/wav");
  private static final List<String> SPLIT_FILES = List.of("iden_split.txt", "meta/iden_split.txt");

  private final Path splitFile;

  /** @param splitFile iden_split.txt; null looks for it in the root and in root/meta */
  public VoxCelebImporter(Path splitFile) {
    this.splitFile = splitFile;
  }

  @Override
  public void collect(Path root, ImportedCorpus corpus) throws IOException {
    Path list = splitFile != null ? splitFile : findSplitFile(root);
    List<Path> audioFolders = AUDIO_FOLDERS.stream().map(root::resolve)
        .filter(Files::isDirectory).toList();
    if (audioFolders.isEmpty()) {
      throw new IOException(root + ": not a VoxCeleb1 folder: none of " + AUDIO_FOLDERS + " exists");
    }
    List<String> lines = Files.readAllLines(list, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] fields = line.split("\\s+");
      String where = list.getFileName() + " line " + (i + 1);
      String[] parts = fields.length == 2 ? fields[1].split("/") : new String[0];
      String split = fields.length == 2 ? switch (fields[0]) {
        case "1" -> "train";
        case "2" -> "dev";
        case "3" -> "test";
        default -> null;
      } : null;
      if (split == null || parts.length != 3) {
        corpus.problem(list, where + ": expected \"1|2|3 idXXXXX/VIDEO/NNNNN.wav\", got \"" + line + "\"");
        continue;
      }
      Path clip = locate(audioFolders, fields[1]);
      if (clip == null) {
        corpus.problem(audioFolders.get(0).resolve(fields[1]),
            "listed in " + where + " but not found under " + audioFolders);
      } else {
        corpus.add(split, clip, parts[0], null, parts[0], "voxceleb1/" + parts[1]);
      }
    }
  }

  private static Path findSplitFile(Path root) throws IOException {
    for (String candidate : SPLIT_FILES) {
      if (Files.isRegularFile(root.resolve(candidate))) {
        return root.resolve(candidate);
      }
    }
    throw new IOException(root + ": no iden_split.txt (looked for " + SPLIT_FILES
        + "); pass its path with --split-file");
  }

  private static Path locate(List<Path> audioFolders, String relative) {
    for (Path folder : audioFolders) {
      Path clip = folder.resolve(relative);
      if (Files.isRegularFile(clip)) {
        return clip;
      }
    }
    return null;
  }
}
