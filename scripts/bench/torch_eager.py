#!/usr/bin/python3
"""Times an icld backbone in PyTorch eager through torchaudio, for `icld bench`.

icld bench runs it (never needed to build, test or run icld) with Debian's interpreter:
    OPT_OUT_TRACKING=true OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 scripts/bench/torch_eager.py \
        --model DIR --threads N --warmups W --repeats R --input A.f32 --output A.out.f32 ...
DIR is what dev.icld.model.Checkpoints.save writes: config.json and model.safetensors (F32, F16 or
BF16, bare Hugging Face naming, the positional conv as weight_g/weight_v). Each --input is a raw
little-endian float32 waveform at 16 kHz, run alone (batch 1, no padding, so no attention mask, as
icld runs it). The script builds torchaudio's wav2vec2_model with the same architecture, loads the
same weights, and per input, in order, runs W untimed then R timed full-depth forwards on N
threads; it writes the encoder output [frames, hidden] of each input to its --output (raw
float32) so that icld can check that the same model was timed, and prints one JSON object:
    {"torch": "1.13.1", "torchaudio": "0.13.1", "threads": N, "blas": "/usr/lib/...",
     "reference_blas": false,
     "inputs": [{"samples": S, "frames": T, "hidden": D, "times_ms": [R numbers]}, ...]}
"blas" is the BLAS library torch's matrix products ran on. Debian's python3-torch is built against
the generic libblas.so.3, which is Netlib's unoptimised reference implementation (reference_blas
true, about a GFLOP/s) unless an optimised one such as libopenblas0-pthread is installed as its
alternative; timings on the reference BLAS say nothing about PyTorch's speed.
A model torchaudio cannot express prints {"error": "why"} and exits with status 2.
"""
import argparse
import json
import os
import struct
import sys
import time

import torch
import torchaudio
from torchaudio.models import wav2vec2_model

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}
# Transformers' default layer norm epsilon, which torchaudio's modules use.
TORCHAUDIO_EPS = 1e-5


class Unsupported(Exception):
    """The model cannot be run through torchaudio; the message says why."""


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (header_length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + header_length].decode("utf-8"))
    base = 8 + header_length
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] not in DTYPES:
            raise Unsupported("%s: tensor %s has dtype %s (expected one of %s)"
                              % (path, name, info["dtype"], ", ".join(DTYPES)))
        start, end = info["data_offsets"]
        dtype = DTYPES[info["dtype"]]
        if end > start:
            flat = torch.frombuffer(bytearray(data[base + start:base + end]), dtype=dtype)
        else:
            flat = torch.empty(0, dtype=dtype)
        tensors[name] = flat.reshape(info["shape"]).to(torch.float32)
    return tensors


def build(config):
    """torchaudio's wav2vec2_model for a Hugging Face wav2vec2 / HuBERT config, in eval mode."""
    kind = config.get("model_type")
    if kind not in ("wav2vec2", "hubert"):
        raise Unsupported("model_type %r: torchaudio %s builds wav2vec2 and hubert only"
                          % (kind, torchaudio.__version__))
    for field in ("hidden_act", "feat_extract_activation"):
        if config.get(field, "gelu") != "gelu":
            raise Unsupported("%s %r: torchaudio's model uses gelu" % (field, config[field]))
    layers = list(zip(config["conv_dim"], config["conv_kernel"], config["conv_stride"]))
    model = wav2vec2_model(
        extractor_mode=config.get("feat_extract_norm", "group") + "_norm",
        extractor_conv_layer_config=layers,
        extractor_conv_bias=config.get("conv_bias", False),
        encoder_embed_dim=config["hidden_size"],
        encoder_projection_dropout=0.0,
        encoder_pos_conv_kernel=config["num_conv_pos_embeddings"],
        encoder_pos_conv_groups=config["num_conv_pos_embedding_groups"],
        encoder_num_layers=config["num_hidden_layers"],
        encoder_num_heads=config["num_attention_heads"],
        encoder_attention_dropout=0.0,
        encoder_ff_interm_features=config["intermediate_size"],
        encoder_ff_interm_dropout=0.0,
        encoder_dropout=0.0,
        encoder_layer_norm_first=config.get("do_stable_layer_norm", False),
        encoder_layer_drop=0.0,
        aux_num_out=None,
    )
    if kind == "hubert" and not config.get("feat_proj_layer_norm", True):
        # Such a HuBERT projects the conv features without normalising them first.
        model.encoder.feature_projection.layer_norm = torch.nn.Identity()
    eps = config.get("layer_norm_eps", TORCHAUDIO_EPS)
    # Transformers applies layer_norm_eps to the encoder's norms only; the conv stack keeps 1e-5.
    for module in model.encoder.modules():
        if isinstance(module, torch.nn.LayerNorm):
            module.eps = eps
    return model.eval()


def torchaudio_name(name):
    """A bare Hugging Face parameter name as torchaudio's Wav2Vec2Model names it."""
    if name.startswith("feature_projection."):
        return "encoder." + name
    if name.startswith("encoder."):
        return "encoder.transformer." + name[len("encoder."):]
    return name


def load_weights(model, tensors):
    # masked_spec_embed only replaces masked frames in pretraining; inference never reads it.
    state = {torchaudio_name(k): v for k, v in tensors.items() if k != "masked_spec_embed"}
    result = model.load_state_dict(state, strict=False)
    if result.missing_keys or result.unexpected_keys:
        raise Unsupported("the weights do not fit torchaudio's model: missing %s, unexpected %s"
                          % (result.missing_keys[:5], result.unexpected_keys[:5]))


def blas_library():
    """The BLAS shared library this process loaded for torch's matrix products."""
    torch.ones(8, 8) @ torch.ones(8, 8)
    with open("/proc/self/maps") as f:
        for line in f:
            fields = line.split()
            if len(fields) >= 6 and os.path.basename(fields[5]).startswith(("libblas", "libopenblas")):
                return os.path.realpath(fields[5])
    return "unknown"


def read_waveform(path):
    with open(path, "rb") as f:
        data = bytearray(f.read())
    return torch.frombuffer(data, dtype=torch.float32).reshape(1, -1)


def time_input(model, waveform, warmups, repeats):
    for _ in range(warmups):
        model(waveform)
    times = []
    output = None
    for _ in range(repeats):
        start = time.perf_counter()
        output, _ = model(waveform)
        times.append((time.perf_counter() - start) * 1000.0)
    return output[0], times


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--warmups", type=int, required=True)
    parser.add_argument("--repeats", type=int, required=True)
    parser.add_argument("--input", action="append", required=True)
    parser.add_argument("--output", action="append", required=True)
    args = parser.parse_args()
    if len(args.input) != len(args.output) or args.repeats < 1 or args.warmups < 0:
        parser.error("need one --output per --input, --repeats >= 1 and --warmups >= 0")
    torch.set_num_threads(args.threads)
    try:
        with open(args.model + "/config.json") as f:
            config = json.load(f)
        model = build(config)
        load_weights(model, read_safetensors(args.model + "/model.safetensors"))
    except Unsupported as e:
        print(json.dumps({"error": str(e)}))
        return 2
    inputs = []
    with torch.inference_mode():
        for source, target in zip(args.input, args.output):
            waveform = read_waveform(source)
            output, times = time_input(model, waveform, args.warmups, args.repeats)
            with open(target, "wb") as f:
                f.write(output.contiguous().numpy().astype("<f4").tobytes())
            inputs.append({"samples": waveform.shape[1], "frames": output.shape[0],
                           "hidden": output.shape[1], "times_ms": times})
    blas = blas_library()
    print(json.dumps({"torch": torch.__version__, "torchaudio": torchaudio.__version__,
                      "threads": torch.get_num_threads(), "blas": blas,
                      "reference_blas": "/blas/libblas.so" in blas, "inputs": inputs}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
