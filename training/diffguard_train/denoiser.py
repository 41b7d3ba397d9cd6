"""The rewriter's diffusion model: a conditional DDPM over the analyzer's 384-d embedding space.

Given the embedding of an input prompt, it samples the embedding where the *clean* version of that
prompt lies (the scaffold or injected instruction gone, personal data replaced by placeholders, a benign
prompt unchanged). The TypeScript rewriter (src/core/rewriter) runs the DDIM loop over the exported
one-step ONNX graph and steers a guided edit search towards the sampled target.

Subcommands (run from the repository root through training/py):

  training/py -m diffguard_train.denoiser pairs   [--data training/.cache/data]
  training/py -m diffguard_train.denoiser embed   --analyzer-run training/runs/<name> | --tiny-analyzer
  training/py -m diffguard_train.denoiser train   [--minutes 4]
  training/py -m diffguard_train.denoiser regress [--minutes 1.5]
  training/py -m diffguard_train.denoiser evaluate
  training/py -m diffguard_train.denoiser export  [--version V] [--analyzer-version V] [--out DIR]
  training/py -m diffguard_train.denoiser tiny    # models/denoiser-tiny (random weights, for unit tests)

Work files: training/.cache/denoiser/{pairs_train,pairs_val}.jsonl, emb.npz; runs: training/runs/denoiser/.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from .export import sha256_file
from .model import Analyzer, ModelConfig, TINY
from .text import PAD_ID, encode_bytes, normalize_model_input, windows

REPO = Path(__file__).resolve().parents[2]
# DG_DENOISER_WORK=<dir> keeps a trial run's pairs, embeddings and checkpoints apart from the real ones.
_WORK = os.environ.get("DG_DENOISER_WORK")
CACHE = Path(_WORK) / "cache" if _WORK else REPO / "training" / ".cache" / "denoiser"
RUNS = Path(_WORK) / "runs" if _WORK else REPO / "training" / "runs" / "denoiser"
EMB_DIM = 384
T_STEPS = 1000
FORMAT = "diffguard-denoiser/1"

# The engine's placeholder types for the analyzer's span labels (src/core/analyzer/spans.ts).
PLACEHOLDER = {"person_name": "NAME", "street_address": "ADDRESS", "date_of_birth": "DOB", "other_pii": "PII"}


def seed_all(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


# --------------------------------------------------------------------------------------------- pairs

def placeholder_text(text: str, spans: list[dict]) -> str | None:
    """`text` with every personal-data span replaced by a typed, numbered placeholder ([NAME_1] …);
    the same value gets the same number. None when a span is not personal data."""
    out, cur, numbers, counts = [], 0, {}, {}
    for s in sorted(spans, key=lambda s: s["start"]):
        typ = PLACEHOLDER.get(s["label"])
        if typ is None or s["start"] < cur:
            return None
        value = text[s["start"]:s["end"]]
        key = (typ, value)
        if key not in numbers:
            counts[typ] = counts.get(typ, 0) + 1
            numbers[key] = counts[typ]
        out.append(text[cur:s["start"]])
        out.append(f"[{typ}_{numbers[key]}]")
        cur = s["end"]
    out.append(text[cur:])
    return "".join(out)


def pair_of(e: dict) -> tuple[str, str] | None:
    """The (input, clean) training pair of one data-cache row, or None when the row gives none.

    - scaffold rows (jailbreak scaffold / injected instruction around a benign request): text -> clean_text;
    - personal data: text -> the same text with typed placeholders (built from the spans);
    - benign rows (no category, no span; includes benign politeness wraps and obfuscated benign text): itself;
    - harmful requests (any harmful category) get no clean version; nor do pure attacks without a request,
      nor obfuscation pairs (the rewriter does not de-obfuscate text)."""
    cats = e.get("cats") or []
    if any(c.startswith("harmful") for c in cats):
        return None
    spans = e.get("spans") or []
    pk = e.get("pair_kind")
    text = e["text"]
    if pk == "scaffold" and e.get("clean_text"):
        if "+obf" in e.get("kind", ""):
            return None
        return text, e["clean_text"]
    span_labels = {s["label"] for s in spans}
    if span_labels and span_labels <= set(PLACEHOLDER):
        clean = placeholder_text(text, spans)
        return (text, clean) if clean is not None else None
    if not cats and not spans:
        return text, text
    return None


def group_of(e: dict, inp: str, clean: str) -> str:
    if inp == clean:
        return "identity"
    if e.get("pair_kind") == "scaffold":
        return "injection" if "injection" in (e.get("cats") or []) else "scaffold"
    return "pii"


def cmd_pairs(args) -> int:
    CACHE.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    caps = {"identity": args.max_identity, "scaffold": args.max_scaffold, "injection": args.max_scaffold,
            "pii": args.max_pii}
    stats = {}
    for split in ("train", "val"):
        rows = []
        with open(Path(args.data) / f"{split}.jsonl", encoding="utf-8") as f:
            for line in f:
                e = json.loads(line)
                p = pair_of(e)
                if p is None:
                    continue
                inp, clean = p
                if len(inp.encode("utf-8")) > args.max_bytes:
                    continue
                g = group_of(e, inp, clean)
                rows.append({"input": inp, "clean": clean, "group": g, "kind": e.get("kind"),
                             "family": e.get("family"), "val_kind": e.get("val_kind"), "split": split})
        rng.shuffle(rows)
        scale = 1.0 if split == "train" else args.val_fraction
        kept, seen = [], {}
        for r in rows:
            cap = int(caps[r["group"]] * scale)
            if seen.get(r["group"], 0) >= cap:
                continue
            seen[r["group"]] = seen.get(r["group"], 0) + 1
            kept.append(r)
        with open(CACHE / f"pairs_{split}.jsonl", "w", encoding="utf-8") as f:
            for r in kept:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        stats[split] = seen
        print(f"{split}: {len(kept)} pairs {seen}", flush=True)
    (CACHE / "pairs_stats.json").write_text(json.dumps(stats, indent=1))
    return 0


# --------------------------------------------------------------------------------------------- embed

def load_analyzer(run: str | None, tiny: bool) -> tuple[Analyzer, dict]:
    """The analyzer the denoiser is trained against: a training run's checkpoint, or the tiny random one
    (seed 1234, identical to models/analyzer-tiny)."""
    if tiny:
        torch.manual_seed(1234)
        m = Analyzer(TINY)
        m.eval()
        return m, {"name": "analyzer-tiny", "version": "tiny-1", "run": None}
    ck = torch.load(Path(run) / "model.pt", map_location="cpu")
    m = Analyzer(ModelConfig(**ck["config"]))
    m.load_state_dict(ck["state_dict"])
    m.eval()
    bad = [n for n, p in m.state_dict().items() if not torch.isfinite(p).all()]
    if bad:
        raise SystemExit(f"analyzer checkpoint {run} has non-finite weights ({bad[:3]} …)")
    return m, {"name": "analyzer", "version": None, "run": str(run), "step": ck.get("step"),
               "checkpoint_sha256": sha256_file(Path(run) / "model.pt")}


@torch.no_grad()
def embed_texts(model: Analyzer, texts: list[str], batch_bytes: int = 24000) -> np.ndarray:
    """Runtime-identical embeddings: normalised text, byte windows, mean of the window embeddings,
    L2-normalised (as src/core/analyzer does)."""
    cfg = model.cfg
    jobs = []
    for ti, t in enumerate(texts):
        b = normalize_model_input(t).encode("utf-8")
        for _, w in windows(b, cfg.max_len, cfg.stride):
            jobs.append((ti, encode_bytes(w)))
    order = sorted(range(len(jobs)), key=lambda j: len(jobs[j][1]))
    sums = np.zeros((len(texts), EMB_DIM), dtype=np.float64)
    i = 0
    t0 = time.time()
    next_report = 2000
    while i < len(order):
        j = i
        while j < len(order) and len(jobs[order[j]][1]) * (j - i + 1) <= batch_bytes:
            j += 1
        j = max(j, i + 1)
        chunk = [jobs[k] for k in order[i:j]]
        L = max(len(c[1]) for c in chunk)
        ids = torch.tensor([c[1] + [PAD_ID] * (L - len(c[1])) for c in chunk])
        mask = (ids != PAD_ID).long()
        _, _, em = model(ids, mask)
        em = em.numpy().astype(np.float64)
        for r, (ti, _) in enumerate(chunk):
            sums[ti] += em[r]
        i = j
        if i >= next_report:
            next_report += 2000
            print(f"  embedded {i}/{len(order)} windows ({time.time() - t0:.0f} s)", flush=True)
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    return (sums / np.maximum(norms, 1e-12)).astype(np.float32)


def cmd_embed(args) -> int:
    torch.set_num_threads(args.threads)
    model, info = load_analyzer(args.analyzer_run, args.tiny_analyzer)
    out = {}
    for split in ("train", "val"):
        rows = [json.loads(l) for l in open(CACHE / f"pairs_{split}.jsonl", encoding="utf-8")]
        uniq = sorted({r["input"] for r in rows} | {r["clean"] for r in rows})
        t0 = time.time()
        emb = embed_texts(model, uniq)
        print(f"{split}: {len(uniq)} texts embedded in {time.time() - t0:.0f} s", flush=True)
        idx = {t: i for i, t in enumerate(uniq)}
        out[f"{split}_x"] = emb[[idx[r["input"]] for r in rows]]
        out[f"{split}_y"] = emb[[idx[r["clean"]] for r in rows]]
    np.savez_compressed(CACHE / "emb.npz", **out)
    (CACHE / "emb_info.json").write_text(json.dumps(info, indent=1))
    print(f"wrote {CACHE / 'emb.npz'} (analyzer {info})")
    return 0


# --------------------------------------------------------------------------------------------- model

def cosine_alphas_cumprod(T: int = T_STEPS, s: float = 0.008) -> np.ndarray:
    """Nichol & Dhariwal's cosine schedule: alpha_bar(t) = f(t)/f(0), f(t) = cos^2(((t/T)+s)/(1+s) * pi/2),
    betas clipped at 0.999. Index t = 0..T-1 is the cumulative product after t+1 noising steps."""
    steps = np.arange(T + 1, dtype=np.float64) / T
    f = np.cos((steps + s) / (1 + s) * math.pi / 2) ** 2
    ab = f / f[0]
    betas = np.clip(1 - ab[1:] / ab[:-1], 0, 0.999)
    return np.cumprod(1 - betas)


def timestep_embedding(t: torch.Tensor, dim: int) -> torch.Tensor:
    """Sinusoidal embedding of float timesteps [B] -> [B, dim]."""
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
    args = t.float().unsqueeze(-1) * freqs.unsqueeze(0)
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


class ResBlock(nn.Module):
    def __init__(self, d: int, dt_: int, dropout: float):
        super().__init__()
        self.ln = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, 2 * d)
        self.film = nn.Linear(dt_, 4 * d)
        self.fc2 = nn.Linear(2 * d, d)
        self.drop = nn.Dropout(dropout)

    def forward(self, h, temb):
        scale, shift = self.film(temb).chunk(2, dim=-1)
        z = self.fc1(self.ln(h)) * (1 + scale) + shift
        return h + self.fc2(self.drop(F.silu(z)))


class Denoiser(nn.Module):
    """Denoising network over x_t (standardised embedding space), conditioned on the raw input embedding;
    `cond_mask` = 0 replaces the condition by a learned null vector (classifier-free guidance). The
    standardisation of the condition (mean, scale) is part of the graph.

    Parameterisation: the network predicts x0 (as cond + a residual when conditioned) and the graph converts it to
    eps = (x_t - sqrt(ab_t) x0) / sqrt(1 - ab_t), so the exported step keeps the ε interface. Trained on ε directly,
    the loss hardly depends on the condition at high noise (the condition's share of ε is sqrt(ab_t) ~ 0) and the
    network learned to ignore it (measured: DDIM samples at cosine 0.75 to the clean embedding, below the input's 0.97)."""

    def __init__(self, d: int = 512, n_blocks: int = 4, t_dim: int = 128, dropout: float = 0.0,
                 mean: np.ndarray | None = None, scale: float = 1.0):
        super().__init__()
        self.cfg = {"hidden": d, "blocks": n_blocks, "t_dim": t_dim, "dropout": dropout, "parameterisation": "x0"}
        self.t_dim = t_dim
        self.register_buffer("mean", torch.tensor(mean if mean is not None else np.zeros(EMB_DIM), dtype=torch.float32))
        self.register_buffer("scale", torch.tensor(float(scale)))
        self.register_buffer("ab", torch.tensor(cosine_alphas_cumprod(), dtype=torch.float32))
        self.t_mlp = nn.Sequential(nn.Linear(t_dim, 2 * t_dim), nn.SiLU(), nn.Linear(2 * t_dim, 2 * t_dim))
        self.x_in = nn.Linear(EMB_DIM, d)
        self.c_in = nn.Linear(EMB_DIM, d)
        self.null = nn.Parameter(torch.zeros(d))
        self.blocks = nn.ModuleList([ResBlock(d, 2 * t_dim, dropout) for _ in range(n_blocks)])
        self.ln_out = nn.LayerNorm(d)
        self.out = nn.Linear(d, EMB_DIM)
        nn.init.zeros_(self.out.weight)
        nn.init.zeros_(self.out.bias)

    def predict_x0(self, x_t, t, cond, cond_mask):
        temb = self.t_mlp(timestep_embedding(t, self.t_dim))
        cz = (cond - self.mean) * self.scale
        c = cond_mask * self.c_in(cz) + (1 - cond_mask) * self.null
        h = self.x_in(x_t) + c
        for b in self.blocks:
            h = b(h, temb)
        return cond_mask * cz + self.out(self.ln_out(h))

    def forward(self, x_t, t, cond, cond_mask):
        a = self.ab[t.long()].unsqueeze(-1)
        x0 = self.predict_x0(x_t, t, cond, cond_mask)
        return (x_t - torch.sqrt(a) * x0) / torch.sqrt(1 - a)


class Regressor(nn.Module):
    """Direct regression baseline: input embedding -> clean embedding (residual MLP, L2-normalised)."""

    def __init__(self, d: int = 512, mean: np.ndarray | None = None, scale: float = 1.0):
        super().__init__()
        self.cfg = {"hidden": d}
        self.register_buffer("mean", torch.tensor(mean if mean is not None else np.zeros(EMB_DIM), dtype=torch.float32))
        self.register_buffer("scale", torch.tensor(float(scale)))
        self.net = nn.Sequential(nn.Linear(EMB_DIM, d), nn.SiLU(), nn.Linear(d, d), nn.SiLU(), nn.Linear(d, EMB_DIM))
        nn.init.zeros_(self.net[-1].weight)
        nn.init.zeros_(self.net[-1].bias)

    def forward(self, cond):
        z = (cond - self.mean) * self.scale
        y = (z + self.net(z)) / self.scale + self.mean
        return y / torch.sqrt((y * y).sum(-1, keepdim=True) + 1e-12)


def ddim_sample(model: Denoiser, cond: torch.Tensor, noise: torch.Tensor, ab: np.ndarray, steps: int,
                guidance: float) -> torch.Tensor:
    """Deterministic DDIM (eta 0) with classifier-free guidance and the x0 estimate projected onto the unit
    sphere at every step; returns L2-normalised embeddings.
    Must match src/core/rewriter/ddim.ts step for step (the parity test checks it)."""
    seq = ddim_timesteps(len(ab), steps)
    x = noise.clone()
    B = cond.shape[0]
    ones, zeros = torch.ones(B, 1), torch.zeros(B, 1)
    x0 = x
    with torch.no_grad():
        for i, t in enumerate(seq):
            a_t = float(ab[t])
            a_prev = float(ab[seq[i + 1]]) if i + 1 < len(seq) else 1.0
            tt = torch.full((B,), float(t))
            e_c = model(x, tt, cond, ones)
            if guidance == 1.0:
                eps = e_c
            else:
                e_u = model(x, tt, cond, zeros)
                eps = e_u + guidance * (e_c - e_u)
            x0 = (x - math.sqrt(1 - a_t) * eps) / math.sqrt(a_t)
            # Project the x0 estimate onto the data manifold (unit embeddings), then re-derive eps from it.
            # Near t = T-1 alpha_bar is ~1e-9, so an unprojected x0 estimate would be amplified ~1e4 times.
            y = x0 / model.scale + model.mean
            x0 = (y / torch.sqrt((y * y).sum(-1, keepdim=True) + 1e-12) - model.mean) * model.scale
            eps = (x - math.sqrt(a_t) * x0) / math.sqrt(1 - a_t)
            x = math.sqrt(a_prev) * x0 + math.sqrt(1 - a_prev) * eps
    y = x0 / model.scale + model.mean
    return y / torch.sqrt((y * y).sum(-1, keepdim=True) + 1e-12)


def ddim_timesteps(T: int, steps: int) -> list[int]:
    """Descending timesteps: round(linspace(T-1, 0, steps)), de-duplicated."""
    steps = max(1, min(steps, T))
    if steps == 1:
        return [T - 1]
    seq = [int(round((T - 1) * (1 - i / (steps - 1)))) for i in range(steps)]
    out = []
    for s in seq:
        if not out or s != out[-1]:
            out.append(s)
    return out


# --------------------------------------------------------------------------------------------- train

def load_emb():
    z = np.load(CACHE / "emb.npz")
    return {k: z[k] for k in z.files}


def standardisation(y: np.ndarray) -> tuple[np.ndarray, float]:
    mean = y.mean(0)
    scale = 1.0 / float((y - mean).std())
    return mean.astype(np.float32), scale


def cmd_train(args) -> int:
    torch.set_num_threads(args.threads)
    seed_all(args.seed)
    d = load_emb()
    x, y = torch.tensor(d["train_x"]), torch.tensor(d["train_y"])
    mean, scale = standardisation(d["train_y"])
    model = Denoiser(d=args.hidden, n_blocks=args.blocks, t_dim=args.t_dim, dropout=args.dropout, mean=mean, scale=scale)
    ema = Denoiser(d=args.hidden, n_blocks=args.blocks, t_dim=args.t_dim, dropout=0.0, mean=mean, scale=scale)
    ema.load_state_dict(model.state_dict())
    ab = torch.tensor(cosine_alphas_cumprod(), dtype=torch.float32)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.0)
    y_std = (y - torch.tensor(mean)) * scale
    n = x.shape[0]
    t0, step, ema_loss = time.time(), 0, None
    budget = args.minutes * 60
    RUNS.mkdir(parents=True, exist_ok=True)
    log = open(RUNS / "train_log.jsonl", "w")
    while True:
        frac = (time.time() - t0) / budget
        if frac >= 1.0 or step >= args.max_steps:
            break
        lr = args.lr * min(1.0, (step + 1) / 200) * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * frac)))
        for g in opt.param_groups:
            g["lr"] = lr
        idx = torch.randint(0, n, (args.batch,))
        x0, c = y_std[idx], x[idx]
        t = torch.randint(0, T_STEPS, (args.batch,))
        noise = torch.randn_like(x0)
        a = ab[t].unsqueeze(-1)
        xt = a.sqrt() * x0 + (1 - a).sqrt() * noise
        mask = (torch.rand(args.batch, 1) >= args.p_uncond).float()
        pred = model.predict_x0(xt, t.float(), c, mask)
        loss = F.mse_loss(pred, x0)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        with torch.no_grad():
            decay = min(args.ema, (1 + step) / (10 + step))
            for pe, pm in zip(ema.parameters(), model.parameters()):
                pe.mul_(decay).add_(pm.detach(), alpha=1 - decay)
        step += 1
        ema_loss = float(loss) if ema_loss is None else 0.98 * ema_loss + 0.02 * float(loss)
        if step % 200 == 0:
            rec = {"step": step, "elapsed_s": round(time.time() - t0, 1), "lr": round(lr, 6), "loss_ema": round(ema_loss, 5)}
            log.write(json.dumps(rec) + "\n")
            log.flush()
            print(json.dumps(rec), flush=True)
    torch.save({"state_dict": ema.state_dict(), "cfg": ema.cfg, "step": step, "elapsed_s": time.time() - t0,
                "args": vars(args), "final_loss_ema": ema_loss}, RUNS / "denoiser.pt")
    print(f"denoiser: {step} steps in {time.time() - t0:.0f} s, loss_ema {ema_loss:.4f} -> {RUNS / 'denoiser.pt'}")
    return 0


def cmd_regress(args) -> int:
    torch.set_num_threads(args.threads)
    seed_all(args.seed)
    d = load_emb()
    x, y = torch.tensor(d["train_x"]), torch.tensor(d["train_y"])
    mean, scale = standardisation(d["train_y"])
    model = Regressor(d=args.hidden, mean=mean, scale=scale)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    n = x.shape[0]
    t0, step = time.time(), 0
    budget = args.minutes * 60
    while (time.time() - t0) < budget and step < args.max_steps:
        frac = (time.time() - t0) / budget
        for g in opt.param_groups:
            g["lr"] = args.lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * frac)))
        idx = torch.randint(0, n, (args.batch,))
        loss = (1 - (model(x[idx]) * y[idx]).sum(-1)).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        step += 1
        if step % 500 == 0:
            print(json.dumps({"step": step, "loss": round(float(loss), 5), "elapsed_s": round(time.time() - t0, 1)}), flush=True)
    RUNS.mkdir(parents=True, exist_ok=True)
    torch.save({"state_dict": model.state_dict(), "cfg": model.cfg, "step": step}, RUNS / "regressor.pt")
    print(f"regressor: {step} steps in {time.time() - t0:.0f} s -> {RUNS / 'regressor.pt'}")
    return 0


def load_trained():
    ck = torch.load(RUNS / "denoiser.pt", map_location="cpu")
    cfg = ck["cfg"]
    den = Denoiser(d=cfg["hidden"], n_blocks=cfg["blocks"], t_dim=cfg["t_dim"])
    den.load_state_dict(ck["state_dict"])
    den.eval()
    rk = torch.load(RUNS / "regressor.pt", map_location="cpu")
    reg = Regressor(d=rk["cfg"]["hidden"])
    reg.load_state_dict(rk["state_dict"])
    reg.eval()
    return den, reg, ck


# ------------------------------------------------------------------------------------------ evaluate

@torch.no_grad()
def cmd_evaluate(args) -> int:
    torch.set_num_threads(args.threads)
    den, reg, _ = load_trained()
    d = load_emb()
    rows = [json.loads(l) for l in open(CACHE / "pairs_val.jsonl", encoding="utf-8")]
    sub = list(range(min(len(rows), args.max_rows)))
    rows = [rows[i] for i in sub]
    x, y = torch.tensor(d["val_x"][sub]), torch.tensor(d["val_y"][sub])
    groups = sorted({r["group"] for r in rows})
    gidx = {g: [i for i, r in enumerate(rows) if r["group"] == g] for g in groups}
    ab = cosine_alphas_cumprod()
    g = torch.Generator().manual_seed(7)
    noise = torch.randn(x.shape[0], EMB_DIM, generator=g)
    res = {"n": {k: len(v) for k, v in gidx.items()}, "cos_to_clean": {}}

    def record(name, pred):
        cos = (pred * y).sum(-1).numpy()
        res["cos_to_clean"][name] = {k: round(float(cos[v].mean()), 4) for k, v in gidx.items()}
        res["cos_to_clean"][name]["all"] = round(float(cos.mean()), 4)

    record("input (no model)", x)
    record("regression", reg(x))
    for steps in (5, 10, 20, 50):
        for w in (0.0, 1.0, 2.0, 4.0):
            if steps != 10 and w != 2.0 and not (steps == 20 and w in (1.0, 4.0)):
                continue
            record(f"diffusion steps={steps} w={w}", ddim_sample(den, x, noise, ab, steps, w))
    (RUNS / "embedding_eval.json").write_text(json.dumps(res, indent=1))
    print(json.dumps(res, indent=1))
    return 0


# --------------------------------------------------------------------------------------------- export

class _Step(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, x_t, t, cond, cond_mask):
        return self.m(x_t, t, cond, cond_mask)


def export_step(model: Denoiser, path: Path) -> None:
    model.eval()
    B = 2
    torch.onnx.export(
        _Step(model), (torch.randn(B, EMB_DIM), torch.tensor([999.0, 10.0]), torch.randn(B, EMB_DIM), torch.ones(B, 1)),
        str(path), opset_version=17, input_names=["x_t", "t", "cond", "cond_mask"], output_names=["eps"],
        dynamic_axes={"x_t": {0: "batch"}, "t": {0: "batch"}, "cond": {0: "batch"}, "cond_mask": {0: "batch"},
                      "eps": {0: "batch"}},
        do_constant_folding=True)
    import onnx
    onnx.checker.check_model(onnx.load(str(path)))


def export_regressor(model: Regressor, path: Path) -> None:
    model.eval()
    torch.onnx.export(model, (torch.randn(2, EMB_DIM),), str(path), opset_version=17, input_names=["cond"],
                      output_names=["target"], dynamic_axes={"cond": {0: "batch"}, "target": {0: "batch"}},
                      do_constant_folding=True)
    import onnx
    onnx.checker.check_model(onnx.load(str(path)))


def unit(v: torch.Tensor) -> torch.Tensor:
    return v / v.norm(dim=-1, keepdim=True)


@torch.no_grad()
def parity_cases(den: Denoiser, reg: Regressor, ab: np.ndarray, conds: torch.Tensor) -> dict:
    g = torch.Generator().manual_seed(99)
    B = conds.shape[0]
    x_t = torch.randn(B, EMB_DIM, generator=g)
    t = torch.tensor([float(v) for v in np.linspace(999, 0, B).round()])
    mask = torch.tensor([[1.0] if i % 2 == 0 else [0.0] for i in range(B)])
    eps = den(x_t, t, conds, mask)
    noise = torch.randn(B, EMB_DIM, generator=g)
    samples = []
    for steps, w in ((10, 2.0), (5, 0.0), (20, 1.0)):
        out = ddim_sample(den, conds, noise, ab, steps, w)
        samples.append({"steps": steps, "guidance": w, "noise": noise.tolist(), "cond": conds.tolist(),
                        "timesteps": ddim_timesteps(len(ab), steps), "x0": out.tolist()})
    r4 = lambda a: [[round(float(v), 6) for v in row] for row in a]
    return {
        "atol": 1e-3,
        "note": "step: one batched denoising step (PyTorch eps for x_t, t, cond, cond_mask). ddim: full samples "
                "(noise given; eta 0; eps = eps_u + w (eps_c - eps_u)); x0 is the L2-normalised target embedding.",
        "step": {"x_t": r4(x_t), "t": t.tolist(), "cond": r4(conds), "cond_mask": mask.tolist(), "eps": r4(eps)},
        "ddim": [{**s, "noise": r4(s["noise"]), "cond": r4(s["cond"]), "x0": r4(s["x0"])} for s in samples],
        "regression": {"cond": r4(conds), "target": r4(reg(conds))},
    }


def write_bundle(den: Denoiser, reg: Regressor, out: Path, *, name: str, version: str, analyzer: dict,
                 metrics: dict, training: dict, conds: torch.Tensor) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    export_step(den, out / "denoiser.onnx")
    export_regressor(reg, out / "regression.onnx")
    ab = cosine_alphas_cumprod()
    manifest = {
        "format": FORMAT, "name": name, "version": version, "opset": 17,
        "files": {f: {"sha256": sha256_file(out / f), "bytes": (out / f).stat().st_size}
                  for f in ("denoiser.onnx", "regression.onnx")},
        "embedding_dim": EMB_DIM,
        "prediction": "epsilon",
        "parameterisation": "the network predicts x0; the graph outputs eps = (x_t - sqrt(ab_t) x0) / sqrt(1 - ab_t)",
        "inputs": [{"name": "x_t", "dtype": "float32", "shape": ["batch", EMB_DIM]},
                   {"name": "t", "dtype": "float32", "shape": ["batch"], "note": "timestep index 0..T-1"},
                   {"name": "cond", "dtype": "float32", "shape": ["batch", EMB_DIM], "note": "analyzer embedding of the input (L2-normalised)"},
                   {"name": "cond_mask", "dtype": "float32", "shape": ["batch", 1], "note": "1 conditioned, 0 unconditional"}],
        "outputs": [{"name": "eps", "dtype": "float32", "shape": ["batch", EMB_DIM]}],
        "regression": {"file": "regression.onnx", "inputs": [{"name": "cond", "dtype": "float32"}],
                       "outputs": [{"name": "target", "dtype": "float32", "note": "L2-normalised"}]},
        "space": {"note": "x lives in the standardised space: x0 = (embedding - mean) * scale; a sample maps back "
                          "as embedding = normalise(x0 / scale + mean)",
                  "scale": float(den.scale), "mean": [round(float(v), 7) for v in den.mean]},
        "schedule": {"type": "cosine", "T": T_STEPS, "s": 0.008, "alphas_cumprod": [float(f"{v:.9g}") for v in ab]},
        "sampler": {"type": "ddim", "eta": 0.0, "default_steps": 10, "default_guidance": 1.0,
                    "timesteps": "round(linspace(T-1, 0, steps))"},
        "architecture": {**den.cfg, "params": sum(p.numel() for p in den.parameters()),
                         "regression_params": sum(p.numel() for p in reg.parameters())},
        "analyzer": analyzer,
        "training": training,
        "metrics": metrics,
        "source_commit": "uncommitted",
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    (out / "parity.json").write_text(json.dumps(parity_cases(den, reg, ab, conds)) + "\n")
    return manifest


def cmd_export(args) -> int:
    torch.set_num_threads(args.threads)
    den, reg, ck = load_trained()
    info = json.loads((CACHE / "emb_info.json").read_text())
    if args.analyzer_version:  # the exported analyzer these embeddings come from (the runtime checks it)
        onnx = REPO / "models" / "analyzer" / args.analyzer_version / "model.onnx"
        info["version"] = args.analyzer_version
        info["model_onnx_sha256"] = sha256_file(onnx)
    metrics = {}
    if (RUNS / "embedding_eval.json").exists():
        metrics["embedding"] = json.loads((RUNS / "embedding_eval.json").read_text())
    stats = json.loads((CACHE / "pairs_stats.json").read_text()) if (CACHE / "pairs_stats.json").exists() else {}
    version = args.version or dt.date.today().strftime("%Y.%m.%d") + "-1"
    out = Path(args.out) if args.out else REPO / "models" / "denoiser" / version
    d = load_emb()
    conds = torch.tensor(d["val_x"][:6])
    training = {"pairs": stats, "steps": ck.get("step"), "elapsed_s": round(ck.get("elapsed_s", 0), 1),
                "args": ck.get("args"), "final_loss_ema": ck.get("final_loss_ema")}
    m = write_bundle(den, reg, out, name="denoiser", version=version, analyzer=info, metrics=metrics,
                     training=training, conds=conds)
    if not args.out:
        (REPO / "models" / "denoiser" / "LATEST").write_text(version + "\n")
    print(f"wrote {out} ({m['files']['denoiser.onnx']['bytes']} bytes)")
    return 0


def cmd_tiny(args) -> int:
    """models/denoiser-tiny: random weights (seed 1234), small network, for unit tests of the mechanics."""
    torch.set_num_threads(1)
    torch.manual_seed(1234)
    g = torch.Generator().manual_seed(5)
    mean = (torch.randn(EMB_DIM, generator=g) * 0.01).numpy()
    den = Denoiser(d=32, n_blocks=1, t_dim=16, mean=mean, scale=19.6)
    for p in den.out.parameters():  # random (not zero) output layer so eps depends on the inputs
        nn.init.normal_(p, std=0.05)
    den.eval()
    reg = Regressor(d=32, mean=mean, scale=19.6)
    for p in reg.net[-1].parameters():
        nn.init.normal_(p, std=0.05)
    reg.eval()
    conds = unit(torch.randn(4, EMB_DIM, generator=g))
    out = Path(args.out) if args.out else REPO / "models" / "denoiser-tiny"
    m = write_bundle(den, reg, out, name="denoiser-tiny", version="tiny-1",
                     analyzer={"name": "analyzer-tiny", "version": "tiny-1"},
                     metrics={}, training={"note": "random weights, for unit tests only; outputs are meaningless"},
                     conds=conds)
    print(f"wrote {out} ({m['files']['denoiser.onnx']['bytes']} bytes)")
    return 0


# ----------------------------------------------------------------------------------------------- card

def _fmt_embedding_table(ev: dict) -> str:
    groups = [g for g in ("scaffold", "injection", "pii", "identity", "all")]
    lines = ["| target | " + " | ".join(groups) + " |", "|---|" + "---|" * len(groups)]
    for name, row in ev.get("cos_to_clean", {}).items():
        lines.append(f"| {name} | " + " | ".join(f"{row.get(g, float('nan')):.3f}" for g in groups) + " |")
    return "\n".join(lines)


def cmd_card(args) -> int:
    """(Re)writes MODEL_CARD.md of an exported folder from its manifest, the embedding-space evaluation and,
    when present, eval-rewriter.md / eval-rewriter.json (written by scripts/eval-rewriter.ts)."""
    out = Path(args.dir)
    m = json.loads((out / "manifest.json").read_text())
    ev = m.get("metrics", {}).get("embedding", {})
    rewrite_md = (out / "eval-rewriter.md").read_text() if (out / "eval-rewriter.md").exists() else \
        "_not measured yet: run `DG_EVAL_REWRITER=1 npx vitest run --project node scripts/eval-rewriter.test.ts`_\n"
    rewrite_meta = ""
    if (out / "eval-rewriter.json").exists():
        meta = json.loads((out / "eval-rewriter.json").read_text()).get("meta", {})
        rewrite_meta = f"Rows: {meta.get('n')}; measured {meta.get('date')} with analyzer `{meta.get('analyzerDir')}`."
    notes = (out / "NOTES.md").read_text() if (out / "NOTES.md").exists() else ""
    tr = m.get("training", {})
    arch = m.get("architecture", {})
    text = f"""# DiffGuard denoiser {m['version']} — model card

The rewriter's diffusion model: a conditional DDPM over the analyzer's 384-d embedding space. Given the analyzer
embedding of an input prompt it samples the embedding where the *clean* version of that prompt lies (scaffold or
injected instruction gone, personal data replaced by placeholders, a benign prompt unchanged). Text is never
generated from it: the guided edit search in `src/core/rewriter` proposes concrete edits and uses the sampled
target as one term of its score. Trained against analyzer `{m.get('analyzer', {})}`.

## Model
- ε-prediction residual MLP: x_t → Linear({arch.get('hidden')}), + condition Linear(standardised input embedding)
  (a learned null vector when `cond_mask` = 0), {arch.get('blocks')} residual blocks with FiLM from a sinusoidal
  timestep embedding (dim {arch.get('t_dim')}), LayerNorm, Linear → ε. {arch.get('params')} parameters.
- Space: x0 = (clean embedding − mean) · scale (per-dataset mean, one scale so x0 has unit variance); a sample maps
  back as normalise(x0 / scale + mean).
- DDPM objective, T = {m['schedule']['T']}, **cosine schedule** (Nichol & Dhariwal 2021, s = 0.008). Why cosine: the
  linear schedule drives ᾱ_t to ~0 long before t = T, so most timesteps see almost pure noise and few-step DDIM
  (10–20 steps, which the latency budget needs) skips over the informative part; the cosine schedule spreads the
  signal-to-noise ratio evenly in log-SNR, which matters more for low-dimensional data such as one 384-d vector.
- Classifier-free guidance: condition dropped with p = {(tr.get('args') or {}).get('p_uncond')}; sampling uses
  ε = ε_u + w (ε_c − ε_u). DDIM, η = 0, timesteps round(linspace(T−1, 0, steps)), initial noise seeded from a
  hash of the input text (reproducible rewrites).
- Regression baseline (ablation): residual MLP input embedding → clean embedding, cosine loss
  ({arch.get('regression_params')} parameters), `regression.onnx`.
- Training: {tr.get('steps')} steps in {tr.get('elapsed_s')} s on CPU (1 thread), AdamW, EMA 0.999;
  final loss (EMA) {tr.get('final_loss_ema')}.

## Data
Pairs built by `denoiser.py pairs` from the analyzer's data cache (same synthetic compositions and splits):
(jailbreak scaffold around a benign request → the request), (text with an injected instruction → text without),
(text with personal data → same text with typed placeholders built from the spans), (benign prompt → itself).
Harmful requests get no clean version; pure attacks without a request and obfuscation pairs are not used.
Counts: `{json.dumps(tr.get('pairs', {}))}`. Validation pairs come from the validation split (held-out scaffold
families and sources).

## Embedding-space evaluation (validation pairs)
Mean cosine between the predicted target and the analyzer embedding of the true clean text, by pair group
("input (no model)" = using the input embedding itself as the target):

{_fmt_embedding_table(ev)}

## Rewrite evaluation (validation, through the engine)
Wrapped benign requests from scaffold families the analyzer never saw (chrF of the cleaned text against the bare
request), benign prompts (share returned unchanged), wrapped harmful requests (share blocked), latency of
`engine.sanitize` per prompt on one CPU core shared with other jobs (ms). {rewrite_meta}

{rewrite_md}
{notes}
## Files
`denoiser.onnx` (one batched denoising step: x_t, t, cond, cond_mask → eps), `regression.onnx` (cond → target),
`manifest.json` (schedule ᾱ, standardisation, sampler defaults, sha256), `parity.json` (PyTorch step, full DDIM
samples and regression outputs, replayed by `src/core/rewriter/ddim.test.ts`).

Reproduce: `training/py -m diffguard_train.denoiser pairs && … embed --analyzer-run training/runs/<run> && … train
&& … regress && … evaluate && … export && … card --dir models/denoiser/<version>`.
"""
    (out / "MODEL_CARD.md").write_text(text)
    print(f"wrote {out / 'MODEL_CARD.md'}")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)

    def common(p):
        p.add_argument("--threads", type=int, default=1)
        p.add_argument("--seed", type=int, default=1234)
        return p

    p = common(sub.add_parser("pairs"))
    p.add_argument("--data", default=str(REPO / "training" / ".cache" / "data"))
    p.add_argument("--max-identity", type=int, default=9000)
    p.add_argument("--max-scaffold", type=int, default=9000)
    p.add_argument("--max-pii", type=int, default=4000)
    p.add_argument("--max-bytes", type=int, default=4000)
    p.add_argument("--val-fraction", type=float, default=0.25)
    p = common(sub.add_parser("embed"))
    p.add_argument("--analyzer-run")
    p.add_argument("--tiny-analyzer", action="store_true")
    for name, minutes, lr, hidden in (("train", 6.0, 1e-3, 256), ("regress", 1.5, 1e-3, 512)):
        p = common(sub.add_parser(name))
        p.add_argument("--minutes", type=float, default=minutes)
        p.add_argument("--max-steps", type=int, default=100000)
        p.add_argument("--batch", type=int, default=128 if name == "train" else 256)
        p.add_argument("--lr", type=float, default=lr)
        p.add_argument("--hidden", type=int, default=hidden)
        if name == "train":
            p.add_argument("--blocks", type=int, default=3)
            p.add_argument("--t-dim", type=int, default=64)
            p.add_argument("--dropout", type=float, default=0.0)
            p.add_argument("--p-uncond", type=float, default=0.15)
            p.add_argument("--ema", type=float, default=0.999)
    p = common(sub.add_parser("evaluate"))
    p.add_argument("--max-rows", type=int, default=1200)
    p = common(sub.add_parser("export"))
    p.add_argument("--version")
    p.add_argument("--analyzer-version", help="models/analyzer/<version> the embeddings were made with")
    p.add_argument("--out")
    p = common(sub.add_parser("card"))
    p.add_argument("--dir", required=True)
    p = common(sub.add_parser("tiny"))
    p.add_argument("--out")
    args = ap.parse_args(argv)
    return {"pairs": cmd_pairs, "embed": cmd_embed, "train": cmd_train, "regress": cmd_regress,
            "evaluate": cmd_evaluate, "export": cmd_export, "tiny": cmd_tiny, "card": cmd_card}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
