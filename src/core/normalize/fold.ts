/**
 * @file Homoglyph and leetspeak folding for analysis (`NormalizedText.folded`).
 * The result has exactly the same length as its input (1:1 UTF-16 offsets) and is lower-case.
 * It is conservative: only tokens that mix scripts, or mix letters with leet digits/symbols in a
 * word-like way ("h4ck", "b0mb", "@dmin"), are folded; versions, model numbers, units, years and
 * hashes are left alone. Never used for redaction, only for what analyzers read. An ambiguous leet
 * character ("1" for "i" or "l") is read with an English letter-trigram model ({@link readLeetWord}).
 */
import { LETTER_TRIGRAMS_B64 } from './letter-trigrams';

/** Look-alike letters (Cyrillic, Greek, Latin variants) mapped to ASCII lower-case. */
export const HOMOGLYPHS: Readonly<Record<string, string>> = {
  // Cyrillic lower-case
  'а': 'a', 'в': 'b', 'е': 'e', 'ё': 'e', 'к': 'k', 'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p', 'с': 'c', 'т': 't', 'у': 'y', 'х': 'x',
  'і': 'i', 'ї': 'i', 'ј': 'j', 'ѕ': 's', 'ԁ': 'd', 'ԛ': 'q', 'ԝ': 'w', 'һ': 'h', 'ӏ': 'l', 'ɡ': 'g', 'ү': 'y', 'ь': 'b',
  // Cyrillic upper-case
  'А': 'a', 'В': 'b', 'Е': 'e', 'Ё': 'e', 'К': 'k', 'М': 'm', 'Н': 'h', 'О': 'o', 'Р': 'p', 'С': 'c', 'Т': 't', 'У': 'y',
  'Х': 'x', 'І': 'i', 'Ї': 'i', 'Ј': 'j', 'Ѕ': 's', 'Ԁ': 'd', 'Ԛ': 'q', 'Ԝ': 'w', 'Һ': 'h', 'Ӏ': 'l', 'Ү': 'y',
  // Greek
  'α': 'a', 'β': 'b', 'ε': 'e', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'ο': 'o', 'ρ': 'p', 'τ': 't', 'υ': 'u', 'χ': 'x', 'ω': 'w',
  'Α': 'a', 'Β': 'b', 'Ε': 'e', 'Ζ': 'z', 'Η': 'h', 'Ι': 'i', 'Κ': 'k', 'Μ': 'm', 'Ν': 'n', 'Ο': 'o', 'Ρ': 'p', 'Τ': 't',
  'Υ': 'y', 'Χ': 'x',
  // Latin look-alikes that NFKC keeps
  'ı': 'i', 'ȷ': 'j', 'ℓ': 'l', 'ß': 's', 'ø': 'o', 'Ø': 'o', 'ð': 'd', 'ł': 'l', 'Ł': 'l',
};

/** Leet substitutions: digit or symbol → letter. 2 and 8 are left out (too often real digits). */
const LEET: Readonly<Record<string, string>> = {
  '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '6': 'g', '7': 't', '9': 'g', '@': 'a', '$': 's', '!': 'i', '|': 'l',
};

/**
 * The letters a leet character may stand for, most likely first: "1" is an "i" in "k1ll" and an "l" in
 * "i11ega1". Which one is read from the word's other letters with an English letter-trigram model.
 */
const LEET_CHOICES: Readonly<Record<string, string>> = {
  '0': 'o', '1': 'il', '3': 'e', '4': 'a', '5': 's', '6': 'gb', '7': 't', '9': 'gq', '@': 'a', '$': 's', '!': 'il', '|': 'li', '8': 'b',
};

let trigrams: Int8Array | null = null;
/** ln P(c | a b) × 10 ({@link LETTER_TRIGRAMS_B64}); a, b: 0 = word start, 1..26 = a..z; c: 0..25 = a..z, 26 = word end. */
function trigramScore(a: number, b: number, c: number): number {
  if (!trigrams) {
    const bin = atob(LETTER_TRIGRAMS_B64);
    trigrams = new Int8Array(bin.length);
    for (let i = 0; i < bin.length; i++) trigrams[i] = (bin.charCodeAt(i) << 24) >> 24;
  }
  return trigrams[(a * 27 + b) * 27 + c]!;
}

/**
 * The most likely English spelling of a word of lower-case letters a-z and leet characters, each leet
 * character replaced by one of its {@link LEET_CHOICES} (Viterbi over the trigram model, word start and end included).
 */
export function readLeetWord(word: string): string {
  type Path = { score: number; text: string };
  // States: the last two letters (0 = word start, 1..26 = a..z).
  let states = new Map<number, Path>([[0, { score: 0, text: '' }]]);
  for (const ch of word) {
    const options = LEET_CHOICES[ch] ?? ch;
    const next = new Map<number, Path>();
    for (const [key, path] of states) {
      const a = Math.floor(key / 27);
      const b = key % 27;
      for (const o of options) {
        const c = o.charCodeAt(0) - 96;
        if (c < 1 || c > 26) return word.replace(/./g, (x) => LEET_CHOICES[x]?.[0] ?? x);
        const score = path.score + trigramScore(a, b, c - 1);
        const k = b * 27 + c;
        const cur = next.get(k);
        if (!cur || score > cur.score) next.set(k, { score, text: path.text + o });
      }
    }
    states = next;
  }
  let best: Path | null = null;
  for (const [key, path] of states) {
    const score = path.score + trigramScore(Math.floor(key / 27), key % 27, 26);
    if (!best || score > best.score) best = { score, text: path.text };
  }
  return best?.text ?? word;
}

const LETTER = /\p{L}/u;
/** A word inside a leet token: letters a-z and leet characters ("8" only in a text written in leetspeak). */
const LEET_RUN = /[a-z013-79@$!|]+/g;
const LEET_RUN_LOOSE = /[a-z013-9@$!|]+/g;
const LATIN = /\p{Script=Latin}/u;
const HEX_ONLY = /^[0-9a-f]+$/i;
const PLAIN_WORD = /^[A-Za-z]+$/;
const ANY_LETTER = /\p{L}/u;

function isLeetChar(ch: string): boolean {
  return Object.prototype.hasOwnProperty.call(LEET, ch);
}

/**
 * Decides whether a word (letters, digits and leet symbols only, no separators) is leetspeak.
 * A leet character must sit between two letters ("h4ck", "k1ll", "p4ssw0rd"), or an '@'/'$' must
 * start a word of letters ("@dmin"). Trailing digits ("mp3", "A4"), leading digits ("3D"), model
 * numbers and hex strings are not leet.
 */
function isLeetWord(word: string): boolean {
  if (word.length < 3 || word.length > 40) return false;
  let letters = 0;
  let leet = 0;
  for (const ch of word) {
    if (LETTER.test(ch)) letters++;
    else if (isLeetChar(ch)) leet++;
    else return false; // a digit like 2 or 8, or other punctuation: leave the token alone
  }
  if (leet === 0 || letters < 2 || letters < leet) return false;
  if (HEX_ONLY.test(word) && word.length >= 6) return false;
  // '@' and '$' may start a word; every other leet char must have a letter on both sides
  // (runs of up to two leet chars, as in "n00b" or "a$$", count as one).
  const chars = [...word];
  let interior = false;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (!isLeetChar(ch)) continue;
    if (i === 0) {
      if ((ch === '@' || ch === '$') && chars.length > 2 && LETTER.test(chars[1])) continue;
      return false;
    }
    let j = i;
    while (j < chars.length && isLeetChar(chars[j])) j++;
    const runLen = j - i;
    const before = chars[i - 1];
    const after = chars[j];
    if (runLen > 2) return false;
    if (after !== undefined && LETTER.test(before) && LETTER.test(after)) interior = true;
    else if (after === undefined && interior && runLen === 1) {
      // one trailing leet character ("h3ll0", "w4y5", "effect1v3") only when the word already has an interior one
    } else return false;
    i = j - 1;
  }
  return interior || /^[@$]/.test(word);
}

/**
 * A text is written in leetspeak when at least this many of its words (and this share of its words with
 * letters) read as leet loosely ({@link isLooseLeetWord}) and one plainly ({@link isLeetWord}).
 */
const LEET_TEXT_WORDS = 3;
const LEET_TEXT_SHARE = 0.25;

/**
 * A word of a text written in leetspeak: letters and leet characters only (8 reads as b there too), at least
 * one of each ("0u7"). Unlike {@link isLeetWord}, leading and trailing digits count
 * ("1n57ruct10n5", "91ve", "c0d3"); used only in a text written in leetspeak.
 */
function isLooseLeetWord(word: string): boolean {
  let letters = 0;
  let leet = 0;
  for (const ch of word) {
    if (LETTER.test(ch)) letters++;
    else if (isLeetChar(ch) || ch === '8') leet++;
    else return false;
  }
  return letters >= 1 && leet >= 1 && !(HEX_ONLY.test(word) && word.length >= 6);
}

/** Whether a token mixes Latin letters with look-alike letters from other scripts. */
function isMixedScript(token: string): boolean {
  let latin = false;
  let foreignLookalike = false;
  let foreignOther = false;
  for (const ch of token) {
    if (!LETTER.test(ch)) continue;
    if (LATIN.test(ch) && !HOMOGLYPHS[ch]) latin = true;
    else if (HOMOGLYPHS[ch]) foreignLookalike = true;
    else foreignOther = true;
  }
  // "pаypal" (Latin + Cyrillic а) or a word made only of look-alikes ("раураl" in Cyrillic).
  return foreignLookalike && (latin || !foreignOther);
}

/**
 * Folds homoglyphs and leetspeak in `text` for analysis. The output has the same length as the
 * input, so offsets carry over unchanged.
 */
export function foldForAnalysis(text: string): string {
  let lower = text.toLowerCase();
  if (lower.length !== text.length) {
    // A few characters (e.g. "İ") grow when lower-cased; keep those as they are.
    const chars = new Array<string>(text.length);
    for (let i = 0; i < text.length; i++) {
      const l = text[i].toLowerCase();
      chars[i] = l.length === 1 ? l : text[i];
    }
    lower = chars.join('');
  }
  // Tokens are runs of characters other than spaces, hyphens and apostrophes; punctuation at the edges is trimmed.
  const tokens: Array<{ s: number; e: number; token: string }> = [];
  // Hyphens and apostrophes part words ("531f-h4rm", "y0u'd").
  const tokenRe = /[^\s\-'’]{2,200}/g;
  for (let m = tokenRe.exec(text); m !== null; m = tokenRe.exec(text)) {
    let s = m.index;
    let e = s + m[0].length;
    while (s < e && /[("'`[{<,.;:?*]/.test(text[s])) s++;
    while (e > s && /[)"'`\]}>,.;:?*!]/.test(text[e - 1])) e--;
    if (e - s < 2) continue;
    const token = text.slice(s, e);
    if (PLAIN_WORD.test(token) || !ANY_LETTER.test(token)) continue;
    tokens.push({ s, e, token });
  }
  // A text with several plainly leet words is written in leetspeak: its other words with leading or
  // trailing leet digits are leet too ("91ve 1n57ruct10n5 f0r sc4mm1n9").
  const loose = tokens.filter((t) => isLooseLeetWord(t.token)).length;
  const leetText = loose >= LEET_TEXT_WORDS && loose >= LEET_TEXT_SHARE * tokens.length && tokens.some((t) => isLeetWord(t.token));
  const edits: Array<[number, string]> = [];
  for (const { s, e, token } of tokens) {
    const mixed = isMixedScript(token);
    const leet = isLeetWord(token) || (leetText && isLooseLeetWord(token));
    if (!mixed && !leet) continue;
    if (leet && !mixed) {
      // Runs of letters a-z and leet characters are words: each is read whole ("i11ega1" → "illegal").
      for (const m of lower.slice(s, e).matchAll(leetText ? LEET_RUN_LOOSE : LEET_RUN)) {
        const run = m[0];
        if (/^[a-z]+$/.test(run)) continue;
        const read = readLeetWord(run);
        const at = s + (m.index ?? 0);
        for (let k = 0; k < run.length; k++) if (read[k] !== run[k]) edits.push([at + k, read[k]!]);
      }
      continue;
    }
    for (let i = s; i < e; i++) {
      const ch = text[i];
      const g = HOMOGLYPHS[ch];
      if (mixed && g) edits.push([i, g]);
      else if (leet && isLeetChar(ch)) edits.push([i, LEET[ch]]);
      else if (leet && ch === '8') edits.push([i, 'b']);
    }
  }
  if (edits.length === 0) return lower;
  const parts: string[] = [];
  let last = 0;
  for (const [i, ch] of edits) {
    parts.push(lower.slice(last, i), ch);
    last = i + 1;
  }
  parts.push(lower.slice(last));
  return parts.join('');
}
