"""Throughput of the analyzer on whatever accelerator torch sees (used on the lent GPU machine).

  python3 training/scripts/gpu_bench.py RUN_DIR [--out FILE]

Scores batches of 1,000-byte prompts (one window each) in float32 and bfloat16 and prints prompts/s.
onnxruntime-node has no CUDA build here, so this measures the network itself through PyTorch; the
ONNX graph is the same network."""
import argparse
import contextlib
import json
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from diffguard_train.evaluate import load_model  # noqa: E402
from diffguard_train.text import encode_bytes  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("run")
    ap.add_argument("--out")
    a = ap.parse_args()
    model, _ = load_model(Path(a.run))
    dev = next(model.parameters()).device
    text = ("Please summarise the attached quarterly report and list the three main risks. " * 20)[:1000]
    ids1 = encode_bytes(text.encode("utf-8"))
    res = {"device": torch.cuda.get_device_name(0) if dev.type == "cuda" else "cpu", "torch": torch.__version__}
    for dtype in (torch.float32, torch.bfloat16):
        for bs in (1, 64, 512):
            ids = torch.tensor([ids1] * bs, device=dev)
            mask = torch.ones_like(ids)
            amp = contextlib.nullcontext() if dtype == torch.float32 else torch.autocast(dev.type, dtype=dtype)
            with torch.no_grad(), amp:
                for _ in range(3):
                    model(ids, mask)
                if dev.type == "cuda":
                    torch.cuda.synchronize()
                n, t0 = 0, time.perf_counter()
                while time.perf_counter() - t0 < 2.0:
                    model(ids, mask)
                    n += 1
                if dev.type == "cuda":
                    torch.cuda.synchronize()
                dt = time.perf_counter() - t0
            key = f"{str(dtype).split('.')[-1]}_batch{bs}"
            res[key] = {"prompts_per_s": round(n * bs / dt, 1), "ms_per_batch": round(dt / n * 1000, 3)}
            print(key, res[key], flush=True)
    if a.out:
        Path(a.out).write_text(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
