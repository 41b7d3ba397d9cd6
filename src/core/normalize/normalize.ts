/**
 * @file The normalize stage: NFKC, removal of invisible characters (reported as obfuscation),
 * an offset map back to the original, folded text and decoded embedded segments for analysis.
 * Pure and synchronous; linear in the input length.
 */
import type { DecodedSegment, Detection, NormalizedText } from '../engine/types';
import { decodeEmbedded } from './decode';
import { foldForAnalysis } from './fold';
import { invisibleKind, type InvisibleKind } from './invisible';
import { toOriginalSpan } from './offsets';

const SCORES: Record<InvisibleKind, number> = {
  zero_width: 0.9,
  bidi_control: 0.9,
  unicode_tag: 0.99,
  variation_selector: 0.95,
};

const REASONS: Record<InvisibleKind, string> = {
  zero_width: 'Invisible zero-width characters',
  bidi_control: 'Bidirectional control characters that reorder how text is displayed',
  unicode_tag: 'Invisible Unicode tag characters',
  variation_selector: 'Variation selectors, a way to hide data in emoji',
};

const COMBINING = /[\p{M}\u1160-\u11ff\uff9e\uff9f]/u;
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;
const EMOJI_OR_MODIFIER = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\u20e3]/u;
const EMOJI = /\p{Emoji}/u;
const JOINING_SCRIPT_LETTER = /[\p{L}\p{M}]/u;
const LATIN_GREEK_CYRILLIC = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}]/u;

type Run = { kind: InvisibleKind; start: number; end: number; cps: number[] };

function cpAt(s: string, i: number): number {
  return s.codePointAt(i) ?? 0;
}

function charOf(cp: number | undefined): string {
  return cp === undefined ? '' : String.fromCodePoint(cp);
}

/** Code point that ends just before `i` in `s`, or undefined at the start. */
function cpBefore(s: string, i: number): number | undefined {
  if (i <= 0) return undefined;
  const lo = s.charCodeAt(i - 1);
  if (lo >= 0xdc00 && lo <= 0xdfff && i >= 2) {
    const hi = s.charCodeAt(i - 2);
    if (hi >= 0xd800 && hi <= 0xdbff) return (hi - 0xd800) * 0x400 + (lo - 0xdc00) + 0x10000;
  }
  return lo;
}

/**
 * Invisible characters that are part of ordinary text are still removed from `text` but are not
 * reported: an emoji presentation selector (❤️), a zero-width joiner inside an emoji sequence (👩‍💻),
 * ZWJ/ZWNJ between letters of scripts that need them (Persian, Indic), and the tag sequence of a
 * subdivision flag (🏴 + tags + cancel tag).
 */
function isBenignRun(run: Run, prev: number | undefined, next: number | undefined): boolean {
  const p = charOf(prev);
  const nx = charOf(next);
  if (run.kind === 'variation_selector') {
    return run.cps.length === 1 && (run.cps[0] === 0xfe0f || run.cps[0] === 0xfe0e) && p !== '' && EMOJI.test(p);
  }
  if (run.kind === 'zero_width' && run.cps.length === 1) {
    const c = run.cps[0];
    if (c === 0x200d && p !== '' && nx !== '' && (EMOJI_OR_MODIFIER.test(p) || prev === 0xfe0f) && PICTOGRAPHIC.test(nx)) return true;
    if ((c === 0x200c || c === 0x200d) && JOINING_SCRIPT_LETTER.test(p) && JOINING_SCRIPT_LETTER.test(nx)) {
      return !LATIN_GREEK_CYRILLIC.test(p) && !LATIN_GREEK_CYRILLIC.test(nx);
    }
  }
  if (run.kind === 'unicode_tag') {
    return prev === 0x1f3f4 && run.cps.length <= 8 && run.cps[run.cps.length - 1] === 0xe007f;
  }
  return false;
}

/** ASCII hidden in Unicode tag characters (U+E0020..U+E007E carry U+0020..U+007E). */
function decodeTags(cps: number[]): string {
  let s = '';
  for (const c of cps) if (c >= 0xe0020 && c <= 0xe007e) s += String.fromCharCode(c - 0xe0000);
  return s;
}

/**
 * Normalizes a prompt for analysis. See NormalizedText: `text` is NFKC with invisible characters
 * removed, `toOriginal` maps each of its offsets back to `original`, `folded` folds homoglyphs and
 * leetspeak (same length as `text`), `decoded` holds decoded embedded segments, and `findings`
 * reports the obfuscation (invisible-character runs and readable encoded segments) with ORIGINAL
 * offsets.
 */
export function normalize(original: string): NormalizedText {
  const n = original.length;
  const parts: string[] = [];
  let map = new Int32Array(n + 1);
  let outLen = 0;
  const push = (s: string, origin: number): void => {
    if (outLen + s.length + 1 > map.length) {
      const bigger = new Int32Array(Math.max(map.length * 2, outLen + s.length + 1));
      bigger.set(map);
      map = bigger;
    }
    for (let k = 0; k < s.length; k++) map[outLen++] = origin;
    parts.push(s);
  };

  const findings: Detection[] = [];
  const decoded: DecodedSegment[] = [];
  let run: Run | null = null;
  const flush = (): void => {
    if (run === null) return;
    const r = run;
    run = null;
    const prev = cpBefore(original, r.start);
    const next = r.end < n ? cpAt(original, r.end) : undefined;
    if (isBenignRun(r, prev, next)) return;
    const count = r.cps.length;
    let reason = `${REASONS[r.kind]} (${count})`;
    if (r.kind === 'unicode_tag') {
      const hidden = decodeTags(r.cps);
      if (hidden.trim().length > 0) {
        decoded.push({ encoding: 'unicode_tag', start: r.start, end: r.end, decoded: hidden });
        reason = `${reason} hiding the text: "${hidden.length > 60 ? `${hidden.slice(0, 57)}...` : hidden}"`;
      }
    }
    const soleSoftHyphen = r.kind === 'zero_width' && count === 1 && r.cps[0] === 0xad;
    findings.push({
      kind: r.kind,
      category: 'obfuscation',
      start: r.start,
      end: r.end,
      score: soleSoftHyphen ? 0.5 : SCORES[r.kind],
      reason: soleSoftHyphen ? 'Soft hyphen (invisible unless a line breaks there)' : reason,
    });
  };

  let i = 0;
  // Start of a pending run of plain ASCII, appended in one piece for speed.
  let asciiStart = -1;
  const flushAscii = (upTo: number): void => {
    if (asciiStart < 0) return;
    const s = original.slice(asciiStart, upTo);
    if (outLen + s.length + 1 > map.length) {
      const bigger = new Int32Array(Math.max(map.length * 2, outLen + s.length + 1));
      bigger.set(map);
      map = bigger;
    }
    for (let k = 0; k < s.length; k++) map[outLen++] = asciiStart + k;
    parts.push(s);
    asciiStart = -1;
  };

  while (i < n) {
    const c = original.charCodeAt(i);
    // Fast path: ASCII not followed by a combining character is NFKC-stable and visible.
    if (c < 0x80) {
      const next = i + 1 < n ? original.charCodeAt(i + 1) : 0;
      if (next < 0x300) {
        if (run !== null) flush();
        if (asciiStart < 0) asciiStart = i;
        i++;
        continue;
      }
    }
    flushAscii(i);
    const cp = cpAt(original, i);
    const w = cp > 0xffff ? 2 : 1;
    const kind = invisibleKind(cp);
    if (kind !== null) {
      const current = run as Run | null;
      if (current !== null && current.kind === kind && current.end === i) {
        current.end = i + w;
        current.cps.push(cp);
      } else {
        flush();
        run = { kind, start: i, end: i + w, cps: [cp] };
      }
      i += w;
      continue;
    }
    flush();
    // A chunk is a base character and the combining characters that follow it; NFKC per chunk
    // keeps the offset map exact at chunk boundaries.
    let j = i + w;
    while (j < n) {
      const c2 = cpAt(original, j);
      if (c2 < 0x300 || invisibleKind(c2) !== null || !COMBINING.test(String.fromCodePoint(c2))) break;
      j += c2 > 0xffff ? 2 : 1;
    }
    const chunk = original.slice(i, j);
    push(chunk.normalize('NFKC'), i);
    i = j;
  }
  flushAscii(n);
  flush();
  if (outLen + 1 > map.length) {
    const bigger = new Int32Array(outLen + 1);
    bigger.set(map.subarray(0, outLen));
    map = bigger;
  }
  map[outLen] = n;
  const toOriginal = map.length === outLen + 1 ? map : map.slice(0, outLen + 1);
  const text = parts.join('');

  const mapper = (s: number, e: number): { start: number; end: number } => toOriginalSpan({ original, toOriginal }, s, e);
  const enc = decodeEmbedded(text, mapper);
  const allDecoded = [...decoded, ...enc.decoded].sort((a, b) => a.start - b.start);
  const allFindings = [...findings, ...enc.findings].sort((a, b) => a.start - b.start || b.end - a.end);

  return {
    original,
    text,
    toOriginal,
    folded: foldForAnalysis(text),
    decoded: allDecoded,
    findings: allFindings,
  };
}
