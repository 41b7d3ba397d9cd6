/**
 * @file Benign sources built to look harmful (XSTest-style contrasts, over-refusal benchmarks,
 * homonyms, idioms): the look-alikes whose false-positive rate the harm thresholds and the fusion
 * hold down. The training pipeline keeps the same list in Python
 * (`training/diffguard_train/thresholds.py` LOOKALIKE_SOURCES); lookalike-sources.test.ts fails when
 * the two drift apart.
 */
export const LOOKALIKE_SOURCES: ReadonlySet<string> = new Set([
  'or_bench_hard', 'phtest', 'coconot_contrast', 'coconot_noncompliance', 'injecguard_wildguard_benign',
  'cyberseceval_frr', 'cyberseceval_frr_ml', 'homonyms', 'caia_ai_safety', 'k_idioms', 'toxigen_neutral',
]);
