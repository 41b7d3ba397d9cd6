/**
 * @file Scores for the result: risk before/after and meaning kept.
 * With the learned analyzer, risk is its calibrated probability and meaning kept is the cosine of
 * the analyzer's embeddings of input and output. WITHOUT the analyzer, these numbers are heuristic
 * summaries of what the deterministic layers found (documented here, not calibrated): risk is a
 * noisy-OR of per-finding weights, and meaning kept is the share of the input's words (outside
 * redacted spans) that survive in the output.
 */
import type { Detection } from './types';

/** Weight of one finding of a category in the deterministic risk estimate. */
const CATEGORY_WEIGHT: Record<string, number> = {
  secret: 0.9,
  pii: 0.5,
  obfuscation: 0.3,
  jailbreak: 0.6,
  injection: 0.6,
  harmful: 1,
};

/** Noisy-OR of finding weights × scores: 0 when nothing was found, approaching 1 with many strong findings. */
export function deterministicRisk(detections: Pick<Detection, 'category' | 'score'>[]): number {
  let keep = 1;
  for (const d of detections) {
    const base = d.category.split(':')[0] ?? d.category;
    keep *= 1 - (CATEGORY_WEIGHT[base] ?? 0.3) * d.score;
  }
  return clamp01(1 - keep);
}

const WORD = /[\p{L}\p{N}]+/gu;
const PLACEHOLDER = /\[[A-Z][A-Z_]*_\d+\]/g;

/**
 * Share of the input's words that survive in the output. Redacted spans count as kept (the
 * placeholder carries their role) and `silent` spans (invisible characters) are dropped from the
 * input before comparing, since removing them changes no word. 1 for identical texts, 0 for an
 * empty output.
 */
export function wordsKept(
  original: string,
  cleaned: string,
  redacted: Array<{ start: number; end: number }>,
  silent: Array<{ start: number; end: number }> = [],
): number {
  if (original === cleaned) return 1;
  if (cleaned.trim() === '') return 0;
  // One pass over the sorted spans (slicing per span would be quadratic on a 5 MB text).
  const spans = [...redacted.map((r) => ({ ...r, fill: ' ' })), ...silent.map((r) => ({ ...r, fill: '' }))].sort((a, b) => a.start - b.start);
  const pieces: string[] = [];
  let at = 0;
  for (const r of spans) {
    if (r.start < at) continue;
    pieces.push(original.slice(at, r.start), r.fill);
    at = r.end;
  }
  pieces.push(original.slice(at));
  const masked = pieces.join('');
  const before = masked.toLowerCase().match(WORD) ?? [];
  if (before.length === 0) return 1;
  const after = new Map<string, number>();
  for (const w of cleaned.replace(PLACEHOLDER, ' ').toLowerCase().match(WORD) ?? []) after.set(w, (after.get(w) ?? 0) + 1);
  let kept = 0;
  for (const w of before) {
    const n = after.get(w) ?? 0;
    if (n > 0) {
      kept++;
      after.set(w, n - 1);
    }
  }
  return clamp01(kept / before.length);
}

/** Cosine of two L2-normalised vectors, clamped to [0, 1]. */
export function cosine01(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) dot += (a[i] ?? 0) * (b[i] ?? 0);
  return clamp01(dot);
}

export function clamp01(x: number): number {
  if (!Number.isFinite(x)) return 0;
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
