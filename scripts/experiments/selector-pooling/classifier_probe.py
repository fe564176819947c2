#!/usr/bin/env python3
"""Can the selector's network tell the keyword? Trains its shape as a keyword classifier.

The selector (selection.LayerSelector) is Conv1d(80, 64, k=3) + GELU over the front end's log-mel
frames, pooled over the utterance. Here the same conv and pooling, with a linear layer to the
classes instead of to layer logits, learn the kws labels directly (AdamW 3e-3, batch 64, 60
epochs) and are scored on dev: an upper bound on what a selector of that shape can know about the
class. The log-mel frames approximate LogMelFrontEnd with torchaudio (80 HTK mel bins, 25 ms
periodic Hann windows every 20 ms, 512-point power spectrum, log10, scaled by the loudest bin into
[-1, 1] with an 80 dB floor), cut or padded to 50 frames.

Usage: scripts/experiments/selector-pooling/classifier_probe.py build/kws-small [--seeds 0,1]
Needs Debian's python3-torch and python3-torchaudio; analysis only, never run by icld.
"""
import argparse
import json
import time

import torch
import torchaudio

FRAMES = 50


def load(corpus, split, mel):
    frames, labels = [], []
    with open(f"{corpus}/{split}.jsonl") as manifest:
        for line in manifest:
            entry = json.loads(line)
            wave, _ = torchaudio.load(f"{corpus}/{entry['audio']}")
            log_mel = 10 * torch.log10(mel(wave[0]) + 1e-10)
            log_mel = torch.clamp(log_mel - log_mel.max(), min=-80) / 40 + 1
            log_mel = torch.nn.functional.pad(log_mel[:, :FRAMES],
                                              (0, max(0, FRAMES - log_mel.shape[1])), value=-1)
            frames.append(log_mel)
            labels.append(entry["label"])
    return torch.stack(frames), labels


class SelectorShapedClassifier(torch.nn.Module):
    def __init__(self, pooling, classes, hidden=64):
        super().__init__()
        self.pooling = pooling
        self.conv = torch.nn.Conv1d(80, hidden, 3, padding=1)
        self.output = torch.nn.Linear(hidden * (1 if pooling == "mean" else 2), classes)

    def forward(self, x):
        h = torch.nn.functional.gelu(self.conv(x))
        pooled = {"mean": lambda: h.mean(2),
                  "mean+max": lambda: torch.cat([h.mean(2), h.amax(2)], 1),
                  "mean+std": lambda: torch.cat([h.mean(2), h.std(2)], 1)}[self.pooling]()
        return self.output(pooled)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("--seeds", default="0,1")
    parser.add_argument("--epochs", type=int, default=60)
    args = parser.parse_args()
    torch.set_num_threads(2)
    mel = torchaudio.transforms.MelSpectrogram(16000, n_fft=512, win_length=400, hop_length=320,
                                               n_mels=80, mel_scale="htk", center=False)
    train_x, train_labels = load(args.corpus, "train", mel)
    dev_x, dev_labels = load(args.corpus, "dev", mel)
    classes = sorted(set(train_labels))
    train_y = torch.tensor([classes.index(label) for label in train_labels])
    dev_y = torch.tensor([classes.index(label) for label in dev_labels])
    print(f"{args.corpus}: train {len(train_y)}, dev {len(dev_y)}, {len(classes)} classes; "
          f"always the commonest class scores {dev_y.bincount().max().item() / len(dev_y):.3f}")
    print("| pooling | seed | parameters | train accuracy | dev accuracy | seconds |")
    print("|---|---:|---:|---:|---:|---:|")
    for pooling in ["mean", "mean+max", "mean+std"]:
        for seed in [int(s) for s in args.seeds.split(",")]:
            torch.manual_seed(seed)
            model = SelectorShapedClassifier(pooling, len(classes))
            optimiser = torch.optim.AdamW(model.parameters(), 3e-3, weight_decay=1e-2)
            start = time.time()
            for _ in range(args.epochs):
                order = torch.randperm(len(train_y))
                for i in range(0, len(order), 64):
                    batch = order[i:i + 64]
                    loss = torch.nn.functional.cross_entropy(model(train_x[batch]), train_y[batch])
                    optimiser.zero_grad()
                    loss.backward()
                    optimiser.step()
            with torch.no_grad():
                train_accuracy = (model(train_x).argmax(1) == train_y).float().mean().item()
                dev_accuracy = (model(dev_x).argmax(1) == dev_y).float().mean().item()
            parameters = sum(p.numel() for p in model.parameters())
            print(f"| {pooling} | {seed} | {parameters:,} | {train_accuracy:.3f} | "
                  f"{dev_accuracy:.3f} | {time.time() - start:.0f} |", flush=True)


if __name__ == "__main__":
    main()
