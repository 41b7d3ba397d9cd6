"""Attack head on the semantic encoder: P(jailbreak), P(injection) from the same sentence embedding as the harm head.

  training/py -m diffguard_train.attack_head train  [--run training/runs/semantic] [--data training/.cache/data]
  training/py -m diffguard_train.attack_head export [--run training/runs/semantic] [--model models/semantic/<version>]

Reads the embeddings that `diffguard_train.semantic ids` + `training/scripts/embed-ids.mjs` wrote for the harm head
(E_train.f32, E_val.f32 and the readable flags, in the order of `semantic.example_rows`), so it costs only the
training of a small MLP (about 3 minutes on the 2-core CPU machine). A second opinion next to the byte-level
analyzer and the hashed n-gram head: those read the attack's words, this one what the text is about, and it
generalises differently (measured in docs/benchmarks.md, fourteenth session).

SPEC (must match src/core/semantic/scorer.ts): e = the encoder's L2-normalised 512-d embedding of the normalised text
(as for the harm head, only for texts the encoder reads); h = relu(W1 (10 e) + b1) (256); z = W2 h + b2 (2: jailbreak,
injection); p_k = sigmoid(a_k z_k + b_k). attack.bin: float32-le W1[256][512] row-major, b1[256], W2[2][256] row-major,
b2[2].

Thresholds are a small share of the analyzer's false-positive budget (ATTACK_FPR, on benign validation prompts the
encoder reads, calibration half), never under 0.5: the head is a third vote, and every vote adds its false positives
to the others'.
"""
from __future__ import annotations

import argparse
import collections
import hashlib
import json
import time
from pathlib import Path

import numpy as np

from .lexical import auroc, capped_val, h01, sig
from .semantic import HIDDEN, INPUT_SCALE, example_rows, fit_platt, load_rows, read_f32

REPO = Path(__file__).resolve().parents[2]
CATS = ["jailbreak", "injection"]
ATTACK_FPR = {"strict": 0.01, "balanced": 0.003, "permissive": 0.001}


def example_labels(rows) -> np.ndarray:
    """(jailbreak, injection) per training example of semantic.example_rows; the request alone is no attack."""
    return np.array([[0.0 if request_only or c not in e["cats"] else 1.0 for c in CATS] for e, request_only in example_rows(rows)],
                    dtype=np.float32)


def train_mlp(E: np.ndarray, Y: np.ndarray, epochs: int, seed: int):
    import torch
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    net = torch.nn.Sequential(torch.nn.Linear(512, HIDDEN), torch.nn.ReLU(), torch.nn.Dropout(0.1), torch.nn.Linear(HIDDEN, len(CATS)))
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=1e-4)
    X, Yt = torch.from_numpy(E * INPUT_SCALE), torch.from_numpy(Y)
    npos = Yt.sum(0).clamp(min=1)
    pos_weight = ((len(Yt) - npos) / npos).sqrt()  # half-way to balanced classes
    g = torch.Generator().manual_seed(seed)
    for ep in range(epochs):
        net.train()
        perm = torch.randperm(len(X), generator=g)
        tot = 0.0
        for s in range(0, len(X), 256):
            b = perm[s:s + 256]
            loss = torch.nn.functional.binary_cross_entropy_with_logits(net(X[b]), Yt[b], pos_weight=pos_weight)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += float(loss) * len(b)
        print(f"  epoch {ep + 1}/{epochs}: loss {tot / len(X):.4f}", flush=True)
    net.eval()
    return [net[0].weight.detach().numpy().astype(np.float32), net[0].bias.detach().numpy().astype(np.float32),
            net[3].weight.detach().numpy().astype(np.float32), net[3].bias.detach().numpy().astype(np.float32)]


def logits(params, E: np.ndarray) -> np.ndarray:
    W1, b1, W2, b2 = params
    h = np.maximum(0.0, (np.asarray(E, np.float32) * INPUT_SCALE) @ W1.T + b1)
    return h @ W2.T + b2


def cmd_train(args):
    data, run = Path(args.data), Path(args.run)
    train_rows = load_rows(data, "train")
    Ytr = example_labels(train_rows)
    Etr = read_f32(run / "E_train.f32", len(Ytr))
    keep = np.array(json.loads((run / "readable_train.json").read_text()), dtype=bool)
    if len(keep) != len(Ytr):
        raise SystemExit(f"{run}: {len(keep)} embedded training examples, the data has {len(Ytr)}: run `semantic ids` again")
    t0 = time.time()
    if args.reuse:
        h = np.load(run / "attack.npz")
        params = [h["W1"], h["b1"], h["W2"], h["b2"]]
        print(f"calibrating the weights in {run / 'attack.npz'} again (--reuse)", flush=True)
    else:
        params = train_mlp(Etr[keep], Ytr[keep], args.epochs, args.seed)
        np.savez(run / "attack.npz", W1=params[0], b1=params[1], W2=params[2], b2=params[3])
        print(f"trained on {int(keep.sum())} readable examples in {time.time() - t0:.0f} s", flush=True)
    val_all = load_rows(data, "val")
    Eva = read_f32(run / "E_val.f32", len(val_all))
    readable_all = np.array(json.loads((run / "readable_val.json").read_text()), dtype=bool)
    pos_of = {id(e): i for i, e in enumerate(val_all)}
    val = capped_val(val_all, args.cap)
    sel = [pos_of[id(e)] for e in val]
    Z, readable = logits(params, Eva[sel]), readable_all[sel]
    Y = np.array([[1.0 if c in e["cats"] else 0.0 for c in CATS] for e in val])
    calib = np.array([h01(e["text"] + "#c") < 0.5 for e in val])
    rep = ~calib
    benign = np.array([len(e["cats"]) == 0 for e in val])
    cal, thresholds, P = {}, {p: {} for p in ATTACK_FPR}, np.zeros_like(Z)
    for k, c in enumerate(CATS):
        a, b = fit_platt(Z[calib & readable, k], Y[calib & readable, k])
        cal[c] = {"a": round(a, 6), "b": round(b, 6)}
        P[:, k] = np.where(readable, sig(a * Z[:, k] + b), 0.0)  # the runtime's abstention
        negs = P[calib & benign & readable, k]
        for pol, fpr in ATTACK_FPR.items():
            thresholds[pol][c] = round(float(min(0.999, max(0.5, np.quantile(negs, 1 - fpr) + 1e-6))), 6)
    m = {"split": "validation report half (Platt scaling and thresholds fitted on the other half); abstentions score 0",
         "readable_share": round(float(readable[rep].mean()), 4), "categories": {}}
    for k, c in enumerate(CATS):
        pos, neg = rep & (Y[:, k] == 1), rep & benign
        d = {"n_pos": int(pos.sum()), "n_benign": int(neg.sum()), "auroc": round(auroc(P[pos, k], P[neg, k]), 4),
             "auroc_readable": round(auroc(P[pos & readable, k], P[neg & readable, k]), 4)}
        for pol in ATTACK_FPR:
            f = P[:, k] >= thresholds[pol][c]
            d[pol] = {"recall": round(float(f[pos].mean()), 4), "fpr_benign": round(float(f[neg].mean()), 4)}
        by = collections.defaultdict(list)
        for i, e in enumerate(val):
            if pos[i]:
                by[e["source"]].append(P[i, k] >= thresholds["balanced"][c])
        d["recall_balanced_by_source"] = {s: {"n": len(v), "recall": round(float(np.mean(v)), 4)}
                                          for s, v in sorted(by.items(), key=lambda kv: -len(kv[1]))}
        m["categories"][c] = d
        print(f"{c}: AUROC {d['auroc']} (readable {d['auroc_readable']})  " + "  ".join(
            f"{p}: recall {d[p]['recall']:.1%} fpr {d[p]['fpr_benign']:.2%}" for p in ATTACK_FPR), flush=True)
    res = {"calibration": cal, "thresholds": thresholds, "metrics": m,
           "config": {"hidden": HIDDEN, "input_scale": INPUT_SCALE, "epochs": args.epochs, "seed": args.seed,
                      "optimizer": "AdamW lr 1e-3 wd 1e-4, batch 256, dropout 0.1, pos_weight sqrt(neg/pos)",
                      "attack_fpr": ATTACK_FPR, "examples": int(keep.sum())}}
    (run / "attack.json").write_text(json.dumps(res, indent=1))


def cmd_export(args):
    run = Path(args.run)
    model = Path(args.model) if args.model else REPO / "models" / "semantic" / (REPO / "models/semantic/LATEST").read_text().strip()
    res = json.loads((run / "attack.json").read_text())
    h = np.load(run / "attack.npz")
    params = [h["W1"], h["b1"], h["W2"], h["b2"]]
    blob = b"".join(p.astype("<f4").tobytes() for p in params)
    (model / "attack.bin").write_bytes(blob)
    manifest = json.loads((model / "manifest.json").read_text())
    parity = json.loads((model / "parity.json").read_text(encoding="utf-8"))
    cases = []
    for c in parity["cases"]:
        z = logits(params, np.array([c["embedding"]], dtype=np.float32))[0]
        p = {k: (round(float(sig(res["calibration"][k]["a"] * z[i] + res["calibration"][k]["b"])), 6) if c["readable"] else 0.0)
             for i, k in enumerate(CATS)}
        cases.append({"id": c["id"] if "id" in c else c["text"][:40], **p})
    manifest["files"]["attack.bin"] = {"sha256": hashlib.sha256(blob).hexdigest(), "bytes": len(blob),
                                       "layout": f"float32-le: W1[{HIDDEN}][512] row-major, b1[{HIDDEN}], W2[2][{HIDDEN}] row-major, b2[2]"}
    manifest["attack"] = {"categories": CATS, "hidden": HIDDEN, "input_scale": INPUT_SCALE, "activation": "relu",
                          "calibration": res["calibration"], "thresholds": res["thresholds"], "metrics": res["metrics"],
                          "training": res["config"],
                          "parity": {"source": "parity.json cases' `embedding` (the int8 reference) through the head, in order",
                                     "cases": cases}}
    (model / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    print(f"attack head written into {model} ({len(blob)} bytes)")


def main(argv=None):
    ap = argparse.ArgumentParser(prog="diffguard_train.attack_head")
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train")
    t.add_argument("--data", default=str(REPO / "training/.cache/data"))
    t.add_argument("--run", default=str(REPO / "training/runs/semantic"))
    t.add_argument("--epochs", type=int, default=15)
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--cap", type=int, default=500)
    t.add_argument("--reuse", action="store_true", help="calibrate and measure the weights of the last run again (no training)")
    e = sub.add_parser("export")
    e.add_argument("--run", default=str(REPO / "training/runs/semantic"))
    e.add_argument("--model", default=None, help="models/semantic/<version> (default: LATEST)")
    args = ap.parse_args(argv)
    {"train": cmd_train, "export": cmd_export}[args.cmd](args)


if __name__ == "__main__":
    main()
