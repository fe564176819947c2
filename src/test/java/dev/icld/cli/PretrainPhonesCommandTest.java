package dev.icld.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.icld.data.CharacterVocabulary;
import dev.icld.data.synth.NeedsSystemTools;
import dev.icld.data.synth.SynthTask;
import dev.icld.model.Checkpoints;
import dev.icld.model.FoundationModel;
import dev.icld.model.io.SafeTensors;
import dev.icld.model.io.TensorData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pretraining corpus and {@code icld pretrain-phones} at tiny scale: a shard with phone
 * targets for every utterance, then both stages, a loadable pre-LN model, and a rerun that resumes
 * instead of training again.
 */
class PretrainPhonesCommandTest {
  @TempDir Path temp;

  @Test
  @NeedsSystemTools(tasks = {SynthTask.ASR, SynthTask.KWS}, files = {
      "/usr/share/festival/voices/italian/pc_diphone",
      "/usr/share/festival/voices/italian/lp_diphone",
      "/usr/share/festival/voices/finnish/hy_fi_mv_diphone",
      "/usr/share/festival/voices/finnish/suo_fi_lj_diphone"})
  void otherLanguagesVoicesGiveTimedCmuPhones() throws Exception {
    Path shard = temp.resolve("other-languages");
    CliRun.Result r = CliRun.run("synth-phones", "--out", shard.toString(), "--shard", "18",
        "--utterances", "12", "--jobs", "2", "--other-languages", "1");
    assertEquals(0, r.code(), r.err());
    List<String> phones = Files.readAllLines(shard.resolve("phones.jsonl"));
    assertEquals(12, phones.size());
    assertTrue(phones.stream().allMatch(l -> l.contains("\"segments\"")), "festival times");
    String speakers = Files.readString(shard.resolve("train.jsonl"))
        + Files.readString(shard.resolve("dev.jsonl"));
    assertTrue(speakers.contains("\"speaker\":\"festival-it-")
        || speakers.contains("\"speaker\":\"festival-fi-"), speakers);
    assertTrue(!speakers.contains("espeak-") && !speakers.contains("flite-"), speakers);
  }

  @Test
  @NeedsSystemTools(tasks = {SynthTask.ASR, SynthTask.KWS})
  void buildsAShardAndPretrainsOnItsPhones() throws Exception {
    Path shard = temp.resolve("shard");
    CliRun.Result r = CliRun.run("synth-phones", "--out", shard.toString(), "--shard", "3",
        "--utterances", "16", "--jobs", "2");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("16 utterances"), r.out());
    List<String> phones = Files.readAllLines(shard.resolve("phones.jsonl"));
    assertEquals(16, phones.size());
    assertEquals(16, Files.readAllLines(shard.resolve("train.jsonl")).size()
        + Files.readAllLines(shard.resolve("dev.jsonl")).size());
    assertTrue(phones.stream().anyMatch(l -> l.contains("\"segments\"")), "flite/festival times");
    assertTrue(phones.stream().anyMatch(l -> l.contains("\"phones\"")), "espeak-ng sequences");
    assertTrue(Files.readString(shard.resolve("train.jsonl")).contains("\"speaker\":\"espeak-"));

    Path out = temp.resolve("model");
    String[] args = {"pretrain-phones", "--data", shard.toString(), "--out", out.toString(),
        "--hidden", "32", "--layers", "2", "--heads", "2", "--conv-channels", "16",
        "--supervised-layers", "1,2", "--layer-weights", "0.5,1", "--front-end-steps", "2",
        "--max-steps", "2", "--batch-seconds", "8"};
    r = CliRun.run(args);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("stage 1: the conv front end learns log-mel"), r.out());
    assertTrue(r.out().contains("stage 2: masked phone prediction at layers [1, 2]"), r.out());
    try (FoundationModel model = Checkpoints.load(out)) {
      assertEquals(2, model.layerCount());
      assertTrue(model.config().doStableLayerNorm());
    }
    assertTrue(SafeTensors.read(out.resolve("training/phone_heads.safetensors"))
        .containsKey("phone_ctc_head.weight"));
    String log = Files.readString(out.resolve("PRETRAINING.md"));
    assertTrue(log.contains("ctc_loss_layer_1"), log);
    byte[] weights = Files.readAllBytes(out.resolve("model.safetensors"));

    r = CliRun.run(args);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("resuming"), r.out());
    assertTrue(java.util.Arrays.equals(weights, Files.readAllBytes(out.resolve("model.safetensors"))),
        "a finished run rerun gives the same model");

    // A continuation that trains the conv front end too: its weights move, the heads continue.
    Path second = temp.resolve("second");
    r = CliRun.run("pretrain-phones", "--data", shard.toString(), "--out", second.toString(),
        "--init", out.toString(), "--layers", "2", "--supervised-layers", "1,2",
        "--layer-weights", "0.5,1", "--max-steps", "2", "--batch-seconds", "8",
        "--front-end-gradient-scale", "0.5", "--lr", "1e-3");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("phone heads: continued from"), r.out());
    assertTrue(Files.readString(second.resolve("PRETRAINING.md"))
        .contains("conv front end trained, gradient x 0.50"));
    String conv = "feature_extractor.conv_layers.1.conv.weight";
    assertTrue(!java.util.Arrays.equals(SafeTensors.read(out.resolve("model.safetensors")).get(conv)
        .values(), SafeTensors.read(second.resolve("model.safetensors")).get(conv).values()),
        "the front end trained");

    // Characters too: the phone heads continue, the character head starts, and dev reports how
    // well the top layer spells.
    Path spelling = temp.resolve("spelling");
    r = CliRun.run("pretrain-phones", "--data", shard.toString(), "--out", spelling.toString(),
        "--init", out.toString(), "--layers", "2", "--supervised-layers", "1,2",
        "--layer-weights", "0.5,1", "--max-steps", "2", "--batch-seconds", "8",
        "--character-weight", "0.5");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("and characters (weight 0.5)"), r.out());
    Map<String, TensorData> heads =
        SafeTensors.read(spelling.resolve("training").resolve("phone_heads.safetensors"));
    assertArrayEquals(new long[] {CharacterVocabulary.SIZE, 32},
        heads.get("character_ctc_head.weight").shape());
    assertTrue(heads.containsKey("phone_ctc_head.weight"));
    String spellingLog = Files.readString(spelling.resolve("training").resolve("phones")
        .resolve("metrics.jsonl"));
    assertTrue(spellingLog.contains("character_ctc_loss")
        && spellingLog.contains("character_error_rate"), spellingLog);
    assertTrue(Files.readString(spelling.resolve("PRETRAINING.md"))
        .contains("the transcript's characters by CTC, weight 0.50"));

    // WavLM's layout with its utterance mixing, on the log-mel front end.
    Path wavlm = temp.resolve("wavlm");
    r = CliRun.run("pretrain-phones", "--data", shard.toString(), "--out", wavlm.toString(),
        "--model-type", "wavlm", "--mix-prob", "0.5", "--front-end", "log_mel", "--hidden", "32",
        "--layers", "2", "--heads", "2", "--supervised-layers", "1,2", "--layer-weights", "0.5,1",
        "--max-steps", "2", "--batch-seconds", "8");
    assertEquals(0, r.code(), r.err());
    try (FoundationModel model = Checkpoints.load(wavlm)) {
      assertEquals(dev.icld.model.ModelType.WAVLM, model.config().modelType());
      assertTrue(model.config().logMelFrontEnd());
    }
    assertTrue(SafeTensors.read(wavlm.resolve("model.safetensors")).keySet().stream()
        .anyMatch(k -> k.contains("rel_attn_embed")), "WavLM's relative position bias");
    assertTrue(Files.readString(wavlm.resolve("PRETRAINING.md"))
        .contains("utterance mixing p=0.50"));
  }

  @Test
  void refusesALayoutItCannotPretrain() {
    CliRun.Result r = CliRun.run("pretrain-phones", "--data", temp.toString(), "--out",
        temp.resolve("m").toString(), "--max-steps", "2", "--model-type", "wav2vec2");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("expected hubert or wavlm, got wav2vec2"), r.err());
    r = CliRun.run("pretrain-phones", "--data", temp.toString(), "--out",
        temp.resolve("m").toString(), "--max-steps", "2", "--mix-prob", "1.5");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("--mix-prob must be in [0, 1], got 1.5"), r.err());
  }

  @Test
  void refusesANegativeCharacterWeight() {
    CliRun.Result r = CliRun.run("pretrain-phones", "--data", temp.toString(), "--out",
        temp.resolve("m").toString(), "--max-steps", "2", "--character-weight", "-1");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("--character-weight must be at least 0, got -1.0"), r.err());
  }

  @Test
  void supervisedLayersMustEndAtTheTop() {
    CliRun.Result r = CliRun.run("pretrain-phones", "--data", temp.toString(), "--out",
        temp.resolve("m").toString(), "--max-steps", "2", "--supervised-layers", "4,8");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("--supervised-layers must end with the top layer (12)"), r.err());
  }
}
