"""int8 weights for the shipped ONNX models, and the analyzer's int8 run (one command):

  training/py -m diffguard_train.int8 --run training/runs/gB --out training/runs/gB-int8

Weights: symmetric, one scale per output column, WEIGHT_BITS bits. 7 bits, not 8: x86 CPUs without VNNI
multiply uint8 x int8 pairs into saturating int16 sums (255 * 127 * 2 overflows), 255 * 63 * 2 does not.

Activations, two ways:
- dynamic (the semantic encoder): ONNX DynamicQuantizeLinear, one uint8 scale and zero point over the
  whole input tensor of a run. A text's result then depends on the other texts in its batch, so that
  encoder embeds one text per run.
- static (the analyzer): one uint8 scale and zero point per MatMul, fixed at export from the range its
  input took on calibration windows from the training split (`calibrate`). Results do not depend on the
  batch, so the analyzer keeps batching windows of many texts. An input outside the calibrated range
  saturates at its end.

The analyzer's int8 run is a run folder like any other (model.pt, config.json) plus int8.json (the ranges):
`evaluate` and `export` read it through `evaluate.load_model`, which swaps the quantised Linear layers for
`StaticQuantLinear`, an exact emulation of the int8 graph (integer products in float64). So temperatures,
thresholds and the reported metrics are fitted and measured on the int8 model's own outputs, and the
parity cases are the int8 graph's outputs. Only the transformer blocks' four matrices are quantised
(measured, one core: they are ~37% of the float32 analyzer's time); the convolutions and the small heads
stay float32."""
from __future__ import annotations

import argparse
import copy
import hashlib
import json
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn

WEIGHT_BITS = 7
#: Linear layers of the analyzer that the int8 graph quantises (module-name suffixes inside each block).
ANALYZER_QUANTISED = ("qkv", "proj", "ff1", "ff2")


def quantize_weight(W: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """W [K, N] float32 -> (int8 [K, N], float32 scale [N]): symmetric, one scale per output column."""
    qmax = 2 ** (WEIGHT_BITS - 1) - 1
    s = (np.abs(W).max(0) / qmax).astype(np.float32)
    s[s == 0] = 1.0
    return np.clip(np.rint(W / s), -qmax, qmax).astype(np.int8), s


def activation_qparams(lo: float, hi: float) -> tuple[np.float32, np.uint8]:
    """uint8 scale and zero point for activations in [lo, hi] (the range widened to hold 0, as
    DynamicQuantizeLinear does)."""
    lo, hi = min(0.0, float(lo)), max(0.0, float(hi))
    scale = np.float32((np.float32(hi) - np.float32(lo)) / np.float32(255.0))
    if scale == 0:
        scale = np.float32(1.0)
    zp = np.uint8(np.clip(np.rint(-np.float32(lo) / scale), 0, 255))
    return scale, zp


class StaticQuantLinear(nn.Module):
    """A Linear layer computed exactly as the static int8 graph computes it: QuantizeLinear (x / scale,
    round half to even, + zero point, saturate to uint8) -> MatMulInteger with the int8 weights ->
    Cast -> Mul by scale * weight scale -> Add bias. `lin` keeps the float32 layer for export."""

    def __init__(self, lin: nn.Linear, lo: float, hi: float):
        super().__init__()
        self.lin = lin
        self.lo, self.hi = float(lo), float(hi)
        scale, zp = activation_qparams(lo, hi)
        Wq, ws = quantize_weight(lin.weight.detach().cpu().numpy().T.astype(np.float32))
        self.register_buffer("a_scale", torch.tensor(scale, dtype=torch.float32))
        self.register_buffer("a_zp", torch.tensor(float(zp), dtype=torch.float32))
        self.register_buffer("Wq", torch.from_numpy(Wq.astype(np.float64)))
        self.register_buffer("S", torch.from_numpy((scale * ws).astype(np.float32)))

    def forward(self, x):
        q = torch.clamp(torch.round(x.float() / self.a_scale) + self.a_zp, 0, 255)  # as MLAS: divide, round half to even
        acc = torch.matmul((q - self.a_zp).double(), self.Wq)  # exact: |acc| < 255 * 63 * K, far inside 2^53
        y = acc.float() * self.S
        return y + self.lin.bias if self.lin.bias is not None else y


def quantised_linears(model: nn.Module) -> list[tuple[str, nn.Linear]]:
    """The analyzer's Linear layers that the int8 graph quantises, by module name (blocks.<i>.<name>)."""
    return [(n, m) for n, m in model.named_modules()
            if isinstance(m, nn.Linear) and n.startswith("blocks.") and n.rsplit(".", 1)[-1] in ANALYZER_QUANTISED]


def apply_static(model: nn.Module, ranges: dict[str, list[float]]) -> nn.Module:
    """Swaps the calibrated Linear layers of `model` (in place) for their int8 emulation."""
    for name, lin in quantised_linears(model):
        parent = model.get_submodule(name.rsplit(".", 1)[0])
        lo, hi = ranges[name]
        setattr(parent, name.rsplit(".", 1)[-1], StaticQuantLinear(lin, lo, hi))
    model.int8_ranges = dict(ranges)
    return model


def float_twin(model: nn.Module) -> nn.Module:
    """A copy of an int8-emulating model with its float32 Linear layers back (what is exported to ONNX
    before the graph is quantised)."""
    twin = copy.deepcopy(model)
    for name, mod in list(twin.named_modules()):
        if isinstance(mod, StaticQuantLinear):
            parent = twin.get_submodule(name.rsplit(".", 1)[0]) if "." in name else twin
            setattr(parent, name.rsplit(".", 1)[-1], mod.lin)
    if hasattr(twin, "int8_ranges"):
        del twin.int8_ranges
    return twin


@torch.no_grad()
def calibrate(model: nn.Module, id_windows: list[list[int]], batch_bytes: int = 16000) -> dict[str, list[float]]:
    """Min and max of each quantised layer's input over real (unpadded) positions of `id_windows`."""
    from .text import PAD_ID
    ranges: dict[str, list[float]] = {}
    current_mask: list[torch.Tensor] = []

    def hook(name):
        def fn(_mod, inp):
            x = inp[0]
            m = current_mask[0]
            if x.shape[1] != m.shape[1]:  # the transformer runs at 1/4 of the byte positions
                m = m[:, ::4][:, : x.shape[1]]
            v = x[m > 0]
            if v.numel() == 0:
                return
            lo, hi = float(v.min()), float(v.max())
            r = ranges.setdefault(name, [lo, hi])
            r[0], r[1] = min(r[0], lo), max(r[1], hi)
        return fn

    handles = [lin.register_forward_pre_hook(hook(n)) for n, lin in quantised_linears(model)]
    try:
        order = sorted(range(len(id_windows)), key=lambda i: len(id_windows[i]))
        i = 0
        while i < len(order):
            j = i
            while j < len(order) and len(id_windows[order[j]]) * (j - i + 1) <= batch_bytes:
                j += 1
            j = max(j, i + 1)
            chunk = [id_windows[k] for k in order[i:j]]
            L = max(len(w) for w in chunk)
            ids = torch.tensor([w + [PAD_ID] * (L - len(w)) for w in chunk])
            mask = (ids != PAD_ID).long()
            current_mask[:] = [mask]
            model(ids, mask)
            i = j
    finally:
        for h in handles:
            h.remove()
    return {k: [round(v[0], 6), round(v[1], 6)] for k, v in sorted(ranges.items())}


def quantize_graph(src: Path, dst: Path, static: dict[str, tuple[np.float32, np.uint8]] | None = None) -> int:
    """Rewrites MatMuls by a constant 2-D weight in a float32 ONNX graph as int8 products.

    static None: every such MatMul, DynamicQuantizeLinear -> MatMulInteger -> Cast -> Mul(a_scale * w_scale),
    the pattern onnxruntime fuses into one DynamicQuantizeMatMul kernel.
    static {node name: (scale, zero point)}: only those MatMuls, QuantizeLinear with the fixed scale and zero
    point -> onnxruntime's MatMulIntegerToFloat (com.microsoft: integer product, scales and the bias Add that
    followed the MatMul in one kernel; as separate MatMulInteger -> Cast -> Mul -> Add nodes, onnxruntime
    does not fuse the static pattern and the analyzer ran ~10% slower).
    Returns how many MatMuls were rewritten."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    m = onnx.load(str(src))
    g = m.graph
    inits = {i.name: i for i in g.initializer}
    nodes, replaced, added, done, fused_adds = [], set(), [], set(), set()
    consumers: dict[str, list] = {}
    for n in g.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    for n in g.node:
        if id(n) in fused_adds:
            continue
        w = inits.get(n.input[1]) if n.op_type == "MatMul" and len(n.input) == 2 else None
        if w is None or len(w.dims) != 2 or (static is not None and n.name not in static):
            nodes.append(n)
            continue
        Wq, s = quantize_weight(numpy_helper.to_array(w).astype(np.float32))
        p = (n.name or n.output[0]).strip("/").replace("/", "_")
        w_zp = numpy_helper.from_array(np.array(0, dtype=np.int8), p + "_Wzp")
        if static is None:
            added += [numpy_helper.from_array(Wq, p + "_Wq"), numpy_helper.from_array(s, p + "_Ws"), w_zp]
            nodes += [
                helper.make_node("DynamicQuantizeLinear", [n.input[0]], [p + "_Aq", p + "_As", p + "_Azp"], name=p + "_dql"),
                helper.make_node("MatMulInteger", [p + "_Aq", p + "_Wq", p + "_Azp", p + "_Wzp"], [p + "_Yi"], name=p + "_mmi"),
                helper.make_node("Cast", [p + "_Yi"], [p + "_Yc"], to=TensorProto.FLOAT, name=p + "_cast"),
                helper.make_node("Mul", [p + "_As", p + "_Ws"], [p + "_S"], name=p + "_scale"),
                helper.make_node("Mul", [p + "_Yc", p + "_S"], [n.output[0]], name=p + "_mul"),
            ]
        else:
            a_scale, a_zp = static[n.name]
            added += [numpy_helper.from_array(Wq, p + "_Wq"), w_zp, numpy_helper.from_array(s, p + "_Ws"),
                      numpy_helper.from_array(np.array(a_scale, dtype=np.float32), p + "_As"),
                      numpy_helper.from_array(np.array(a_zp, dtype=np.uint8), p + "_Azp")]
            # The bias Add that follows the MatMul goes into the kernel when it is the MatMul's only reader.
            add = consumers.get(n.output[0], [])
            bias = None
            if len(add) == 1 and add[0].op_type == "Add":
                other = [i for i in add[0].input if i != n.output[0]]
                b = inits.get(other[0]) if len(other) == 1 else None
                if b is not None and list(b.dims) == [Wq.shape[1]]:
                    bias, out = b.name, add[0].output[0]
                    fused_adds.add(id(add[0]))
            ins = [p + "_Aq", p + "_Wq", p + "_As", p + "_Ws", p + "_Azp", p + "_Wzp"] + ([bias] if bias else [])
            nodes += [
                helper.make_node("QuantizeLinear", [n.input[0], p + "_As", p + "_Azp"], [p + "_Aq"], name=p + "_ql"),
                helper.make_node("MatMulIntegerToFloat", ins, [out if bias else n.output[0]], name=p + "_mmf",
                                 domain="com.microsoft"),
            ]
        done.add(n.name)
        replaced.add(w.name)
    if static is not None and set(static) - done:
        raise ValueError(f"MatMuls not found in {src}: {sorted(set(static) - done)}")
    # An initializer another node still reads stays.
    still = {i for n in nodes for i in n.input}
    keep = [i for i in g.initializer if i.name not in replaced or i.name in still] + added
    del g.initializer[:]
    g.initializer.extend(keep)
    del g.node[:]
    g.node.extend(nodes)
    if static is not None and not any(o.domain == "com.microsoft" for o in m.opset_import):
        m.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    onnx.checker.check_model(m)
    onnx.save(m, str(dst))
    return len(done)


def onnx_node_name(module_name: str) -> str:
    """blocks.0.qkv -> /m/blocks.0/qkv/MatMul, the name torch.onnx.export gives the layer's MatMul
    (export.py wraps the analyzer in a module attribute `m`)."""
    head, last = module_name.rsplit(".", 1)
    return f"/m/{head}/{last}/MatMul"


def quantize_analyzer_graph(src: Path, dst: Path, ranges: dict[str, list[float]]) -> int:
    """The float32 analyzer graph -> its static int8 graph for the calibrated `ranges`."""
    return quantize_graph(src, dst, {onnx_node_name(k): activation_qparams(*v) for k, v in ranges.items()})


def calibration_windows(data: Path, n_texts: int, max_len: int, stride: int) -> tuple[list[list[int]], dict]:
    """Windows of `n_texts` training texts picked by a hash of the text (every kind of example, as the
    split holds them), tokenised as the runtime does."""
    from .text import encode_bytes, normalize_model_input, windows
    rows = [json.loads(l) for l in open(data / "train.jsonl", encoding="utf-8")]
    key = lambda e: hashlib.md5(("int8#" + e["text"]).encode("utf-8")).hexdigest()
    rows.sort(key=key)
    picked = rows[:n_texts]
    wins = []
    for e in picked:
        b = normalize_model_input(e["text"]).encode("utf-8")
        wins += [encode_bytes(w) for _, w in windows(b, max_len, stride)]
    kinds: dict[str, int] = {}
    for e in picked:
        kinds[e["kind"]] = kinds.get(e["kind"], 0) + 1
    return wins, {"texts": len(picked), "windows": len(wins), "by_kind": dict(sorted(kinds.items()))}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", required=True, help="a trained run folder (model.pt)")
    ap.add_argument("--out", required=True, help="the int8 run folder to write (model.pt copied, int8.json)")
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "training" / ".cache" / "data"))
    ap.add_argument("--texts", type=int, default=4000, help="training texts whose windows calibrate the ranges")
    args = ap.parse_args(argv)
    torch.manual_seed(0)
    torch.set_num_threads(2)
    from .evaluate import load_model
    run, out = Path(args.run), Path(args.out)
    model, _ = load_model(run)
    model.to("cpu")
    t0 = time.time()
    wins, info = calibration_windows(Path(args.data), args.texts, model.cfg.max_len, model.cfg.stride)
    ranges = calibrate(model, wins)
    out.mkdir(parents=True, exist_ok=True)
    for f in ("model.pt", "config.json", "latency.json"):
        if (run / f).exists():
            shutil.copyfile(run / f, out / f)
    (out / "int8.json").write_text(json.dumps({
        "from_run": run.name, "weight_bits": WEIGHT_BITS, "activations": "static uint8, one range per layer",
        "layers": ANALYZER_QUANTISED, "calibration": info, "ranges": ranges}, indent=1) + "\n")
    print(f"calibrated {len(ranges)} layers on {info['windows']} windows of {info['texts']} training texts "
          f"in {time.time() - t0:.0f} s -> {out}/int8.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
