/**
 * @file Finding and decoding embedded encoded text (base64, hex, explicitly signalled rot13,
 * percent-encoding) in normalized text, for analysis. An encoded segment that decodes to readable
 * text is also reported as an `obfuscation` detection, because hiding readable text in an encoding
 * is how instructions are smuggled past filters. Binary payloads, hashes and random identifiers
 * decode to garbage and are ignored. All regexes use bounded quantifiers (linear time).
 */
import type { DecodedSegment, Detection } from '../engine/types';

/** Maps a normalized span to an original span. */
export type SpanMapper = (start: number, end: number) => { start: number; end: number };

/** Minimum length of an embedded base64 run. */
export const MIN_BASE64_LENGTH = 16;
/** Minimum number of hex digits of an embedded hex run. */
export const MIN_HEX_DIGITS = 16;
/** Score of an encoded-text obfuscation detection: suspicious, not conclusive. */
export const ENCODED_SCORE = 0.6;

const BASE64_RE = /(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{16,8192}={0,2}(?![A-Za-z0-9+/=_-])/g;
const HEX_RE = /(?<![0-9A-Za-z])(?:0x)?[0-9a-fA-F]{16,8192}(?![0-9A-Za-z])/g;
const HEX_ESCAPED_RE = /(?:\\x[0-9a-fA-F]{2}){6,4096}/g;
const HEX_SPACED_RE = /(?<![0-9A-Za-z])[0-9a-fA-F]{2}(?:[ :][0-9a-fA-F]{2}){7,4096}(?![0-9A-Za-z])/g;
const ROT13_RE = /\brot[-_ ]?13\b[ \t]{0,8}[:=-]?[ \t]{0,8}/gi;
const PERCENT_RE = /(?:%[0-9A-Fa-f]{2}){4,2048}/g;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Whether a decoded string is readable text: valid characters, almost all printable, mostly
 * letters and spaces, and at least a few letters.
 */
export function isReadableText(s: string): boolean {
  if (s.length < 4) return false;
  let printable = 0;
  let letters = 0;
  let spaces = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (c === 0xfffd) return false;
    if (c === 9 || c === 10 || c === 13 || c === 32) {
      printable++;
      spaces++;
    } else if (c >= 0x20 && c !== 0x7f && !(c >= 0x80 && c < 0xa0)) {
      printable++;
      if (/\p{L}/u.test(ch)) letters++;
    }
  }
  const n = [...s].length;
  if (printable / n < 0.97) return false;
  if (letters < 3) return false;
  // Text has letters and spaces; random printable bytes are mostly punctuation and digits.
  return (letters + spaces) / n >= 0.7;
}

function decodeBytes(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

function preview(s: string): string {
  const oneLine = s.replace(/\s+/g, ' ').trim();
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}...` : oneLine;
}

function rot13(s: string): string {
  return s.replace(/[A-Za-z]/g, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });
}

/** Whether position `i` lies in a dot-separated token that starts like a JWT ("eyJ…"). */
function isInJwt(text: string, i: number): boolean {
  let s = i;
  while (s > 0 && i - s < 8192 && /[A-Za-z0-9_.-]/.test(text[s - 1])) s--;
  return text.startsWith('eyJ', s);
}

type Found = { start: number; end: number; encoding: DecodedSegment['encoding']; decoded: string; report: boolean };

function overlaps(list: Found[], s: number, e: number): boolean {
  return list.some((f) => s < f.end && e > f.start);
}

/**
 * Finds encoded segments in `text` (normalized), decodes them, and returns the decoded segments
 * and obfuscation detections with ORIGINAL offsets (through `mapSpan`).
 */
export function decodeEmbedded(text: string, mapSpan: SpanMapper): { decoded: DecodedSegment[]; findings: Detection[] } {
  const found: Found[] = [];

  // Hex first: a hex run is also valid base64 alphabet, and hex is the better reading of it.
  for (const m of text.matchAll(HEX_RE)) {
    const raw = m[0].startsWith('0x') ? m[0].slice(2) : m[0];
    if (raw.length < MIN_HEX_DIGITS || raw.length % 2 !== 0) continue;
    const s = decodeBytes(Buffer.from(raw, 'hex'));
    if (s !== null && isReadableText(s)) found.push({ start: m.index, end: m.index + m[0].length, encoding: 'hex', decoded: s, report: true });
  }
  for (const re of [HEX_ESCAPED_RE, HEX_SPACED_RE]) {
    for (const m of text.matchAll(re)) {
      const raw = m[0].replace(/\\x|[ :]/g, '');
      const s = decodeBytes(Buffer.from(raw, 'hex'));
      if (s !== null && isReadableText(s) && !overlaps(found, m.index, m.index + m[0].length)) {
        found.push({ start: m.index, end: m.index + m[0].length, encoding: 'hex', decoded: s, report: true });
      }
    }
  }
  for (const m of text.matchAll(BASE64_RE)) {
    const raw = m[0];
    const start = m.index;
    const end = start + raw.length;
    // JWT parts ("eyJ…" next to a dot) are the secret detector's business.
    if ((text[end] === '.' || text[start - 1] === '.') && isInJwt(text, start)) continue;
    if (!/[0-9+/=_-]/.test(raw) && !/[A-Z][a-z]*[A-Z]/.test(raw)) continue; // ordinary words
    if (overlaps(found, start, end)) continue;
    const s = decodeBytes(Buffer.from(raw, 'base64'));
    if (s !== null && isReadableText(s)) found.push({ start, end, encoding: 'base64', decoded: s, report: true });
  }
  for (const m of text.matchAll(ROT13_RE)) {
    const start = m.index + m[0].length;
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    end = Math.min(end, start + 4000);
    let segStart = start;
    let segEnd = end;
    const q = text[start];
    if (q === '"' || q === "'" || q === '`') {
      const close = text.indexOf(q, start + 1);
      if (close > start && close <= end) {
        segStart = start + 1;
        segEnd = close;
      }
    }
    const body = text.slice(segStart, segEnd).trimEnd();
    if (body.length < 3 || !/[A-Za-z]/.test(body)) continue;
    found.push({ start: segStart, end: segStart + body.length, encoding: 'rot13', decoded: rot13(body), report: true });
  }
  for (const m of text.matchAll(PERCENT_RE)) {
    let s: string | null;
    try {
      s = decodeURIComponent(m[0]);
    } catch {
      s = null;
    }
    if (s !== null && isReadableText(s) && !overlaps(found, m.index, m.index + m[0].length)) {
      found.push({ start: m.index, end: m.index + m[0].length, encoding: 'url', decoded: s, report: false });
    }
  }

  found.sort((a, b) => a.start - b.start);
  const decoded: DecodedSegment[] = [];
  const findings: Detection[] = [];
  for (const f of found) {
    const span = mapSpan(f.start, f.end);
    decoded.push({ encoding: f.encoding, start: span.start, end: span.end, decoded: f.decoded });
    if (f.report) {
      findings.push({
        kind: `encoded_${f.encoding}`,
        category: 'obfuscation',
        start: span.start,
        end: span.end,
        score: ENCODED_SCORE,
        reason: `${f.encoding} text that decodes to: "${preview(f.decoded)}"`,
      });
    }
  }
  return { decoded, findings };
}
