/**
 * @file Helpers shared by the deterministic detectors: mapping matches to original offsets, cue
 * words near a match, Shannon entropy, character classes. Pure functions only.
 */
import type { Category } from '../../shared/result';
import type { Detection, NormalizedText } from '../engine/types';
import { toOriginalSpan } from '../normalize/offsets';

/** Fields of a detection other than its offsets. */
export type DetectionFields = {
  kind: string;
  category: Category;
  score: number;
  placeholderType?: string;
  reason?: string;
};

/** Builds a detection for the normalized span [start, end), with offsets mapped to the original. */
export function detectionAt(n: NormalizedText, start: number, end: number, fields: DetectionFields): Detection {
  const span = toOriginalSpan(n, start, end);
  return { ...fields, start: span.start, end: span.end };
}

/** The up-to-`window` characters of `text` before `index`, lower-cased. */
export function before(text: string, index: number, window: number): string {
  return text.slice(Math.max(0, index - window), index).toLowerCase();
}

/** The up-to-`window` characters of `text` from `index`, lower-cased. */
export function after(text: string, index: number, window: number): string {
  return text.slice(index, index + window).toLowerCase();
}

/** Shannon entropy of `s` in bits per character. */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) {
    const p = c / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Number of character classes (lower, upper, digit, other) present in `s`. */
export function charClasses(s: string): number {
  return (/[a-z]/.test(s) ? 1 : 0) + (/[A-Z]/.test(s) ? 1 : 0) + (/[0-9]/.test(s) ? 1 : 0) + (/[^A-Za-z0-9]/.test(s) ? 1 : 0);
}

/** Count of ASCII digits in `s`. */
export function digitCount(s: string): number {
  let d = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) d++;
  }
  return d;
}

/** Luhn checksum over a string of digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * Sorts [start, end) spans and joins the ones that overlap (spans that only touch stay apart), so
 * that a value matched by two patterns becomes one detection. The input array is sorted in place.
 */
export function mergeOverlapping(spans: Array<[number, number]>): Array<[number, number]> {
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: Array<[number, number]> = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s[0] < last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([s[0], s[1]]);
  }
  return merged;
}
