"""Throughput of the analyzer on whatever accelerator torch sees (used on the lent GPU machine).

  python3 training/scripts/gpu_bench.py RUN_DIR [--out FILE]

Scores batches of 1,000-byte prompts (one window each) in float32 and bfloat16 and prints prompts/s.
onnxruntime-node has no CUDA build here, so this measures the network itself through PyTorch; the
ONNX graph is the same network."""
import argparse
import json
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from diffguard_train.evaluate import load_model  # noqa: E402
from diffguard_train.text import encode_bytes  # noqa: E402
from diffguard_train.throughput import measure  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("run")
    ap.add_argument("--out")
    a = ap.parse_args()
    model, _ = load_model(Path(a.run))
    dev = next(model.parameters()).device
    text = ("Please summarise the attached quarterly report and list the three main risks. " * 20)[:1000]
    ids1 = encode_bytes(text.encode("utf-8"))
    res = measure(model, lambda bs: (torch.tensor([ids1] * bs, device=dev), torch.ones(bs, len(ids1), dtype=torch.long, device=dev)), dev.type, 2.0)
    if a.out:
        Path(a.out).write_text(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
