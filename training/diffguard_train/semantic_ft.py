"""Fine-tuning the semantic head's encoder (Universal Sentence Encoder lite) end to end on P(harmful).

The frozen encoder's embedding separates harmful requests from benign ones only as far as its
pretraining happened to: "how do I make a pipe bomb" and "how do I make a bath bomb" land close. Fine-
tuning all of its weights together with the head moves those apart. It needs a GPU in practice (a few
seconds an epoch on one H100; days on the 2-core CPU machine with Debian's reference-BLAS PyTorch), so
the pipeline is split in three steps and only the middle one wants the GPU:

  training/py -m diffguard_train.semantic_ft pack    [--run training/runs/semantic] [--out training/runs/semantic-ft]
      CPU. Packs the tokenised examples written by `semantic ids` (readable ones only), the validation
      rows' labels and halves, and the converted encoder's initial weights into OUT (about 45 MB).
  python3 -m diffguard_train.semantic_ft finetune --pack DIR --out DIR [--lrs 1e-5,3e-5,1e-4] [--epochs 3]
      GPU if present. For each learning rate (0 = frozen encoder, the baseline), trains encoder + head,
      scores the validation calibration half after each epoch, and keeps the weights with the best
      harmful recall at the balanced false-positive rates (1% ordinary benign, 1.5% look-alikes) on that
      half. Writes the kept encoder weights, split in files under 16 MB, and finetune.json (every
      configuration's metrics on both halves; the report half is never used for choosing).
  training/py -m diffguard_train.semantic_ft import --weights DIR [--out training/runs/semantic-encoder-ft]
      CPU. Loads the kept weights into the encoder and writes an encoder folder like `semantic convert`
      does (encoder.onnx, vocab.json, parity.json, convert.json), which `npm run train:semantic` then
      uses with ENC=that folder: the head is retrained on the fine-tuned embeddings and calibrated there.

Deterministic for a given seed on a given device (cuDNN is not used; the matmuls are deterministic).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from .semantic import HIDDEN, INPUT_SCALE, RESERVED, Tokenizer, build_encoder, encoder_module, export_encoder, load_rows, load_tfjs
from .lexical import auroc
from .thresholds import FPR_LOOKALIKE, FPR_ORDINARY, lookalike_mask

REPO = Path(__file__).resolve().parents[2]
GROUPS = ("emb", "l0", "l1", "top")  # weight files: each stays under 16 MB


def pack_ids(id_lists) -> tuple[np.ndarray, np.ndarray]:
    off = np.zeros(len(id_lists) + 1, dtype=np.int64)
    off[1:] = np.cumsum([len(i) for i in id_lists])
    flat = np.fromiter((t for ids in id_lists for t in ids), dtype=np.int16, count=int(off[-1]))
    return flat, off


def cmd_pack(args):
    import torch
    from .lexical import capped_val, h01
    run, out = Path(args.run), Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    ids = json.loads((run / "ids_train.json").read_text())
    y = np.array(json.loads((run / "y_train.json").read_text()), dtype=np.float32)
    keep = np.array(json.loads((run / "readable_train.json").read_text()), dtype=bool)
    tr_flat, tr_off = pack_ids([i for i, k in zip(ids, keep) if k])
    val = load_rows(Path(args.data), "val")
    vids = json.loads((run / "ids_val.json").read_text())
    readable = np.array(json.loads((run / "readable_val.json").read_text()), dtype=bool)
    assert len(vids) == len(val), "ids_val.json does not match val.jsonl: rerun `semantic ids`"
    chosen = {id(e) for e in capped_val(val, args.cap)}
    sel = np.array([id(e) in chosen for e in val])
    va_flat, va_off = pack_ids(vids)
    np.savez(out / "pack.npz", train_flat=tr_flat, train_off=tr_off, train_y=y[keep],
             val_flat=va_flat, val_off=va_off, val_readable=readable, val_sel=sel,
             val_y=np.array([1.0 if "harmful" in e["cats"] else 0.0 for e in val], dtype=np.float32),
             val_benign=np.array([len(e["cats"]) == 0 for e in val]),
             val_look=lookalike_mask([e["source"] for e in val]),
             val_calib=np.array([h01(e["text"] + "#c") < 0.5 for e in val]))
    model = build_encoder(load_tfjs(Path(args.source)))
    save_weights(model, out / "init")
    print(f"packed {int(keep.sum())} readable training examples ({len(tr_flat)} tokens) and {len(val)} validation rows into {out}")


def save_weights(model, d: Path):
    import torch
    d.mkdir(parents=True, exist_ok=True)
    sd = model.state_dict()
    for g in GROUPS:
        torch.save({k: v.detach().cpu().clone() for k, v in sd.items() if group_of(k) == g}, d / f"{g}.pt")


def group_of(key: str) -> str:
    top = key.split(".")[0]
    return "emb" if top == "inv" else top


def load_weights(model, d: Path):
    import torch
    sd = {}
    for g in GROUPS:
        sd.update(torch.load(d / f"{g}.pt", map_location="cpu"))
    model.load_state_dict(sd)
    return model


def batches(flat, off, idx, bs, device):
    import torch
    for s in range(0, len(idx), bs):
        b = idx[s:s + bs]
        lens = off[b + 1] - off[b]
        T = int(lens.max())
        X = np.zeros((len(b), T), dtype=np.int64)
        M = np.zeros((len(b), T), dtype=np.float32)
        for j, i in enumerate(b):
            X[j, :lens[j]] = flat[off[i]:off[i + 1]]
            M[j, :lens[j]] = 1
        yield b, torch.from_numpy(X).to(device), torch.from_numpy(M).to(device)


def recall_at_budget(p, y, benign, look, pol="balanced"):
    """Harmful recall at the threshold that keeps both benign false-positive rates of a policy."""
    t = max(np.quantile(p[benign & ~look], 1 - FPR_ORDINARY[pol]), np.quantile(p[benign & look], 1 - FPR_LOOKALIKE[pol]))
    f = p > t
    return float(f[y == 1].mean()), float(t)


def cmd_finetune(args):
    import torch
    torch.backends.cuda.matmul.allow_tf32 = False  # what ONNX Runtime on CPU will compute: fp32
    device = "cuda" if torch.cuda.is_available() else "cpu"
    P = np.load(Path(args.pack) / "pack.npz")
    tr_flat, tr_off, tr_y = P["train_flat"].astype(np.int64), P["train_off"], P["train_y"]
    va_flat, va_off = P["val_flat"].astype(np.int64), P["val_off"]
    m = P["val_sel"] & P["val_readable"]
    vidx = np.nonzero(m)[0]
    if args.limit:  # smoke tests: a slice of the training examples and of the validation rows
        tr_off, tr_y = tr_off[:args.limit + 1], tr_y[:args.limit]
        vidx = np.random.default_rng(0).permutation(vidx)[:args.limit]
    vy, vben, vlook, vcal = P["val_y"][vidx], P["val_benign"][vidx], P["val_look"][vidx], P["val_calib"][vidx]
    # Validation rows sorted by length: fewer padded tokens per batch.
    vorder = vidx[np.argsort(va_off[vidx + 1] - va_off[vidx], kind="stable")]
    pos_in = {int(i): k for k, i in enumerate(vidx)}
    print(f"device {device} ({torch.cuda.get_device_name(0) if device == 'cuda' else 'cpu'}); {len(tr_y)} training examples "
          f"({tr_y.mean():.1%} harmful), {len(vidx)} readable validation rows", flush=True)

    def evaluate(enc, head):
        enc.eval()
        head.eval()
        out = np.zeros(len(vidx), dtype=np.float64)
        with torch.no_grad():
            for b, X, M in batches(va_flat, va_off, vorder, 512, device):
                z = head(enc(X, M) * INPUT_SCALE).squeeze(1).double().cpu().numpy()
                for j, i in enumerate(b):
                    out[pos_in[int(i)]] = z[j]
        res = {}
        for name, h in (("calib", vcal), ("report", ~vcal)):
            r, _ = recall_at_budget(out[h], vy[h], vben[h], vlook[h])
            rs, _ = recall_at_budget(out[h], vy[h], vben[h], vlook[h], "strict")
            res[name] = {"auroc": round(auroc(out[h & (vy == 1)], out[h & vben]), 4), "recall_balanced": round(r, 4), "recall_strict": round(rs, 4)}
        return res

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    results, best = [], None
    for lr in [float(x) for x in args.lrs.split(",")]:
        torch.manual_seed(args.seed)
        enc = load_weights(encoder_module(), Path(args.pack) / "init").to(device)
        head = torch.nn.Sequential(torch.nn.Linear(512, HIDDEN), torch.nn.ReLU(), torch.nn.Dropout(0.1), torch.nn.Linear(HIDDEN, 1)).to(device)
        groups = [{"params": head.parameters(), "lr": args.head_lr}]
        if lr > 0:
            groups.append({"params": enc.parameters(), "lr": lr})
        else:
            enc.requires_grad_(False)
        opt = torch.optim.AdamW(groups, weight_decay=0.01)
        steps = args.epochs * ((len(tr_y) + args.batch - 1) // args.batch)
        warm = max(1, steps // 20)
        # linear warm-up over 5% of the steps, then linear decay to 0
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: (s + 1) / warm if s < warm else max(0.0, (steps - s) / max(1, steps - warm)))
        params = list(head.parameters()) + (list(enc.parameters()) if lr > 0 else [])
        rng = np.random.default_rng(args.seed)
        yt = torch.from_numpy(tr_y).to(device)
        t0 = time.time()
        for ep in range(1, args.epochs + 1):
            enc.train(lr > 0)
            head.train()
            for b, X, M in batches(tr_flat, tr_off, rng.permutation(len(tr_y)), args.batch, device):
                z = head(enc(X, M) * INPUT_SCALE).squeeze(1)
                loss = torch.nn.functional.binary_cross_entropy_with_logits(z, yt[torch.from_numpy(b).to(device)])
                opt.zero_grad(set_to_none=True)
                loss.backward()
                torch.nn.utils.clip_grad_norm_(params, 1.0)
                opt.step()
                sched.step()
            r = evaluate(enc, head)
            r.update({"lr": lr, "epoch": ep, "seconds": round(time.time() - t0, 1)})
            results.append(r)
            print(json.dumps(r), flush=True)
            if lr > 0 and (best is None or r["calib"]["recall_balanced"] > best["calib"]["recall_balanced"]):
                best = r
                save_weights(enc, out)
            # written after every epoch, so a run cut short still leaves its results
            summary = {"device": device, "config": {k: getattr(args, k) for k in ("lrs", "epochs", "batch", "head_lr", "seed", "limit")},
                       "chosen": best, "runs": results,
                       "selection": "highest harmful recall at balanced FPRs on the validation calibration half (readable rows)"}
            (out / "finetune.json").write_text(json.dumps(summary, indent=1))
    print("chosen:", json.dumps(best))


def cmd_import(args):
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    base = Path(args.base)
    model = load_weights(encoder_module(), Path(args.weights)).eval()
    tok = Tokenizer(json.loads((base / "vocab.json").read_text(encoding="utf-8")))
    (out / "vocab.json").write_bytes((base / "vocab.json").read_bytes())
    cases = export_encoder(model, tok, out)
    (out / "parity.json").write_text(json.dumps({"cases": cases, "upstream_check": None}, ensure_ascii=False))
    conv = json.loads((base / "convert.json").read_text())
    ft = json.loads((Path(args.weights) / "finetune.json").read_text())
    conv["finetuned"] = {"chosen": ft["chosen"], "config": ft["config"], "device": ft["device"],
                         "selection": ft["selection"], "frozen_baseline": [r for r in ft["runs"] if r["lr"] == 0]}
    (out / "convert.json").write_text(json.dumps(conv, indent=1))
    print(f"wrote {out}/encoder.onnx, vocab.json, parity.json, convert.json (fine-tuned: {json.dumps(ft['chosen'])})")


def cmd_bench(args):
    """The encoder's throughput on whatever device torch sees, 64-token prompts (about 250 characters)."""
    import torch
    from .throughput import measure
    dev = "cuda" if torch.cuda.is_available() else "cpu"
    enc = load_weights(encoder_module(), Path(args.weights)).to(dev).eval()
    res = measure(enc, lambda bs: (torch.randint(RESERVED, 8000, (bs, 64), device=dev), torch.ones(bs, 64, device=dev)), dev, 1.0)
    res["tokens"] = 64
    (Path(args.weights) / "bench.json").write_text(json.dumps(res, indent=1))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pack")
    p.add_argument("--run", default=str(REPO / "training/runs/semantic"))
    p.add_argument("--data", default=str(REPO / "training/.cache/data"))
    p.add_argument("--from", dest="source", required=True, help="the upstream package's dist/ folder (see semantic convert)")
    p.add_argument("--out", default=str(REPO / "training/runs/semantic-ft"))
    p.add_argument("--cap", type=int, default=500)
    f = sub.add_parser("finetune")
    f.add_argument("--pack", required=True)
    f.add_argument("--out", required=True)
    f.add_argument("--lrs", default="0,1e-5,3e-5,1e-4")
    f.add_argument("--epochs", type=int, default=3)
    f.add_argument("--batch", type=int, default=64)
    f.add_argument("--head-lr", dest="head_lr", type=float, default=1e-3)
    f.add_argument("--seed", type=int, default=0)
    f.add_argument("--limit", type=int, default=0, help="smoke test: use this many examples of each split")
    i = sub.add_parser("import")
    i.add_argument("--weights", required=True)
    i.add_argument("--base", default=str(REPO / "training/runs/semantic-encoder"))
    i.add_argument("--out", default=str(REPO / "training/runs/semantic-encoder-ft"))
    b = sub.add_parser("bench")
    b.add_argument("--weights", required=True, help="a folder of encoder weights (pack's init/ or finetune's out)")
    args = ap.parse_args(argv)
    {"pack": cmd_pack, "finetune": cmd_finetune, "import": cmd_import, "bench": cmd_bench}[args.cmd](args)


if __name__ == "__main__":
    main(sys.argv[1:])
