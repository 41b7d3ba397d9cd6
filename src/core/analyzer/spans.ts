/**
 * @file Turns the analyzer's per-byte span probabilities into detections on the ORIGINAL text:
 * runs above threshold → merged across small gaps → UTF-16 offsets of the normalized text →
 * snapped to word boundaries → original offsets through the normalizer's offset map.
 * Also owns the span-label → Detection mapping. Pure, no I/O.
 */
import type { Category } from '../../shared/result';
import type { Detection, NormalizedText } from '../engine/types';
import { toOriginalSpan } from '../normalize';
import type { Utf8Text } from './tokenizer';
import { byteRangeToUtf16 } from './tokenizer';

/** How a span label of the model becomes a Detection. */
export type SpanLabelInfo = { category: Category; kind: string; placeholderType?: string; what: string };

/** The span labels of the model contract and the detections they become. */
export const SPAN_LABELS: Readonly<Record<string, SpanLabelInfo>> = {
  jailbreak: { category: 'jailbreak', kind: 'jailbreak_scaffold', what: 'jailbreak scaffolding' },
  injection: { category: 'injection', kind: 'injected_instruction', what: 'injected instruction' },
  person_name: { category: 'pii', kind: 'person_name', placeholderType: 'NAME', what: 'person name' },
  street_address: { category: 'pii', kind: 'street_address', placeholderType: 'ADDRESS', what: 'street address' },
  date_of_birth: { category: 'pii', kind: 'date_of_birth', placeholderType: 'DOB', what: 'date of birth' },
  other_pii: { category: 'pii', kind: 'other_pii', placeholderType: 'PII', what: 'personal data' },
};

/** Runs separated by at most this many bytes below threshold are merged. */
export const MAX_MERGE_GAP_BYTES = 2;

/** A byte run [start, end) with the highest probability inside it. */
type Run = { start: number; end: number; score: number };

/**
 * Maximal runs of positions whose probability (`probs[i * stride + offset]`) is ≥ `threshold`,
 * merged when the gap between two runs is ≤ {@link MAX_MERGE_GAP_BYTES}.
 */
export function runsAbove(
  probs: Float32Array,
  length: number,
  threshold: number,
  stride = 1,
  offset = 0,
): Run[] {
  const runs: Run[] = [];
  let cur: Run | null = null;
  for (let i = 0; i < length; i++) {
    const p = probs[i * stride + offset];
    if (p >= threshold) {
      if (cur && i - cur.end <= MAX_MERGE_GAP_BYTES) {
        cur.end = i + 1;
        cur.score = Math.max(cur.score, p);
      } else {
        if (cur) runs.push(cur);
        cur = { start: i, end: i + 1, score: p };
      }
    }
  }
  if (cur) runs.push(cur);
  return runs;
}

function codePointAround(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
    const hi = text.charCodeAt(i - 1);
    if (hi >= 0xd800 && hi <= 0xdbff) return (hi - 0xd800) * 0x400 + (c - 0xdc00) + 0x10000;
  }
  return text.codePointAt(i) ?? c;
}

const WORD = /[\p{L}\p{N}\p{M}_]/u;

/** True when the UTF-16 unit at `i` belongs to a letter, digit, mark or underscore. */
export function isWordAt(text: string, i: number): boolean {
  if (i < 0 || i >= text.length) return false;
  return WORD.test(String.fromCodePoint(codePointAround(text, i)));
}

/**
 * Widens [start, end) so it does not cut a word, then trims surrounding white space.
 * Returns null when nothing but white space remains.
 */
export function snapToWords(text: string, start: number, end: number): { start: number; end: number } | null {
  let s = start;
  let e = end;
  while (s > 0 && s < text.length && isWordAt(text, s - 1) && isWordAt(text, s)) s--;
  while (e < text.length && e > 0 && isWordAt(text, e - 1) && isWordAt(text, e)) e++;
  while (s < e && /\s/.test(text[s])) s++;
  while (e > s && /\s/.test(text[e - 1])) e--;
  return e > s ? { start: s, end: e } : null;
}

/**
 * Detections for one text from its per-byte calibrated span probabilities
 * (`probs[byte * labels.length + label]`), with offsets into `n.original`.
 */
export function spansToDetections(
  n: Pick<NormalizedText, 'original' | 'toOriginal' | 'text'>,
  utf8: Utf8Text,
  probs: Float32Array,
  labels: readonly string[],
  thresholds: Readonly<Record<string, number>>,
): Detection[] {
  const out: Detection[] = [];
  labels.forEach((label, li) => {
    const info = SPAN_LABELS[label];
    const threshold = thresholds[label];
    if (!info || threshold === undefined) return;
    const spans: Run[] = [];
    for (const run of runsAbove(probs, utf8.bytes.length, threshold, labels.length, li)) {
      const r16 = byteRangeToUtf16(utf8, run.start, run.end);
      const snapped = snapToWords(n.text, r16.start, r16.end);
      if (!snapped) continue;
      const prev = spans[spans.length - 1];
      // Snapping can make neighbours touch or overlap: keep one span.
      if (prev && snapped.start <= prev.end) {
        prev.end = Math.max(prev.end, snapped.end);
        prev.score = Math.max(prev.score, run.score);
      } else {
        spans.push({ ...snapped, score: run.score });
      }
    }
    for (const s of spans) {
      const o = toOriginalSpan(n, s.start, s.end);
      if (o.end <= o.start) continue;
      out.push({
        kind: info.kind,
        category: info.category,
        start: o.start,
        end: o.end,
        score: s.score,
        reason: `analyzer: ${info.what} (p=${s.score.toFixed(2)})`,
        ...(info.placeholderType ? { placeholderType: info.placeholderType } : {}),
      });
    }
  });
  return out.sort((a, b) => a.start - b.start || b.end - a.end);
}
