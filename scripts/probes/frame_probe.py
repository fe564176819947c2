#!/usr/bin/env python3
"""How much phone information a front end keeps: a 2 x 512 ReLU MLP over 9 frames (+-4) of
per-utterance-normalised features learns frame phone labels of a synth-phones shard (utterances
with phone times; every tenth held out) and prints held-out frame accuracy every 500 steps.

  frame_probe.py SHARD logmel                 64-bin log-mel, 25 ms windows, 20 ms hop
  frame_probe.py SHARD conv MODEL.safetensors the frozen conv feature encoder of an icld model
                                              (group-norm layout, 128 channels; tanh GELU)

A diagnostic for the model card, numpy only; never part of icld's build or tests."""
import json, struct, sys, wave
from pathlib import Path
import numpy as np

PHONES = ("pau aa ae ah ao aw ax axr ay b ch d dh eh er ey f g hh ih iy jh k l m n ng ow oy p r "
          "s sh t th uh uw v w y z zh").split()
INDEX = {p: i for i, p in enumerate(PHONES)}
HOP, WINDOW, RATE = 320, 400, 16000


def log_mel(x):
    n_fft = 512
    mel = lambda f: 1127 * np.log(1 + f / 700)
    edges = np.linspace(mel(20), mel(8000), 66)
    bins = mel(np.arange(n_fft // 2 + 1) * RATE / n_fft)
    bank = np.stack([np.maximum(0, np.minimum((bins - edges[m]) / (edges[m + 1] - edges[m]),
                                              (edges[m + 2] - bins) / (edges[m + 2] - edges[m + 1])))
                     for m in range(64)])
    frames = 1 + (len(x) - WINDOW) // HOP
    windowed = np.stack([x[t * HOP:t * HOP + WINDOW] * np.hanning(WINDOW) for t in range(frames)])
    return np.log(np.abs(np.fft.rfft(windowed, n_fft)) ** 2 @ bank.T + 1e-6)


def conv_encoder(path):
    raw = Path(path).read_bytes()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])

    def tensor(name):
        v = header[name]
        a, b = v["data_offsets"]
        return np.frombuffer(raw[8 + n + a:8 + n + b], dtype=np.float32).reshape(v["shape"])

    weights = [tensor(f"feature_extractor.conv_layers.{i}.conv.weight") for i in range(7)]
    scale = tensor("feature_extractor.conv_layers.0.layer_norm.weight")[:, None]
    shift = tensor("feature_extractor.conv_layers.0.layer_norm.bias")[:, None]
    strides = [5, 2, 2, 2, 2, 2, 2]
    gelu = lambda v: 0.5 * v * (1 + np.tanh(0.7978845608 * (v + 0.044715 * v ** 3)))

    def conv(x, w, s):
        length = (x.shape[1] - w.shape[2]) // s + 1
        taps = np.arange(length)[:, None] * s + np.arange(w.shape[2])[None, :]
        return np.einsum("clk,ock->ol", x[:, taps], w, optimize=True)

    def run(x):
        y = conv((x / 32768)[None, :], weights[0], 5)
        y = (y - y.mean(1, keepdims=True)) / np.sqrt(y.var(1, keepdims=True) + 1e-5) * scale + shift
        y = gelu(y)
        for i in range(1, 7):
            y = gelu(conv(y, weights[i], strides[i]))
        return y.T
    return run


def main():
    shard, kind = Path(sys.argv[1]), sys.argv[2]
    features = log_mel if kind == "logmel" else conv_encoder(sys.argv[3])
    targets = {}
    for line in (shard / "phones.jsonl").read_text().splitlines():
        entry = json.loads(line)
        targets[entry["audio"]] = entry
    xs, ys, groups = [], [], []
    for k, line in enumerate((shard / "train.jsonl").read_text().splitlines()[:1400]):
        entry = json.loads(line)
        target = targets[entry["audio"]]
        if "segments" not in target:
            continue
        with wave.open(str(shard / entry["audio"])) as w:
            x = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float32)
        f = features(x)
        frames = f.shape[0]
        if frames < 10:
            continue
        f = (f - f.mean(0)) / (f.std(0) + 1e-5)
        segments = [(s.split(":")[0], float(s.split(":")[1])) for s in target["segments"].split()]
        labels, j = [], 0
        for t in range(frames):
            centre = (t * HOP + WINDOW / 2) / RATE
            while j < len(segments) and segments[j][1] <= centre:
                j += 1
            labels.append(INDEX[segments[j][0]] if j < len(segments) else 0)
        padded = np.pad(f, ((4, 4), (0, 0)), mode="edge")
        xs.append(np.concatenate([padded[i:i + frames] for i in range(9)], 1))
        ys.append(np.array(labels))
        groups.append(np.full(frames, k))
    x, y, g = np.concatenate(xs).astype(np.float32), np.concatenate(ys), np.concatenate(groups)
    held = g % 10 == 0
    train_x, train_y, test_x, test_y = x[~held], y[~held], x[held], y[held]
    print(f"{kind}: {len(train_x)} training frames, {len(test_x)} held out", flush=True)
    rng = np.random.default_rng(0)
    init = lambda a, b: (rng.standard_normal((a, b)) * np.sqrt(2 / a)).astype(np.float32)
    params = [init(x.shape[1], 512), init(512, 512), init(512, 42),
              np.zeros(512, np.float32), np.zeros(512, np.float32), np.zeros(42, np.float32)]
    first = [np.zeros_like(p) for p in params]
    second = [np.zeros_like(p) for p in params]

    def forward(batch):
        h1 = np.maximum(0, batch @ params[0] + params[3])
        h2 = np.maximum(0, h1 @ params[1] + params[4])
        return h1, h2, h2 @ params[2] + params[5]

    for step in range(1, 3001):
        rows = rng.integers(0, len(train_x), 256)
        batch, labels = train_x[rows], train_y[rows]
        h1, h2, z = forward(batch)
        p = np.exp(z - z.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        p[np.arange(256), labels] -= 1
        d = p / 256
        d2 = (d @ params[2].T) * (h2 > 0)
        d1 = (d2 @ params[1].T) * (h1 > 0)
        grads = [batch.T @ d1, h1.T @ d2, h2.T @ d, d1.sum(0), d2.sum(0), d.sum(0)]
        for i, grad in enumerate(grads):
            first[i] = 0.9 * first[i] + 0.1 * grad
            second[i] = 0.999 * second[i] + 0.001 * grad * grad
            params[i] -= 1e-3 * (first[i] / (1 - 0.9 ** step)) / (
                np.sqrt(second[i] / (1 - 0.999 ** step)) + 1e-8)
        if step % 500 == 0:
            accuracy = np.mean(forward(test_x)[2].argmax(1) == test_y)
            print(f"step {step}: held-out frame accuracy {accuracy:.3f}", flush=True)


if __name__ == "__main__":
    main()
