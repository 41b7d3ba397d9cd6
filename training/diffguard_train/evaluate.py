"""Calibrates and evaluates a trained run on the validation split (one command):

  training/py -m diffguard_train.evaluate --run training/runs/<name> [--data training/.cache/data] [--cap 500]

The validation examples are split in two halves by a hash of the text: the "calib" half fits the
temperatures (per category, one for spans) and the per-policy thresholds; the "report" half gives every
metric, so the numbers are not measured on the data that chose the thresholds.

Texts are scored as the runtime scores them: windows of max_len-2 bytes every `stride` bytes, category
logit = max over windows, span logit per byte = max over the windows covering it.
Writes <run>/calibration.json and <run>/eval.json."""
from __future__ import annotations

import argparse
import collections
import hashlib
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import torch

from .model import Analyzer, ModelConfig
from .thresholds import POLICY_FPR, harmful_threshold, lookalike_mask
from .text import CATEGORIES, CAT_INDEX, SPAN_LABELS, SPAN_INDEX, PAD_ID, windows, encode_bytes, char_to_byte_offsets

REPO = Path(__file__).resolve().parents[2]
HARD_BENIGN = ["or_bench_hard", "phtest", "coconot_contrast", "injecguard_wildguard_benign", "cyberseceval_frr",
               "cyberseceval_frr_ml", "homonyms", "caia_ai_safety", "awesome_chatgpt_prompts", "k_idioms",
               "coconot_noncompliance", "toxigen_neutral"]
SUBCAT_IDX = [i for i, c in enumerate(CATEGORIES) if c.startswith("harmful:") and c != "harmful:specialised_advice"]


def h01(s):
    return int(hashlib.md5(s.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF


def load_model(run: Path):
    ck = torch.load(run / "model.pt", map_location="cpu")
    conf = dict(ck["config"])
    if conf.get("max_len") == ModelConfig.max_len:
        # Inference windows start every ModelConfig.stride bytes (896 since 2026-11-26, was 768): checkpoints
        # saved with 768 are read with the current stride (it does not touch the weights).
        conf["stride"] = ModelConfig.stride
    cfg = ModelConfig(**conf)
    m = Analyzer(cfg)
    m.load_state_dict(ck["state_dict"])
    m.eval()
    if (run / "int8.json").exists():
        # An int8 run (diffguard_train.int8): the model computes exactly what the int8 graph computes.
        from .int8 import apply_static
        apply_static(m, json.loads((run / "int8.json").read_text())["ranges"])
    if torch.cuda.is_available():  # an accelerator scores the validation set in seconds
        m.to("cuda")
    return m, ck


@torch.no_grad()
def score_texts(model, texts, batch_bytes=16000):
    """-> list of (cat_logits [C], span_logits [n_bytes, S], emb [384]) per text, runtime windowing."""
    cfg = model.cfg
    jobs = []  # (text_idx, start, ids)
    for ti, t in enumerate(texts):
        b = t.encode("utf-8")
        for st, w in windows(b, cfg.max_len, cfg.stride):
            jobs.append((ti, st, encode_bytes(w)))
    order = sorted(range(len(jobs)), key=lambda j: len(jobs[j][2]))
    cat = [None] * len(texts)
    spans = [np.full((len(t.encode("utf-8")), len(SPAN_LABELS)), -1e9, dtype=np.float32) for t in texts]
    emb = [None] * len(texts)
    i = 0
    while i < len(order):
        L = len(jobs[order[i]][2])
        j = i
        while j < len(order) and len(jobs[order[j]][2]) * (j - i + 1) <= batch_bytes:
            j += 1
        j = max(j, i + 1)
        chunk = [jobs[k] for k in order[i:j]]
        Lm = max(len(c[2]) for c in chunk)
        ids = torch.tensor([c[2] + [PAD_ID] * (Lm - len(c[2])) for c in chunk])
        mask = (ids != PAD_ID).long()
        dev = next(model.parameters()).device
        sl, cl, em = model(ids.to(dev), mask.to(dev))
        sl, cl, em = sl.float().cpu().numpy(), cl.float().cpu().numpy(), em.float().cpu().numpy()
        for r, (ti, st, wid) in enumerate(chunk):
            n = len(wid) - 2
            cat[ti] = cl[r] if cat[ti] is None else np.maximum(cat[ti], cl[r])
            seg = spans[ti][st:st + n]
            np.maximum(seg, sl[r, 1:n + 1], out=seg)
            if st == 0:
                emb[ti] = em[r]
        i = j
    return cat, spans, emb


def auroc(pos, neg):
    pos, neg = np.asarray(pos), np.asarray(neg)
    if len(pos) == 0 or len(neg) == 0:
        return None
    allv = np.concatenate([pos, neg])
    ranks = allv.argsort().argsort().astype(np.float64) + 1
    # average ranks for ties
    _, inv, cnt = np.unique(allv, return_inverse=True, return_counts=True)
    sums = np.bincount(inv, weights=ranks)
    ranks = (sums / cnt)[inv]
    rp = ranks[:len(pos)].sum()
    return float((rp - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def ece(probs, labels, bins=10):
    probs, labels = np.asarray(probs), np.asarray(labels)
    if len(probs) == 0:
        return None
    e = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        m = (probs >= lo) & (probs < hi if b < bins - 1 else probs <= hi)
        if m.any():
            e += m.mean() * abs(probs[m].mean() - labels[m].mean())
    return float(e)


def sig(x):
    return 1.0 / (1.0 + np.exp(-x))


def fit_temperature(logits, labels):
    best, bt = None, 1.0
    for T in np.exp(np.linspace(math.log(0.3), math.log(6.0), 48)):
        p = np.clip(sig(logits / T), 1e-7, 1 - 1e-7)
        nll = -(labels * np.log(p) + (1 - labels) * np.log(1 - p)).mean()
        if best is None or nll < best:
            best, bt = nll, float(T)
    return bt


def byte_spans(e):
    offs = char_to_byte_offsets(e["text"])
    n = offs[-1]
    g = np.zeros((n, len(SPAN_LABELS)), dtype=bool)
    for s in e["spans"]:
        g[offs[s["start"]]:offs[s["end"]], SPAN_INDEX[s["label"]]] = True
    return g


def runs(mask):
    out, i, n = [], 0, len(mask)
    while i < n:
        if mask[i]:
            j = i
            while j < n and mask[j]:
                j += 1
            out.append((i, j))
            i = j
        else:
            i += 1
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", required=True)
    ap.add_argument("--data", default=str(REPO / "training" / ".cache" / "data"))
    ap.add_argument("--cap", type=int, default=500, help="max validation examples per (source, kind)")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    t0 = time.time()
    run = Path(args.run)
    model, ck = load_model(run)
    rows = [json.loads(l) for l in open(Path(args.data) / "val.jsonl", encoding="utf-8")]
    # deterministic cap per (source, kind)
    groups = collections.defaultdict(list)
    for e in rows:
        groups[(e["source"], e["kind"])].append(e)
    sel = []
    for k, g in sorted(groups.items()):
        g.sort(key=lambda e: h01(e["text"]))
        sel += g[:args.cap]
    rows = sel
    print(f"scoring {len(rows)} validation examples", flush=True)
    cat_l, span_l, emb = score_texts(model, [e["text"] for e in rows])
    clean_texts = [e["clean_text"] for e in rows if e.get("clean_text")]
    _, _, emb_c = score_texts(model, clean_texts)
    print(f"scored in {time.time() - t0:.0f} s", flush=True)
    C = len(CATEGORIES)
    Y = np.zeros((len(rows), C), dtype=np.float32)
    M = np.ones((len(rows), C), dtype=np.float32)
    for i, e in enumerate(rows):
        for c in e["cats"]:
            Y[i, CAT_INDEX[c]] = 1
        if e.get("cat_mask") == "no_subcats":
            M[i, SUBCAT_IDX] = 0
    Lg = np.stack(cat_l)
    calib = np.array([h01(e["text"] + "#c") < 0.5 for e in rows])
    rep = ~calib
    benign = np.array([len(e["cats"]) == 0 for e in rows])

    # ---- temperatures
    temps = []
    for c in range(C):
        m = calib & (M[:, c] > 0)
        temps.append(fit_temperature(Lg[m, c], Y[m, c]) if Y[m, c].sum() >= 5 else 1.0)
    temps = np.array(temps)
    P = sig(Lg / temps)
    # span temperature on a byte sample
    gold = [byte_spans(e) for e in rows]
    sl_all, sg_all = [], []
    for i in np.where(calib)[0]:
        if gold[i].shape[0] == 0:
            continue
        step = max(1, gold[i].shape[0] // 64)
        sl_all.append(span_l[i][::step])
        sg_all.append(gold[i][::step])
    SLc, SGc = np.concatenate(sl_all), np.concatenate(sg_all).astype(np.float32)
    span_T = fit_temperature(SLc.ravel(), SGc.ravel())

    # ---- thresholds
    thresholds = {p: {"categories": {}, "spans": {}} for p in POLICY_FPR}
    look = lookalike_mask([e["source"] for e in rows])
    for c, name in enumerate(CATEGORIES):
        negs = P[calib & benign, c] if name != "pii" else P[calib & (Y[:, c] == 0), c]
        for pol, fpr in POLICY_FPR.items():
            if name.startswith("harmful"):
                thr = harmful_threshold(P[calib & benign & ~look, c], P[calib & benign & look, c], pol)
            else:
                thr = float(np.quantile(negs, 1 - fpr)) if len(negs) else 0.5
            thresholds[pol]["categories"][name] = round(min(0.99, max(0.02, thr + 1e-6)), 6)
    SPc = sig(SLc / span_T)
    for s, name in enumerate(SPAN_LABELS):
        best, bt = -1, 0.5
        for t in np.linspace(0.1, 0.9, 17):
            pr = SPc[:, s] >= t
            g = SGc[:, s] > 0
            tp = (pr & g).sum()
            f1 = 2 * tp / max(1, pr.sum() + g.sum())
            if f1 > best:
                best, bt = f1, float(t)
        thresholds["balanced"]["spans"][name] = round(bt, 3)
        thresholds["strict"]["spans"][name] = round(max(0.05, bt - 0.15), 3)
        thresholds["permissive"]["spans"][name] = round(min(0.95, bt + 0.15), 3)
    calibration = {"method": "temperature", "category_temperature": [round(float(t), 4) for t in temps],
                   "span_temperature": round(float(span_T), 4)}
    (run / "calibration.json").write_text(json.dumps({"calibration": calibration, "thresholds": thresholds},
                                                     indent=1))

    # ---- metrics on the report half
    bal = thresholds["balanced"]["categories"]
    thr_vec = np.array([bal[c] for c in CATEGORIES])
    flags = P >= thr_vec
    main_idx = [CAT_INDEX["harmful"], CAT_INDEX["jailbreak"], CAT_INDEX["injection"]]
    any_flag = flags[:, main_idx].any(1)
    metrics = {"split": "validation report half (thresholds and temperatures fitted on the other half)",
               "n_report": int(rep.sum()), "n_report_benign": int((rep & benign).sum()), "categories": {}}
    for c, name in enumerate(CATEGORIES):
        pos = rep & (Y[:, c] == 1) & (M[:, c] > 0)
        neg = rep & benign if name != "pii" else rep & (Y[:, c] == 0)
        mm = rep & (M[:, c] > 0)
        metrics["categories"][name] = {
            "n_pos": int(pos.sum()), "auroc": auroc(P[pos, c], P[neg, c]),
            "recall_at_balanced": float(flags[pos, c].mean()) if pos.any() else None,
            "fpr_benign_at_balanced": float(flags[neg, c].mean()) if neg.any() else None,
            "ece": ece(P[mm, c], Y[mm, c])}

    def group_metrics(keyf):
        out = {}
        g = collections.defaultdict(list)
        for i in np.where(rep)[0]:
            g[keyf(rows[i])].append(i)
        for k, idx in sorted(g.items()):
            idx = np.array(idx)
            d = {"n": int(len(idx))}
            pos_h = idx[Y[idx, CAT_INDEX["harmful"]] == 1]
            pos_j = idx[Y[idx, CAT_INDEX["jailbreak"]] == 1]
            pos_i = idx[Y[idx, CAT_INDEX["injection"]] == 1]
            ben = idx[benign[idx]]
            if len(pos_h):
                d["harmful_recall"] = round(float(flags[pos_h, CAT_INDEX["harmful"]].mean()), 4)
            if len(pos_j):
                d["jailbreak_recall"] = round(float(flags[pos_j, CAT_INDEX["jailbreak"]].mean()), 4)
            if len(pos_i):
                d["injection_recall"] = round(float(flags[pos_i, CAT_INDEX["injection"]].mean()), 4)
            pos_any = idx[Y[idx][:, main_idx].sum(1) > 0]
            if len(pos_any):
                d["any_flag_recall"] = round(float(any_flag[pos_any].mean()), 4)
            if len(ben):
                d["benign_fpr_any_flag"] = round(float(any_flag[ben].mean()), 4)
            out[k] = d
        return out

    metrics["by_source"] = group_metrics(lambda e: e["source"])
    metrics["by_val_kind"] = group_metrics(lambda e: e.get("val_kind") or "-")
    metrics["by_lang"] = group_metrics(lambda e: e["lang"])
    metrics["by_kind"] = group_metrics(lambda e: e["kind"].split("+obf")[0] + ("+obf" if "+obf" in e["kind"] else ""))
    obf = np.array(["+obf" in e["kind"] for e in rows])
    metrics["obfuscated"] = group_metrics(lambda e: "obfuscated" if "+obf" in e["kind"] else "plain")
    hb = {}
    for s in HARD_BENIGN:
        idx = np.array([i for i in np.where(rep)[0] if rows[i]["source"] == s and benign[i]])
        if len(idx):
            hb[s] = {"n": int(len(idx)), "fpr_any_flag": round(float(any_flag[idx].mean()), 4),
                     "fpr_harmful": round(float(flags[idx, CAT_INDEX["harmful"]].mean()), 4)}
    metrics["benign_look_alikes"] = hb
    # spans
    sp = {}
    for s, name in enumerate(SPAN_LABELS):
        thr = thresholds["balanced"]["spans"][name]
        tp = fp = fn = 0
        etp = efn = efp = 0
        for i in np.where(rep)[0]:
            g = gold[i][:, s]
            if g.shape[0] == 0:
                continue
            pr = sig(span_l[i][:, s] / span_T) >= thr
            tp += int((pr & g).sum()); fp += int((pr & ~g).sum()); fn += int((~pr & g).sum())
            gr, prr = runs(g), runs(pr)
            for a, b in gr:
                hit = any(min(b, d) - max(a, c) > 0.5 * (b - a) for c, d in prr)
                etp += hit; efn += (not hit)
            for c, d in prr:
                if not any(min(b, d) - max(a, c) > 0 for a, b in gr):
                    efp += 1
        p = tp / max(1, tp + fp); r = tp / max(1, tp + fn)
        ep = etp / max(1, etp + efp); er = etp / max(1, etp + efn)
        sp[name] = {"byte_precision": round(p, 4), "byte_recall": round(r, 4), "byte_f1": round(2 * p * r / max(1e-9, p + r), 4),
                    "span_recall_overlap50": round(er, 4), "span_precision": round(ep, 4), "n_gold_spans": etp + efn}
    metrics["spans"] = sp
    # embeddings
    ci = [i for i, e in enumerate(rows) if e.get("clean_text")]
    if ci:
        A = np.stack([emb[i] for i in ci])
        B = np.stack(emb_c)
        cos_pair = (A * B).sum(1)
        rng = np.random.RandomState(0)
        perm = rng.permutation(len(ci))
        cos_rand = (A * B[perm]).sum(1)
        pk = collections.defaultdict(list)
        for j, i in enumerate(ci):
            pk[rows[i]["pair_kind"]].append(cos_pair[j])
        # retrieval@1 among 200 random pairs
        k = min(200, len(ci))
        sub = rng.choice(len(ci), k, replace=False)
        S = A[sub] @ B[sub].T
        r1 = float((S.argmax(1) == np.arange(k)).mean())
        metrics["embedding"] = {"mean_cos_pairs": round(float(cos_pair.mean()), 4),
                                "mean_cos_random": round(float(cos_rand.mean()), 4),
                                "by_pair_kind": {k2: round(float(np.mean(v)), 4) for k2, v in pk.items()},
                                "retrieval_at_1_of_200": round(r1, 4)}
    metrics["eval_seconds"] = round(time.time() - t0, 1)
    metrics["train_steps"] = ck.get("step")
    metrics["train_elapsed_s"] = round(ck.get("elapsed_s", 0), 1)
    (run / "eval.json").write_text(json.dumps(metrics, indent=1))
    c = metrics["categories"]
    print(json.dumps({k: c[k] for k in ["harmful", "jailbreak", "injection", "pii"]}, indent=1))
    print("benign look-alikes:", json.dumps(hb))
    print("spans:", json.dumps(sp))
    print("embedding:", json.dumps(metrics.get("embedding")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
