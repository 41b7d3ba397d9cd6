"""Per-policy thresholds, shared by the analyzer's and the lexical head's calibration.

Validation's benign prompts are two thirds benign look-alikes (OR-Bench hard, PHTest, CoCoNot contrast,
ToxiGen neutral statements …), built to sound harmful. A harmful threshold at "1% of all benign" is
therefore set by the hardest look-alikes, not by what users type. For the harmful categories the
threshold is the higher of two quantiles: the ordinary benign prompts' (FPR_ORDINARY) and the pooled
look-alikes' (FPR_LOOKALIKE; the analyzer and the lexical head each get it, so that together, under the OR rule of the engine, they stay under the 5% of look-alikes the product may block). Jailbreak, injection and
PII keep one quantile over all benign prompts."""
from __future__ import annotations

import numpy as np

# benign sources that are built to look harmful (or toxic); everything else benign is "ordinary"
LOOKALIKE_SOURCES = frozenset({
    "or_bench_hard", "phtest", "coconot_contrast", "coconot_noncompliance", "injecguard_wildguard_benign",
    "cyberseceval_frr", "cyberseceval_frr_ml", "homonyms", "caia_ai_safety", "k_idioms", "toxigen_neutral",
})
POLICY_FPR = {"strict": 0.03, "balanced": 0.01, "permissive": 0.003}
FPR_ORDINARY = POLICY_FPR
FPR_LOOKALIKE = {"strict": 0.04, "balanced": 0.015, "permissive": 0.005}


def quantile_threshold(negs: np.ndarray, fpr: float) -> float:
    return float(np.quantile(negs, 1 - fpr)) if len(negs) else 0.5


def harmful_threshold(p_ordinary: np.ndarray, p_lookalike: np.ndarray, policy: str, share: float = 1.0) -> float:
    """max(quantile of ordinary benign at FPR_ORDINARY, quantile of look-alikes at FPR_LOOKALIKE), each
    budget times `share` (a head that joins the OR rule later gets a share of a head's budget)."""
    return max(quantile_threshold(p_ordinary, FPR_ORDINARY[policy] * share),
               quantile_threshold(p_lookalike, FPR_LOOKALIKE[policy] * share))


def lookalike_mask(sources) -> np.ndarray:
    return np.array([s in LOOKALIKE_SOURCES for s in sources])
