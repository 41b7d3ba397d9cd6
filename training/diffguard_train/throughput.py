"""Prompts per second of a network on whatever device torch sees, in float32 and bfloat16 at batch 1, 64
and 512 (used on the lent GPU machine by training/scripts/gpu_bench.py and `semantic_ft bench`)."""
from __future__ import annotations

import contextlib
import time
from typing import Callable


def measure(model: Callable, make_inputs: Callable[[int], tuple], device: str, seconds: float) -> dict:
    """{"device", "torch", "<dtype>_batch<n>": {"prompts_per_s", "ms_per_batch"}}: 3 warm-up calls, then
    as many as fit in `seconds`, per setting."""
    import torch
    res = {"device": torch.cuda.get_device_name(0) if device == "cuda" else "cpu", "torch": torch.__version__}
    for dtype in (torch.float32, torch.bfloat16):
        for bs in (1, 64, 512):
            inputs = make_inputs(bs)
            amp = contextlib.nullcontext() if dtype == torch.float32 else torch.autocast(device, dtype=dtype)
            with torch.no_grad(), amp:
                for _ in range(3):
                    model(*inputs)
                if device == "cuda":
                    torch.cuda.synchronize()
                n, t0 = 0, time.perf_counter()
                while time.perf_counter() - t0 < seconds:
                    model(*inputs)
                    n += 1
                if device == "cuda":
                    torch.cuda.synchronize()
                dt = time.perf_counter() - t0
            key = f"{str(dtype).split('.')[-1]}_batch{bs}"
            res[key] = {"prompts_per_s": round(n * bs / dt, 1), "ms_per_batch": round(dt / n * 1000, 3)}
            print(key, res[key], flush=True)
    return res
