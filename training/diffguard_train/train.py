"""Trains the analyzer (one command, deterministic seeds, CUDA when available, time-budgeted):

  /usr/bin/python3 -m diffguard_train.train --name r1 [--data training/.cache/data] [--max-minutes 40]

Writes training/runs/<name>/{model.pt, config.json, train_log.jsonl}. The learning-rate schedule is a
cosine over the time budget, so stopping at --max-minutes ends at a low learning rate; the model is
saved every few minutes and at the end (also on Ctrl-C / SIGTERM)."""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import signal
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from .model import Analyzer, ModelConfig, param_count
from .text import (CATEGORIES, CAT_INDEX, SPAN_LABELS, SPAN_INDEX, PAD_ID, CLS_ID, SEP_ID, BYTE_OFFSET,
                   char_to_byte_offsets)

REPO = Path(__file__).resolve().parents[2]
SUBCAT_IDX = [i for i, c in enumerate(CATEGORIES) if c.startswith("harmful:") and c != "harmful:specialised_advice"]
CAT_WEIGHT = torch.ones(len(CATEGORIES))
for c, w in [("harmful", 3.0), ("jailbreak", 2.0), ("injection", 2.0), ("pii", 1.0)]:
    CAT_WEIGHT[CAT_INDEX[c]] = w


def seed_all(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def encode_example(e, max_bytes, rng: random.Random, short_crop_p: float = 0.0):
    """-> dict(ids, span [n, S] uint8, cats [C], cmask [C], clean_ids or None). Crops long texts to a window
    that keeps the request (the unlabelled part) when the example has request categories."""
    text = e["text"]
    b = text.encode("utf-8")
    offs = char_to_byte_offsets(text)
    n = len(b)
    span = np.zeros((n, len(SPAN_LABELS)), dtype=np.uint8)
    for s in e["spans"]:
        span[offs[s["start"]]:offs[s["end"]], SPAN_INDEX[s["label"]]] = 1
    cats = np.zeros(len(CATEGORIES), dtype=np.float32)
    for c in e["cats"]:
        cats[CAT_INDEX[c]] = 1.0
    cmask = np.ones(len(CATEGORIES), dtype=np.float32)
    if e.get("cat_mask") == "no_subcats":
        cmask[SUBCAT_IDX] = 0.0
    start = 0
    if n > 510 and max_bytes > 510 and rng.random() < short_crop_p:
        max_bytes = 510  # most long examples are cropped shorter (CPU budget); the rest train positions up to max_len
    if n > max_bytes:
        req_cats = any(c.startswith("harmful") for c in e["cats"])
        unl = np.where(span[:, :2].sum(1) == 0)[0]
        if req_cats and len(unl):
            # keep the last unlabelled run (the request) inside the window
            end_req = int(unl[-1]) + 1
            lo = max(0, end_req - max_bytes)
            hi = min(n - max_bytes, max(lo, int(unl[0])))
            start = rng.randint(lo, max(lo, min(hi, end_req - 1)))
            start = min(start, n - max_bytes)
        else:
            start = rng.randint(0, n - max_bytes) if rng.random() < 0.7 else (0 if rng.random() < 0.5 else n - max_bytes)
        # do not cut inside a UTF-8 sequence at the start
        while start < n and (b[start] & 0xC0) == 0x80:
            start += 1
        sl = slice(start, start + max_bytes)
        full_span = span
        span = span[sl]
        b = b[sl]
        # window-level categories for span-derived labels
        for lab, cat in (("jailbreak", "jailbreak"), ("injection", "injection")):
            tot = full_span[:, SPAN_INDEX[lab]].sum()
            if tot:
                cats[CAT_INDEX[cat]] = 1.0 if span[:, SPAN_INDEX[lab]].sum() >= min(30, tot) else 0.0
        if "pii" in e["cats"]:
            cats[CAT_INDEX["pii"]] = 1.0 if span[:, 2:].sum() else 0.0
        if req_cats and len(unl):
            inside = ((unl >= start) & (unl < start + max_bytes)).sum()
            if inside < min(20, len(unl)):
                cmask[[CAT_INDEX["harmful"]] + SUBCAT_IDX + [CAT_INDEX["harmful:specialised_advice"]]] = 0.0
    ids = np.array([CLS_ID] + [x + BYTE_OFFSET for x in b] + [SEP_ID], dtype=np.int64)
    clean = None
    if e.get("clean_text"):
        cb = e["clean_text"].encode("utf-8")[:max_bytes]
        clean = np.array([CLS_ID] + [x + BYTE_OFFSET for x in cb] + [SEP_ID], dtype=np.int64)
    return {"ids": ids, "span": span, "cats": cats, "cmask": cmask, "clean": clean}


def collate(items):
    L = max(len(x["ids"]) for x in items)
    B = len(items)
    ids = np.zeros((B, L), dtype=np.int64)
    mask = np.zeros((B, L), dtype=np.int64)
    span = np.zeros((B, L, len(SPAN_LABELS)), dtype=np.float32)
    smask = np.zeros((B, L), dtype=np.float32)
    for i, x in enumerate(items):
        n = len(x["ids"])
        ids[i, :n] = x["ids"]
        mask[i, :n] = 1
        span[i, 1:n - 1] = x["span"]
        smask[i, 1:n - 1] = 1
    cats = np.stack([x["cats"] for x in items])
    cmask = np.stack([x["cmask"] for x in items])
    pair_idx = [i for i, x in enumerate(items) if x["clean"] is not None]
    clean_ids = clean_mask = None
    if len(pair_idx) >= 2:
        Lc = max(len(items[i]["clean"]) for i in pair_idx)
        clean_ids = np.zeros((len(pair_idx), Lc), dtype=np.int64)
        clean_mask = np.zeros((len(pair_idx), Lc), dtype=np.int64)
        for j, i in enumerate(pair_idx):
            c = items[i]["clean"]
            clean_ids[j, :len(c)] = c
            clean_mask[j, :len(c)] = 1
    t = torch.from_numpy
    return {"ids": t(ids), "mask": t(mask), "span": t(span), "smask": t(smask), "cats": t(cats), "cmask": t(cmask),
            "pair_idx": torch.tensor(pair_idx, dtype=torch.long),
            "clean_ids": t(clean_ids) if clean_ids is not None else None,
            "clean_mask": t(clean_mask) if clean_mask is not None else None}


def make_batches(rows, rng, max_bytes, byte_budget, max_batch):
    """Length-bucketed batches under a padded-byte budget."""
    idx = list(range(len(rows)))
    rng.shuffle(idx)
    out = []
    chunk = 2000
    for c0 in range(0, len(idx), chunk):
        part = sorted(idx[c0:c0 + chunk], key=lambda i: min(rows[i]["_nbytes"], max_bytes))
        cur, cur_max = [], 0
        for i in part:
            n = min(rows[i]["_nbytes"], max_bytes) + 2
            m = max(cur_max, n)
            if cur and (m * (len(cur) + 1) > byte_budget or len(cur) >= max_batch):
                out.append(cur)
                cur, m = [], n
            cur.append(i)
            cur_max = m
        if cur:
            out.append(cur)
    rng.shuffle(out)
    return out


def compute_loss(model, batch, device, emb_weight=0.5, tau=0.05):
    ids, mask = batch["ids"].to(device), batch["mask"].to(device)
    span_logits, cat_logits, emb = model(ids, mask)
    smask = batch["smask"].to(device)
    span_t = batch["span"].to(device)
    sl = F.binary_cross_entropy_with_logits(span_logits, span_t, reduction="none").sum(-1)
    span_loss = (sl * smask).sum() / smask.sum().clamp(min=1.0)
    cats, cmask = batch["cats"].to(device), batch["cmask"].to(device)
    cl = F.binary_cross_entropy_with_logits(cat_logits, cats, reduction="none") * cmask * CAT_WEIGHT.to(device)
    cat_loss = cl.sum() / ids.shape[0]
    emb_loss = torch.zeros((), device=device)
    if batch["clean_ids"] is not None:
        _, _, emb_c = model(batch["clean_ids"].to(device), batch["clean_mask"].to(device))
        a = emb[batch["pair_idx"].to(device)]
        logits = a @ emb_c.t() / tau
        target = torch.arange(a.shape[0], device=device)
        emb_loss = 0.5 * (F.cross_entropy(logits, target) + F.cross_entropy(logits.t(), target))
    total = span_loss + cat_loss + emb_weight * emb_loss
    return total, {"span": float(span_loss), "cat": float(cat_loss), "emb": float(emb_loss)}


def load_rows(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            e = json.loads(line)
            e["_nbytes"] = len(e["text"].encode("utf-8"))
            rows.append(e)
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--name", required=True)
    ap.add_argument("--data", default=str(REPO / "training" / ".cache" / "data"))
    ap.add_argument("--max-minutes", type=float, default=40.0)
    ap.add_argument("--max-epochs", type=float, default=30.0)
    ap.add_argument("--lr", type=float, default=1.5e-3)
    ap.add_argument("--byte-budget", type=int, default=12000, help="padded bytes per batch")
    ap.add_argument("--max-batch", type=int, default=48)
    ap.add_argument("--max-bytes", type=int, default=None, help="crop length (default max_len-2)")
    ap.add_argument("--short-crop", type=float, default=0.7, help="probability of cropping long examples to 510 bytes")
    ap.add_argument("--init", help="warm-start from a run folder's model.pt (continue training)")
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--ngram-buckets", type=int, default=65536, help="hashed byte n-gram bag size (0 = off)")
    ap.add_argument("--ngram-lr-mult", type=float, default=3.0)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--save-every-min", type=float, default=5.0)
    args = ap.parse_args(argv)

    torch.set_num_threads(args.threads)
    # Debian's torch 1.13 (CPU): the oneDNN (mkldnn) float32 conv1d backward returns garbage gradients
    # (non-deterministic, up to inf; checked against float64). The native path is correct.
    torch.backends.mkldnn.enabled = False
    seed_all(args.seed)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    device_name = f"cuda ({torch.cuda.get_device_name(0)})" if device.type == "cuda" else f"cpu ({args.threads} thread(s))"
    run = REPO / "training" / "runs" / args.name
    run.mkdir(parents=True, exist_ok=True)
    cfg = ModelConfig(ngram_buckets=args.ngram_buckets)
    max_bytes = args.max_bytes or (cfg.max_len - 2)
    model = Analyzer(cfg).to(device)
    if args.init:
        ck0 = torch.load(Path(args.init) / "model.pt", map_location="cpu")
        missing, unexpected = model.load_state_dict(ck0["state_dict"], strict=False)
        print(f"missing {missing} unexpected {unexpected}", flush=True)
        print(f"warm start from {args.init} (step {ck0.get('step')})", flush=True)
    print(f"device {device}, params {param_count(model)}, config {cfg.to_dict()}", flush=True)
    rows = load_rows(Path(args.data) / "train.jsonl")
    print(f"train rows {len(rows)}", flush=True)
    decay, no_decay, new = [], [], []
    for n, p in model.named_parameters():
        if n.startswith("ngram_"):
            new.append(p)
        else:
            (no_decay if p.ndim < 2 or "emb" in n.split(".")[0] or "pos" in n else decay).append(p)
    groups = [{"params": decay, "weight_decay": 0.01, "lr_mult": 1.0},
              {"params": no_decay, "weight_decay": 0.0, "lr_mult": 1.0}]
    if new:
        groups.append({"params": new, "weight_decay": 0.0, "lr_mult": args.ngram_lr_mult})
    opt = torch.optim.AdamW(groups, lr=args.lr, betas=(0.9, 0.98))
    rng = random.Random(args.seed)
    budget_s = args.max_minutes * 60.0
    t0 = time.time()
    last_save = t0
    warmup = args.warmup
    stop = {"flag": False}

    def _stop(*_):
        stop["flag"] = True
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)

    def save(tag="final"):
        torch.save({"state_dict": model.state_dict(), "config": cfg.to_dict(), "step": step, "epoch": epoch,
                    "elapsed_s": time.time() - t0, "args": vars(args), "device": device_name}, run / "model.pt")
        (run / "config.json").write_text(json.dumps({"config": cfg.to_dict(), "args": vars(args), "step": step,
                                                     "epoch": epoch, "elapsed_s": round(time.time() - t0, 1),
                                                     "saved": tag, "device": str(device), "device_name": device_name}, indent=1))

    log = open(run / "train_log.jsonl", "a")
    step, epoch, skipped = 0, 0, 0
    ema = None
    model.train()
    done = False
    while not done and epoch < args.max_epochs:
        batches = make_batches(rows, rng, max_bytes, args.byte_budget, args.max_batch)
        for bidx in batches:
            frac = (time.time() - t0) / budget_s
            if frac >= 1.0 or stop["flag"]:
                done = True
                break
            lr = args.lr * min(1.0, (step + 1) / warmup) * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * min(1.0, frac))))
            for g in opt.param_groups:
                g["lr"] = lr * g.get("lr_mult", 1.0)
            batch = collate([encode_example(rows[i], max_bytes, rng, args.short_crop) for i in bidx])
            loss, parts = compute_loss(model, batch, device)
            opt.zero_grad(set_to_none=True)
            if not torch.isfinite(loss):
                skipped += 1
                continue
            loss.backward()
            gn = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            if not torch.isfinite(gn):
                skipped += 1
                opt.zero_grad(set_to_none=True)
                continue
            opt.step()
            step += 1
            ema = float(loss) if ema is None else 0.98 * ema + 0.02 * float(loss)
            if step % 50 == 0:
                rec = {"step": step, "epoch": epoch, "elapsed_s": round(time.time() - t0, 1), "lr": round(lr, 6),
                       "loss_ema": round(ema, 4), **{k: round(v, 4) for k, v in parts.items()}, "batch": len(bidx), "skipped_nonfinite": skipped, "grad_norm": round(float(gn), 3)}
                log.write(json.dumps(rec) + "\n")
                log.flush()
                print(json.dumps(rec), flush=True)
            if time.time() - last_save > args.save_every_min * 60:
                save("periodic")
                last_save = time.time()
        else:
            epoch += 1
            continue
    save("final")
    print(f"done: {step} steps, {epoch} full epochs, {time.time() - t0:.0f} s -> {run / 'model.pt'}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
