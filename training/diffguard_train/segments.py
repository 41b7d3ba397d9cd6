"""Segment classifier: which clauses of a wrapped prompt are scaffolding, which are the user's request.

  training/py -m diffguard_train.segments train  [--data training/.cache/data] [--out training/runs/segmenter]
  training/py -m diffguard_train.segments export [--run training/runs/segmenter] [--version 2026.11.26-1]

The rewriter's edit search needs to know where the request sits inside jailbreak scaffolding or around an
injected instruction. The analyzer's byte-level span head marks attack text, but in template families it
never saw it often marks the request too (the slot sits inside a scaffold sentence). This model answers a
simpler question per clause with features that travel across families: hashed word/char n-grams of the
clause (scaffold language is generic — "you are", "stay in character", "never refuse" — while requests
are topical) plus where the clause sits.

FEATURE SPEC "diffguard-segmenter/3" (must match src/core/rewriter/segmenter.ts exactly):
  1. clauses = lines (split at "\\n", trimmed, empty lines skipped), each cut after terminal punctuation
     [.!?…。！？]+ (optionally closed by quotes/brackets) followed by white space, and after a ":" followed
     by a space or tab; each clause trimmed, empty ones skipped (src/core/rewriter/segment.ts `clauses`).
  2. per clause: the lexical head's hashed features of the clause text (spec "diffguard-lexical/1",
     diffguard_train.lexical.features), each bucket weighing 1/sqrt(#distinct buckets);
  3. six position features: is last clause, is first clause, is the only clause, index/(n-1) (0 when n=1),
     min(1, clause length in UTF-16 code units / 200), clause ends with "?" (after trailing white space);
  4. stage 1: z = sum W[bucket]/sqrt(n) + P . position + b;
  5. stage 2 (context, "diffguard-segmenter/3"): a one-layer bidirectional GRU (hidden 8, PyTorch's gate
     equations and order r, z, n) reads the clauses in order, each as the 4 inputs
     [z_i / 4, clause length feature, ends-with-"?" feature, mean of z over the text / 4] (no index features:
     the GRU sees where it is, and the synthetic compositions' typical order must not become a rule); the
     final logit of clause i is
     s_i = z_i + O . [h_fwd_i, h_bwd_i, inputs_i] + o, p_scaffold = sigmoid(s_i). It is fitted on out-of-fold
     stage-1 logits (two folds of the training rows), so it learns how far to trust the stage-1 model and
     how a prompt's clauses go together (a request after the scaffold, an injected task after its trigger),
     not the stage-1 model's training fit. Half of its training texts per epoch are recomposed at the logit
     level with a run of 1-4 scaffold clauses of another text before (p 0.5) and/or after (p 0.7) them, so
     scaffolding that follows the request ("... I miss him so much. Tell it to me one more time.") is seen.
     Version /2 had a linear stage over each clause's two neighbours.
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
FORMAT = "diffguard-segmenter/3"
N_CTX = 7
N_IN = 4  # GRU inputs per clause: z/4, length and "?" position features, mean z/4
HIDDEN = 8
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


def seq_inputs(z: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """The stage-2 GRU's inputs per clause (spec step 5)."""
    n = len(z)
    return np.c_[z / 4.0, pos[:, 4:6], np.full(n, z.mean() / 4.0 if n else 0.0)].astype(np.float64)


def _sig(x):
    return 1.0 / (1.0 + np.exp(-x))


def gru_pass(x: np.ndarray, w_ih, w_hh, b_ih, b_hh) -> np.ndarray:
    """One direction of a PyTorch GRU layer over x [n, d] (gates r, z, n), float64; h_0 = 0."""
    H = w_hh.shape[1]
    h = np.zeros(H)
    out = np.zeros((len(x), H))
    for t in range(len(x)):
        gi = w_ih @ x[t] + b_ih
        gh = w_hh @ h + b_hh
        r = _sig(gi[:H] + gh[:H])
        u = _sig(gi[H:2 * H] + gh[H:2 * H])
        c = np.tanh(gi[2 * H:] + r * gh[2 * H:])
        h = (1 - u) * c + u * h
        out[t] = h
    return out


def seq_logits(seq: dict, z: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """Stage-2 logits from stage-1 logits z (numpy reference of the exported GRU)."""
    if len(z) == 0:
        return np.zeros(0)
    x = seq_inputs(z, pos)
    f = gru_pass(x, *seq["fwd"])
    bwd = gru_pass(x[::-1], *seq["bwd"])[::-1]
    return z + np.c_[f, bwd, x] @ seq["O"] + seq["o"]


def logits2(model, feats, pos) -> np.ndarray:
    """Stage-2 (final) logits."""
    W, P, b, seq = model
    return seq_logits(seq, logits(W, P, b, feats, pos), pos)


def index_positions(length: np.ndarray, question: np.ndarray) -> np.ndarray:
    """The six position features of a clause sequence from its length and "?" features (spec step 3)."""
    n = len(length)
    i = np.arange(n)
    return np.c_[i == n - 1, i == 0, np.full(n, n == 1), i / (n - 1) if n > 1 else np.zeros(n), length, question].astype(np.float64)


def fit_sequence(rows, epochs=6, lr=0.01, batch=64, seed=0, augment=0.5) -> dict:
    """Fits the stage-2 bidirectional GRU. rows: per training text (zt, P1, length, question, y), where zt is
    the stage-1 logit without its position term and P1 the position weights of the stage-1 model that
    scored it (out of fold). Each epoch recomposes a share `augment` of the texts with scaffold runs of
    other texts around them (spec step 5) and recomputes the position features and logits."""
    import torch
    torch.manual_seed(seed)
    torch.set_num_threads(1)

    class Seq(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.gru = torch.nn.GRU(N_IN, HIDDEN, batch_first=True, bidirectional=True)
            self.out = torch.nn.Linear(2 * HIDDEN + N_IN, 1)

        def forward(self, x, lengths):
            pk = torch.nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
            o, _ = self.gru(pk)
            o, _ = torch.nn.utils.rnn.pad_packed_sequence(o, batch_first=True, total_length=x.shape[1])
            return self.out(torch.cat([o, x], -1))[..., 0] + x[..., 0] * 4.0

    rows = [r for r in rows if len(r[4])]
    runs = []  # maximal runs of scaffold clauses: (zt, length, question, P1)
    for zt, P1, ln, q, y in rows:
        i = 0
        while i < len(y):
            if y[i] == 1:
                j = i
                while j < len(y) and y[j] == 1:
                    j += 1
                runs.append((zt[i:j], ln[i:j], q[i:j]))
                i = j
            else:
                i += 1
    rng = np.random.default_rng(seed)

    def compose(zt, P1, ln, q, y):
        pos = index_positions(ln, q)
        return seq_inputs(zt + pos @ P1, pos).astype(np.float32), y

    def piece():
        r = runs[rng.integers(len(runs))]
        k = int(rng.integers(1, min(4, len(r[0])) + 1))
        s0 = int(rng.integers(0, len(r[0]) - k + 1))
        return r[0][s0:s0 + k], r[1][s0:s0 + k], r[2][s0:s0 + k], np.ones(k, dtype=np.float32)

    def recompose(row):
        zt, P1, ln, q, y = row
        parts = ([piece()] if rng.random() < 0.5 else []) + [(zt, ln, q, y)] + ([piece()] if rng.random() < 0.7 else [])
        return compose(*(np.concatenate([p[0] for p in parts]),), P1, *(np.concatenate([p[k] for p in parts]) for k in (1, 2, 3)))

    m = Seq()
    opt = torch.optim.Adam(m.parameters(), lr=lr)
    for ep in range(epochs):
        items = [recompose(r) if runs and rng.random() < augment else compose(*r) for r in rows]
        order = rng.permutation(len(items))
        tot, t0 = 0.0, time.time()
        for s in range(0, len(order), batch):
            group = [items[i] for i in order[s:s + batch]]
            L = max(len(x) for x, _ in group)
            X = np.zeros((len(group), L, N_IN), np.float32)
            Y = np.zeros((len(group), L), np.float32)
            M = np.zeros((len(group), L), np.float32)
            for i, (x, y) in enumerate(group):
                X[i, :len(x)], Y[i, :len(y)], M[i, :len(y)] = x, y, 1
            z = m(torch.from_numpy(X), [len(x) for x, _ in group])
            Mt = torch.from_numpy(M)
            loss = (torch.nn.functional.binary_cross_entropy_with_logits(z, torch.from_numpy(Y), reduction="none") * Mt).sum() / Mt.sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += float(loss) * len(group)
        print(f"  sequence stage epoch {ep + 1}/{epochs}: loss {tot / len(items):.4f} ({time.time() - t0:.0f} s)", flush=True)
    g = {k: v.detach().numpy().astype(np.float64) for k, v in m.gru.state_dict().items()}
    return {"fwd": (g["weight_ih_l0"], g["weight_hh_l0"], g["bias_ih_l0"], g["bias_hh_l0"]),
            "bwd": (g["weight_ih_l0_reverse"], g["weight_hh_l0_reverse"], g["bias_ih_l0_reverse"], g["bias_hh_l0_reverse"]),
            "O": m.out.weight.detach().numpy()[0].astype(np.float64), "o": float(m.out.bias.detach().numpy()[0])}


def seq_blob(seq: dict) -> bytes:
    """The stage-2 weights as float32 LE, in the order the TypeScript reader expects."""
    parts = [a.ravel() for d in ("fwd", "bwd") for a in seq[d]] + [seq["O"].ravel(), np.array([seq["o"]])]
    return np.concatenate(parts).astype("<f4").tobytes()


def seq_from_blob(a: np.ndarray) -> dict:
    """Inverse of seq_blob (a: float32 array)."""
    H, d = HIDDEN, N_IN
    at = 0

    def take(*shape):
        nonlocal at
        k = int(np.prod(shape))
        out = a[at:at + k].astype(np.float64).reshape(shape)
        at += k
        return out
    fwd = (take(3 * H, d), take(3 * H, H), take(3 * H), take(3 * H))
    bwd = (take(3 * H, d), take(3 * H, H), take(3 * H), take(3 * H))
    O = take(2 * H + d)
    o = float(take(1)[0])
    return {"fwd": fwd, "bwd": bwd, "O": O, "o": o}


SEQ_FLOATS = 2 * (3 * HIDDEN * N_IN + 3 * HIDDEN * HIDDEN + 6 * HIDDEN) + 2 * HIDDEN + N_IN + 1


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
    seq_rows = [None] * len(per_row)
    for k in (0, 1):
        A = [per_row[i] for i in np.flatnonzero(fold != k)]
        Wk, Pk, bk = train([x for f, _, _ in A for x in f], np.concatenate([p for _, p, _ in A]),
                           np.concatenate([y for _, _, y in A]), epochs=args.epochs, lr=args.lr, seed=args.seed)
        Pk64 = np.asarray(Pk, dtype=np.float64)
        for i in np.flatnonzero(fold == k):
            f, p, y = per_row[i]
            oof[i] = logits(Wk, Pk, bk, f, p)
            seq_rows[i] = (oof[i] - p @ Pk64, Pk64, p[:, 4].astype(np.float64), p[:, 5].astype(np.float64), y)
    seq = fit_sequence(seq_rows, epochs=args.seq_epochs, seed=args.seed, augment=args.augment)
    # Version /2's linear neighbour stage, fitted on the same logits, for the comparison in the metrics.
    C, c = fit_context(np.concatenate([context_features(oof[i], per_row[i][1]) for i in range(len(per_row))]), Ytr)
    W, P, b = train(Xtr, Ptr, Ytr, epochs=args.epochs, lr=args.lr, seed=args.seed)
    model = (W, P, b, seq)
    zs, ys, ch, ch_or, ch1, ch_lin = [], [], [], [], [], []
    per_kind: dict[str, list[float]] = {}
    for e in va:
        cl, f, pos = featurize(e["text"])
        z1 = logits(W, P, b, f, pos)
        z = seq_logits(seq, z1, pos)
        ch1.append(chrf(keep_rule_text(e["text"], cl, 1 / (1 + np.exp(-z1))), e["clean_text"]))
        ch_lin.append(chrf(keep_rule_text(e["text"], cl, 1 / (1 + np.exp(-(context_features(z1, pos) @ C + c)))), e["clean_text"]))
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
        "linear_neighbour_stage_keep_rule_chrf_mean": round(float(np.mean(ch_lin)), 2),
        "linear_neighbour_stage_keep_rule_chrf_ge90": round(float(np.mean(np.array(ch_lin) >= 90)), 4),
        "oracle_clause_chrf_mean": round(float(ch_or.mean()), 2), "oracle_clause_chrf_ge90": round(float(np.mean(ch_or >= 90)), 4),
        "keep_rule_chrf_by_kind": {k: [len(v), round(float(np.mean(v)), 1)] for k, v in sorted(per_kind.items())},
    }
    print(json.dumps(metrics, indent=1))
    np.save(out / "W.npy", W)
    json.dump({"P": P.tolist(), "b": b}, open(out / "head.json", "w"))
    (out / "seq.bin").write_bytes(seq_blob(seq))
    json.dump({"metrics": metrics, "config": {"epochs": args.epochs, "lr": args.lr, "seq_epochs": args.seq_epochs, "augment": args.augment, "hidden": HIDDEN, "seed": args.seed,
                                              "n_train_rows": len(tr), "n_train_clauses": len(Xtr), "train_seconds": round(time.time() - t0, 1)}},
              open(out / "eval.json", "w"), indent=1)
    # Parity cases for the TypeScript test: validation texts, their clauses and logits, computed from the
    # float32 weights as exported (the reader computes in float64 from them).
    seq32 = seq_from_blob(np.frombuffer(seq_blob(seq), dtype="<f4"))
    W32, P32, b32 = W.astype(np.float32), np.asarray(P, dtype=np.float32), float(np.float32(b))
    cases = []
    for e in va[:: max(1, len(va) // 12)][:12]:
        cl, f, pos = featurize(e["text"])
        z = seq_logits(seq32, logits(W32, P32, b32, f, pos), pos)
        cases.append({"text": e["text"], "clauses": [[_utf16_len(e["text"][:s]), _utf16_len(e["text"][:en])] for s, en in cl],
                      "logits": [round(float(v), 5) for v in z]})
    json.dump({"format": FORMAT, "cases": cases}, open(out / "parity.json", "w", encoding="utf-8"), ensure_ascii=False, indent=0)


def run_blob(run: Path) -> bytes:
    """A training run's weights in the exported layout (weights.bin): W, P, b, then the GRU stage, float32-le."""
    W = np.load(run / "W.npy").astype("<f4")
    head = json.load(open(run / "head.json"))
    seq = (run / "seq.bin").read_bytes()
    assert len(seq) == SEQ_FLOATS * 4, f"{run / 'seq.bin'} does not match the GRU layout"
    return W.tobytes() + np.array(head["P"], dtype="<f4").tobytes() + np.array([head["b"]], dtype="<f4").tobytes() + seq


def load_run(run: Path):
    """A training run's model as exported (float32 weights), for scoring in Python: (W, P, b, seq)."""
    a = np.frombuffer(run_blob(run), dtype="<f4")
    return a[:BUCKETS], a[BUCKETS:BUCKETS + N_POS], float(a[BUCKETS + N_POS]), seq_from_blob(a[BUCKETS + N_POS + 1:])


def ensemble_p(models, feats, pos) -> np.ndarray:
    """p(scaffolding) per clause of an ensemble: the mean of its members' probabilities (one member: its own)."""
    return np.mean([1 / (1 + np.exp(-logits2(m, feats, pos))) for m in models], axis=0)


def ensemble_logits(models, feats, pos) -> np.ndarray:
    p = np.clip(ensemble_p(models, feats, pos), 1e-12, 1 - 1e-12)
    return np.log(p / (1 - p))


def cmd_export(args):
    runs = [Path(r) for r in (args.run or [str(REPO / "training" / "runs" / "segmenter")])]
    names = ["weights.bin"] + [f"weights-{i + 1}.bin" for i in range(1, len(runs))]
    dest = REPO / "models" / "segmenter" / args.version
    dest.mkdir(parents=True, exist_ok=True)
    H, d = HIDDEN, N_IN
    files = {}
    for run, name in zip(runs, names):
        blob = run_blob(run)
        (dest / name).write_bytes(blob)
        files[name] = {"sha256": hashlib.sha256(blob).hexdigest(), "bytes": len(blob), "dtype": "float32-le",
                       "layout": (f"W[{BUCKETS}], P[{N_POS}], b[1], then for the forward and the backward GRU: w_ih[{3 * H}x{d}], "
                                  f"w_hh[{3 * H}x{H}], b_ih[{3 * H}], b_hh[{3 * H}] (gates r, z, n; row-major), then O[{2 * H + d}], o[1]")}
    evals = [json.load(open(run / "eval.json")) for run in runs]
    manifest = {
        "format": FORMAT, "name": "diffguard-segmenter", "version": args.version, "buckets": BUCKETS, "position_features": N_POS,
        "sequence": {"type": "bigru", "hidden": H, "inputs": d},
        "output": "p_scaffold = sigmoid(z) per clause" if len(runs) == 1 else
                  "p_scaffold = mean over the members of sigmoid(z_member) per clause; logit = log(p / (1 - p))",
        "features": "see training/diffguard_train/segments.py (FEATURE SPEC diffguard-segmenter/3)",
        "files": files,
        **({"members": names} if len(runs) > 1 else {}),
        "metrics": evals[0]["metrics"] if len(runs) == 1 else {"members": [e["metrics"] for e in evals]},
        "training": evals[0]["config"] if len(runs) == 1 else {"members": [e["config"] for e in evals]},
        "data": {"train": "training/.cache/data/train.jsonl rows of kinds " + ", ".join(KINDS),
                 "validation": "training/.cache/data/val.jsonl, same kinds, val_kind=family"},
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    parity = json.load(open(runs[0] / "parity.json", encoding="utf-8"))
    if len(runs) > 1:
        # The ensemble's own metrics on the same validation rows, and parity cases replayed with all members.
        models = [load_run(r) for r in runs]
        va = load_rows(Path(args.data) / "val.jsonl", True)
        ch = []
        for e in va:
            cl, f, pos = featurize(e["text"])
            ch.append(chrf(keep_rule_text(e["text"], cl, ensemble_p(models, f, pos)), e["clean_text"]))
        ch = np.array(ch)
        manifest["metrics"]["ensemble"] = {"split": evals[0]["metrics"]["split"], "rows": len(va),
                                           "keep_rule_chrf_mean": round(float(ch.mean()), 2),
                                           "keep_rule_chrf_ge90": round(float(np.mean(ch >= 90)), 4)}
        for c in parity["cases"]:
            cl, f, pos = featurize(c["text"])
            c["logits"] = [round(float(v), 5) for v in ensemble_logits(models, f, pos)]
    (dest / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    json.dump(parity, open(dest / "parity.json", "w", encoding="utf-8"), ensure_ascii=False, indent=0)
    (REPO / "models" / "segmenter" / "LATEST").write_text(args.version + "\n")
    print(f"exported {dest} ({len(runs)} member{'s' if len(runs) > 1 else ''})")


def main(argv=None):
    ap = argparse.ArgumentParser(prog="diffguard_train.segments")
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train")
    t.add_argument("--data", default=str(REPO / "training" / ".cache" / "data"))
    t.add_argument("--out", default=str(REPO / "training" / "runs" / "segmenter"))
    t.add_argument("--epochs", type=int, default=3)
    t.add_argument("--lr", type=float, default=0.02)
    t.add_argument("--seq-epochs", type=int, default=6)
    t.add_argument("--augment", type=float, default=0.5)
    t.add_argument("--seed", type=int, default=0)
    x = sub.add_parser("export")
    x.add_argument("--run", action="append", help="a training run; repeat it for an ensemble (members averaged; default training/runs/segmenter)")
    x.add_argument("--data", default=str(REPO / "training" / ".cache" / "data"), help="for an ensemble's validation metrics")
    x.add_argument("--version", default=datetime.now(timezone.utc).strftime("%Y.%m.%d") + "-1")
    a = ap.parse_args(argv)
    (cmd_train if a.cmd == "train" else cmd_export)(a)


if __name__ == "__main__":
    main()
