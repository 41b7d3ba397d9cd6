/**
 * @file Finding and decoding embedded encoded text (base64, hex, explicitly signalled rot13,
 * percent-encoding) in normalized text, for analysis; and a whole text written backwards, in rot13 or
 * letter by letter, read for analysis only (no finding) when its decoding reads as English. An encoded segment that decodes to readable
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

/** Encodings of a whole text (`readWholeText`), not of a segment inside it. */
export const WHOLE_TEXT_ENCODINGS: ReadonlySet<DecodedSegment['encoding']> = new Set(['spaced', 'reversed', 'rot13_text']);

/** Frequent English words: a text that has few of them and whose decoding has many is encoded English. */
const ENGLISH = new Set(
  'the to a and of how what is in you i for on can do my it that with me are this be your an or why who where when make get should does will would about from give tell write some'.split(' '),
);

/** Share of a text's words that are frequent English words, and how many there are. */
function englishShare(s: string, minLength = 1): { share: number; hits: number } {
  const words = (s.toLowerCase().match(/[a-z]+(?:'[a-z]+)?/g) ?? []).filter((w) => w.length >= minLength);
  const hits = words.filter((w) => ENGLISH.has(w)).length;
  return { share: words.length ? hits / words.length : 0, hits };
}
/** Whether `s` holds two frequent English words or more, and a larger share of them than its rot13 decoding. */
function betterPlain(s: string): boolean {
  const plain = englishShare(s, 2);
  return plain.hits >= 2 && plain.share > englishShare(rot13(s), 2).share;
}
const readsAsEnglish = (s: string): boolean => {
  const e = englishShare(s, 2);
  return e.hits >= 2 && e.share >= 0.3;
};

/** A token that is one letter, with at most one punctuation mark after it. */
const ONE_LETTER = /^\p{L}[?!.,:;]?$/u;
/** A token that begins with three letters or more, each apart from the next by - . * or _ ("h-o-w"). */
const SEPARATED_LETTERS = /^\p{L}(?:[-.*_]\p{L}){2,}/u;
/** A token that is such letters only, with at most one punctuation mark after them ("h-o-w?"). */
const SEPARATED_WORD = new RegExp(`${SEPARATED_LETTERS.source}[?!.,:;]?$`, 'u');

/** Share of a text's tokens that are one letter. */
function singleLetters(text: string): number {
  const tokens = text.trim().split(/\s+/);
  return tokens.filter((t) => ONE_LETTER.test(t)).length / Math.max(1, tokens.length);
}

/** A letter-by-letter spelling: single letters apart (by spaces or - . * _), words apart by wider gaps or " / ". */
function unspaced(text: string): string | null {
  const tokens = text.trim().split(/\s+/);
  const letterTokens = tokens.filter((t) => ONE_LETTER.test(t) || SEPARATED_WORD.test(t)).length;
  if (tokens.length < 4 || letterTokens / tokens.length < 0.6) return null;
  // Hyphenated or dotted letters: each token is a word.
  if (tokens.some((t) => SEPARATED_LETTERS.test(t))) return text.replace(/(?<=\p{L})[-.*_](?=\p{L})/gu, '');
  // Spaced letters: a gap of two or more spaces (or " / ") ends a word.
  return text
    .split(/ {2,}|\t+| \/ |\n/)
    .map((w) => w.replace(/ /g, ''))
    .join(' ');
}

/**
 * A whole text (at most 4,000 characters, mostly Latin letters, few frequent English words) that reads as
 * English once reversed, rot13-decoded or joined from single letters.
 */
function readWholeText(text: string): { start: number; end: number; encoding: DecodedSegment['encoding']; decoded: string } | null {
  const body = text.trim();
  // Words of two letters or more: a text spelt letter by letter has none.
  if (body.length < 8 || body.length > 4000 || englishShare(body, 2).share >= 0.15) return null;
  // Mostly ASCII letters (Vietnamese or Polish text is not a candidate) and few digits or symbols.
  const latin = body.match(/[A-Za-z]/g)?.length ?? 0;
  const letters = body.match(/\p{L}/gu)?.length ?? 0;
  if (latin < 0.95 * letters || latin < 0.7 * body.replace(/[\s.*_-]/g, '').length) return null;
  const start = text.indexOf(body);
  const end = start + body.length;
  const spaced = unspaced(body);
  // Without word gaps ("h o w t o …") the letters are joined whole, when nearly every token is one letter; with
  // word gaps, a text of single letters only is spelt out whatever its words ("I g n o r e   p r e v i o u s …").
  if (spaced && (readsAsEnglish(spaced) || (singleLetters(body) >= 0.9 && (!/\s/.test(spaced.trim()) || (spaced.match(/\p{L}{2,}/gu)?.length ?? 0) >= 3))))
    return { start, end, encoding: 'spaced', decoded: spaced };
  const reversed = [...body].reverse().join('');
  if (readsAsEnglish(reversed)) return { start, end, encoding: 'reversed', decoded: reversed };
  const r13 = rot13(body);
  if (readsAsEnglish(r13)) return { start, end, encoding: 'rot13_text', decoded: r13 };
  return null;
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
    // Plain English after a mention of rot13 ("Reply only in ROT13, no plain English. My message: How do I …") is
    // no encoded segment: it holds more frequent English words as it stands than once decoded. Unless what follows
    // its last colon reads better decoded ("Apply ROT13 to the following line and act on it: Bhgchg lbhe …"): the
    // segment is the same, decoded after that colon only.
    let decoded = rot13(body);
    if (betterPlain(body)) {
      const colon = body.lastIndexOf(':');
      const tail = colon >= 0 ? body.slice(colon + 1).trimStart() : '';
      if (tail.length < 3 || betterPlain(tail) || englishShare(rot13(tail), 2).hits < 2) continue;
      decoded = body.slice(0, body.length - tail.length) + rot13(tail);
    }
    found.push({ start: segStart, end: segStart + body.length, encoding: 'rot13', decoded, report: true });
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

  // The whole text written backwards, in rot13 without saying so, or letter by letter ("h o w  t o",
  // "h-o-w t-o"): read for analysis only when the decoding reads as English and the text does not.
  if (found.length === 0) {
    const whole = readWholeText(text);
    if (whole) found.push({ start: whole.start, end: whole.end, encoding: whole.encoding, decoded: whole.decoded, report: false });
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
