"""Segment classifier: which clauses of a wrapped prompt are scaffolding, which are the user's request.

  training/py -m diffguard_train.segments train  [--data training/.cache/data] [--out training/runs/segmenter]
  training/py -m diffguard_train.segments export [--run training/runs/segmenter] [--version 2026.11.26-1]

The rewriter's edit search needs to know where the request sits inside jailbreak scaffolding or around an
injected instruction. The analyzer's byte-level span head marks attack text, but in template families it
never saw it often marks the request too (the slot sits inside a scaffold sentence). This model answers a
simpler question per clause with features that travel across families: hashed word/char n-grams of the
clause (scaffold language is generic — "you are", "stay in character", "never refuse" — while requests
are topical) plus where the clause sits.

FEATURE SPEC "diffguard-segmenter/2" (must match src/core/rewriter/segmenter.ts exactly):
  1. clauses = lines (split at "\\n", trimmed, empty lines skipped), each cut after terminal punctuation
     [.!?…。！？]+ (optionally closed by quotes/brackets) followed by white space, and after a ":" followed
     by a space or tab; each clause trimmed, empty ones skipped (src/core/rewriter/segment.ts `clauses`).
  2. per clause: the lexical head's hashed features of the clause text (spec "diffguard-lexical/1",
     diffguard_train.lexical.features), each bucket weighing 1/sqrt(#distinct buckets);
  3. six position features: is last clause, is first clause, is the only clause, index/(n-1) (0 when n=1),
     min(1, clause length in UTF-16 code units / 200), clause ends with "?" (after trailing white space);
  4. stage 1: z = sum W[bucket]/sqrt(n) + P . position + b;
  5. stage 2 (context): for clause i with stage-1 logits z (n clauses), features
     [z_i, z_{i-1} (0 if none), z_{i+1} (0 if none), has previous, has next, mean of z over the text,
      min(z_{i-1} or z_i, z_{i+1} or z_i)] and the six position features; s = C . features + c;
     p_scaffold = sigmoid(s). Stage 2 is fitted on out-of-fold stage-1 logits (two folds of the training
     rows), so it learns how much to trust a clause's neighbours, not the stage-1 model's training fit.
Labels: a clause is scaffolding when at least half of its characters lie inside a jailbreak or
injection span of the synthetic composition (exact spans, data.py). Rows: train.jsonl rows of the
scaffold kinds (template/stitched/prompt/suffix jailbreaks and direct/indirect injections) whose
clean_text is the bare request; validation: val.jsonl rows of the same kinds with val_kind "family"
(template families never seen in training).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from .lexical import BUCKETS, auroc, bag_inputs, features

REPO = Path(__file__).resolve().parents[2]
FORMAT = "diffguard-segmenter/2"
N_CTX = 7
KINDS = ("jb_template+req", "jb_stitched+req", "jb_prompt+req", "jb_suffix+req", "inj_direct_synth", "inj_indirect")
N_POS = 6
_CUT = re.compile(r"[.!?\u2026\u3002\uFF01\uFF1F]+[\"'\u201D\u2019)\]]*(?=\s)|:(?=[ \t])")
_WS = " \t\n\r\x0b\x0c\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"


def _utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def _trim(text: str, s: int, e: int):
    while s < e and text[s] in _WS:
        s += 1
    while e > s and text[e - 1] in _WS:
        e -= 1
    return (s, e) if s < e else None


def clauses(text: str) -> list[tuple[int, int]]:
    """Clause ranges [start, end) in Python string indices (code points), as the spec says."""
    out = []
    at = 0
    while at <= len(text):
        nl = text.find("\n", at)
        if nl < 0:
            nl = len(text)
        line = _trim(text, at, nl)
        if line:
            ls, le = line
            body = text[ls:le]
            a = 0
            for m in _CUT.finditer(body):
                r = _trim(text, ls + a, ls + m.end())
                if r:
                    out.append(r)
                a = m.end()
            r = _trim(text, ls + a, le)
            if r:
                out.append(r)
        at = nl + 1
    return out


def position_features(text: str, cl: list[tuple[int, int]]) -> np.ndarray:
    n = len(cl)
    P = np.zeros((n, N_POS), dtype=np.float32)
    for i, (s, e) in enumerate(cl):
        seg = text[s:e]
        P[i] = [i == n - 1, i == 0, n == 1, i / (n - 1) if n > 1 else 0.0, min(1.0, _utf16_len(seg) / 200.0),
                seg.rstrip().endswith("?")]
    return P


def featurize(text: str):
    cl = clauses(text)
    return cl, [features(text[s:e]) for s, e in cl], position_features(text, cl)


def labels(e, cl) -> np.ndarray:
    spans = [s for s in e["spans"] if s["label"] in ("jailbreak", "injection")]
    y = np.zeros(len(cl), dtype=np.float32)
    for i, (s, en) in enumerate(cl):
        cov = sum(max(0, min(en, sp["end"]) - max(s, sp["start"])) for sp in spans)
        y[i] = 1.0 if cov >= 0.5 * (en - s) else 0.0
    return y


def load_rows(path: Path, val: bool):
    out = []
    for line in open(path, encoding="utf-8"):
        e = json.loads(line)
        if e["kind"] not in KINDS or e.get("pair_kind") != "scaffold" or not e.get("clean_text"):
            continue
        if val and e.get("val_kind") != "family":
            continue
        if not val and e.get("split", "train") != "train":
            continue
        out.append(e)
    return out


def logits(W, P, b, feats, pos) -> np.ndarray:
    """Stage-1 logits."""
    z = np.array([W[f].sum() / np.sqrt(len(f)) if len(f) else 0.0 for f in feats], dtype=np.float64)
    return z + pos @ P + b


def context_features(z: np.ndarray, pos: np.ndarray) -> np.ndarray:
    n = len(z)
    if n == 0:
        return np.zeros((0, N_CTX + N_POS))
    hp = np.r_[0.0, np.ones(n - 1)]
    hn = np.r_[np.ones(n - 1), 0.0]
    zp = np.r_[0.0, z[:-1]]
    zn = np.r_[z[1:], 0.0]
    mn = np.minimum(np.where(hp > 0, zp, z), np.where(hn > 0, zn, z))
    return np.c_[z, zp, zn, hp, hn, np.full(n, z.mean()), mn, pos]


def logits2(model, feats, pos) -> np.ndarray:
    """Stage-2 (final) logits."""
    W, P, b, C, c = model
    return context_features(logits(W, P, b, feats, pos), pos) @ C + c


def fit_context(X: np.ndarray, y: np.ndarray, l2=1e-4):
    import torch
    torch.manual_seed(0)
    lin = torch.nn.Linear(X.shape[1], 1)
    opt = torch.optim.LBFGS(lin.parameters(), max_iter=300)
    Xt, Yt = torch.tensor(X, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)

    def closure():
        opt.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(lin(Xt)[:, 0], Yt) + l2 * (lin.weight ** 2).sum()
        loss.backward()
        return loss
    opt.step(closure)
    return lin.weight.detach().numpy()[0].astype(np.float64), float(lin.bias.detach().numpy()[0])


def chrf(hyp: str, ref: str, n: int = 6, beta: float = 2.0) -> float:
    """chrF (character n-grams 1..6 without spaces, beta 2), as scripts/metrics.ts computes it."""
    from collections import Counter

    def grams(s, k):
        s = re.sub(r"\s+", "", s)
        return Counter(s[i:i + k] for i in range(len(s) - k + 1))
    p = r = 0.0
    cnt = 0
    for k in range(1, n + 1):
        a, bb = grams(hyp, k), grams(ref, k)
        if not a or not bb:
            continue
        m = sum((a & bb).values())
        p += m / sum(a.values())
        r += m / sum(bb.values())
        cnt += 1
    if cnt == 0:
        return 0.0
    p, r = p / cnt, r / cnt
    return 0.0 if p + r == 0 else 100 * (1 + beta ** 2) * p * r / (beta ** 2 * p + r)


def keep_rule_text(text: str, cl, p) -> str:
    """The simplest use of the model: drop every clause with p_scaffold >= 0.5 (keep the least
    scaffold-like clause when all would go), joined as in the text."""
    keep = [i for i in range(len(cl)) if p[i] < 0.5] or ([int(np.argmin(p))] if len(cl) else [])
    return "\n".join(text[cl[i][0]:cl[i][1]] for i in keep)


def train(Xtr, Ptr, Ytr, epochs=3, lr=0.02, l2=1e-6, batch=256, seed=0):
    import torch
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    emb = torch.nn.EmbeddingBag(BUCKETS, 1, mode="sum")
    torch.nn.init.zeros_(emb.weight)
    lin = torch.nn.Linear(N_POS, 1)
    opt = torch.optim.Adam(list(emb.parameters()) + list(lin.parameters()), lr=lr)
    Pt = torch.from_numpy(Ptr)
    Yt = torch.from_numpy(Ytr)
    rng = np.random.default_rng(seed)
    N = len(Xtr)
    for ep in range(epochs):
        order = rng.permutation(N)
        tot, t0 = 0.0, time.time()
        for s in range(0, N, batch):
            idx = order[s:s + batch]
            inp, offs, kw = bag_inputs([Xtr[i] for i in idx])
            z = emb(inp, offs, **kw)[:, 0] + lin(Pt[idx])[:, 0]
            loss = torch.nn.functional.binary_cross_entropy_with_logits(z, Yt[idx]) + l2 * (emb.weight ** 2).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += float(loss) * len(idx)
        print(f"  epoch {ep + 1}/{epochs}: loss {tot / N:.4f} ({time.time() - t0:.0f} s)", flush=True)
    return (emb.weight.detach().numpy()[:, 0].astype(np.float32), lin.weight.detach().numpy()[0].astype(np.float32),
            float(lin.bias.detach().numpy()[0]))


def cmd_train(args):
    data, out = Path(args.data), Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    tr, va = load_rows(data / "train.jsonl", False), load_rows(data / "val.jsonl", True)
    print(f"train {len(tr)} wrapped rows, validation {len(va)} rows of unseen families", flush=True)
    per_row = []
    for e in tr:
        cl, f, p = featurize(e["text"])
        per_row.append((f, p, labels(e, cl)))
    Xtr = [x for f, _, _ in per_row for x in f]
    Ptr = np.concatenate([p for _, p, _ in per_row])
    Ytr = np.concatenate([y for _, _, y in per_row])
    print(f"  {len(Xtr)} training clauses, {Ytr.mean() * 100:.1f}% scaffolding ({time.time() - t0:.0f} s)", flush=True)
    # Stage 2 is fitted on out-of-fold stage-1 logits.
    fold = np.random.default_rng(args.seed + 1).integers(0, 2, len(per_row))
    oof = [None] * len(per_row)
    for k in (0, 1):
        A = [per_row[i] for i in np.flatnonzero(fold != k)]
        Wk, Pk, bk = train([x for f, _, _ in A for x in f], np.concatenate([p for _, p, _ in A]),
                           np.concatenate([y for _, _, y in A]), epochs=args.epochs, lr=args.lr, seed=args.seed)
        for i in np.flatnonzero(fold == k):
            f, p, _ = per_row[i]
            oof[i] = context_features(logits(Wk, Pk, bk, f, p), p)
    C, c = fit_context(np.concatenate(oof), Ytr)
    print("  context weights", np.round(C, 3).tolist(), round(c, 3), flush=True)
    W, P, b = train(Xtr, Ptr, Ytr, epochs=args.epochs, lr=args.lr, seed=args.seed)
    model = (W, P, b, C, c)
    zs, ys, ch, ch_or, ch1 = [], [], [], [], []
    per_kind: dict[str, list[float]] = {}
    for e in va:
        cl, f, pos = featurize(e["text"])
        z = logits2(model, f, pos)
        z1 = logits(W, P, b, f, pos)
        ch1.append(chrf(keep_rule_text(e["text"], cl, 1 / (1 + np.exp(-z1))), e["clean_text"]))
        y = labels(e, cl)
        zs += list(z)
        ys += list(y)
        p = 1 / (1 + np.exp(-z))
        cv = chrf(keep_rule_text(e["text"], cl, p), e["clean_text"])
        ch.append(cv)
        ch_or.append(chrf(keep_rule_text(e["text"], cl, y), e["clean_text"]))
        per_kind.setdefault(e["kind"], []).append(cv)
    zs, ys = np.array(zs), np.array(ys)
    ch, ch_or = np.array(ch), np.array(ch_or)
    metrics = {
        "split": "validation rows of template families never seen in training (val_kind=family)",
        "rows": len(va), "clauses": int(len(ys)),
        "clause_auroc": round(auroc(zs[ys == 1], zs[ys == 0]), 4),
        "clause_accuracy_at_0.5": round(float(np.mean((zs >= 0) == (ys == 1))), 4),
        "keep_rule_chrf_mean": round(float(ch.mean()), 2), "keep_rule_chrf_ge90": round(float(np.mean(ch >= 90)), 4),
        "stage1_only_keep_rule_chrf_mean": round(float(np.mean(ch1)), 2),
        "stage1_only_keep_rule_chrf_ge90": round(float(np.mean(np.array(ch1) >= 90)), 4),
        "oracle_clause_chrf_mean": round(float(ch_or.mean()), 2), "oracle_clause_chrf_ge90": round(float(np.mean(ch_or >= 90)), 4),
        "keep_rule_chrf_by_kind": {k: [len(v), round(float(np.mean(v)), 1)] for k, v in sorted(per_kind.items())},
    }
    print(json.dumps(metrics, indent=1))
    np.save(out / "W.npy", W)
    json.dump({"P": P.tolist(), "b": b, "C": C.tolist(), "c": c}, open(out / "head.json", "w"))
    json.dump({"metrics": metrics, "config": {"epochs": args.epochs, "lr": args.lr, "seed": args.seed, "n_train_rows": len(tr),
                                              "n_train_clauses": len(Xtr), "train_seconds": round(time.time() - t0, 1)}},
              open(out / "eval.json", "w"), indent=1)
    # Parity cases for the TypeScript test: a few validation texts, their clauses and logits.
    cases = []
    for e in va[:: max(1, len(va) // 12)][:12]:
        cl, f, pos = featurize(e["text"])
        z = logits2(model, f, pos)
        cases.append({"text": e["text"], "clauses": [[_utf16_len(e["text"][:s]), _utf16_len(e["text"][:en])] for s, en in cl],
                      "logits": [round(float(v), 5) for v in z]})
    json.dump({"format": FORMAT, "cases": cases}, open(out / "parity.json", "w", encoding="utf-8"), ensure_ascii=False, indent=0)


def cmd_export(args):
    run = Path(args.run)
    W = np.load(run / "W.npy").astype("<f4")
    head = json.load(open(run / "head.json"))
    ev = json.load(open(run / "eval.json"))
    blob = (W.tobytes() + np.array(head["P"], dtype="<f4").tobytes() + np.array([head["b"]], dtype="<f4").tobytes()
            + np.array(head["C"], dtype="<f4").tobytes() + np.array([head["c"]], dtype="<f4").tobytes())
    dest = REPO / "models" / "segmenter" / args.version
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "weights.bin").write_bytes(blob)
    manifest = {
        "format": FORMAT, "name": "diffguard-segmenter", "version": args.version, "buckets": BUCKETS, "position_features": N_POS, "context_features": N_CTX,
        "output": "p_scaffold = sigmoid(z) per clause",
        "features": "see training/diffguard_train/segments.py (FEATURE SPEC diffguard-segmenter/2)",
        "files": {"weights.bin": {"sha256": hashlib.sha256(blob).hexdigest(), "bytes": len(blob), "dtype": "float32-le",
                                  "layout": f"W[{BUCKETS}], P[{N_POS}], b[1], then stage 2 C[{N_CTX + N_POS}], c[1]"}},
        "metrics": ev["metrics"], "training": ev["config"],
        "data": {"train": "training/.cache/data/train.jsonl rows of kinds " + ", ".join(KINDS),
                 "validation": "training/.cache/data/val.jsonl, same kinds, val_kind=family"},
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    (dest / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (dest / "parity.json").write_text((run / "parity.json").read_text(encoding="utf-8"), encoding="utf-8")
    (REPO / "models" / "segmenter" / "LATEST").write_text(args.version + "\n")
    print(f"exported {dest} ({len(blob)} bytes)")


def main(argv=None):
    ap = argparse.ArgumentParser(prog="diffguard_train.segments")
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train")
    t.add_argument("--data", default=str(REPO / "training" / ".cache" / "data"))
    t.add_argument("--out", default=str(REPO / "training" / "runs" / "segmenter"))
    t.add_argument("--epochs", type=int, default=3)
    t.add_argument("--lr", type=float, default=0.02)
    t.add_argument("--seed", type=int, default=0)
    x = sub.add_parser("export")
    x.add_argument("--run", default=str(REPO / "training" / "runs" / "segmenter"))
    x.add_argument("--version", default=datetime.now(timezone.utc).strftime("%Y.%m.%d") + "-1")
    a = ap.parse_args(argv)
    (cmd_train if a.cmd == "train" else cmd_export)(a)


if __name__ == "__main__":
    main()
