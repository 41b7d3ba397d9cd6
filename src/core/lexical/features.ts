/**
 * @file Feature extraction of the lexical head (hashed word and character n-grams). Owns the
 * feature spec "diffguard-lexical/1", which must stay identical to
 * `training/diffguard_train/lexical.py`:
 *  1. input: the engine's normalized text (`normalize(text).text`: NFKC + invisible code points
 *     removed); lone UTF-16 surrogates → U+FFFD; `toLowerCase()`.
 *  2. word tokens = maximal runs of `[\p{L}\p{N}]`; features `"w"+tok` and `"w"+tok+" "+next`.
 *  3. s = text with whitespace runs (the class {@link WS_RE}) → one space, one leading and one trailing
 *     space removed, then `" " + s + " "`; features `"c"+g` for every 3-, 4- and 5-code-point substring.
 *  4. bucket = FNV-1a 32-bit over the UTF-8 bytes of the feature string, mod 2^18; binary presence
 *     (distinct buckets), each with value 1/sqrt(#distinct buckets).
 * Hashing is incremental over code points (no substring is built), so a 1 KB prompt costs well
 * under a millisecond.
 */

/** Number of hash buckets (2^18). */
export const LEXICAL_BUCKETS = 1 << 18;
const MASK = LEXICAL_BUCKETS - 1;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const WS_RE = /[\t\n\v\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;
const TOKEN_RE = /[\p{L}\p{N}]+/gu;
const LONE_SURROGATE_RE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function step(h: number, byte: number): number {
  return Math.imul(h ^ byte, FNV_PRIME) >>> 0;
}

/** Feeds the UTF-8 bytes of code point `cp` into hash `h`. */
function feed(h: number, cp: number): number {
  if (cp < 0x80) return step(h, cp);
  if (cp < 0x800) return step(step(h, 0xc0 | (cp >> 6)), 0x80 | (cp & 0x3f));
  if (cp < 0x10000) {
    return step(step(step(h, 0xe0 | (cp >> 12)), 0x80 | ((cp >> 6) & 0x3f)), 0x80 | (cp & 0x3f));
  }
  return step(
    step(step(step(h, 0xf0 | (cp >> 18)), 0x80 | ((cp >> 12) & 0x3f)), 0x80 | ((cp >> 6) & 0x3f)),
    0x80 | (cp & 0x3f),
  );
}

function feedString(h: number, s: string): number {
  let out = h;
  for (let i = 0; i < s.length; i++) {
    const cp = s.codePointAt(i) as number;
    if (cp > 0xffff) i++;
    out = feed(out, cp);
  }
  return out;
}

/** Up to this many feature ids, {@link features} sorts them instead of sweeping the bitset. */
const FEW_IDS = 600;
/** Scratch bitset of {@link features} (one bit per bucket), left all zero after every call. */
const SEEN = new Uint32Array(LEXICAL_BUCKETS >>> 5);

const H_W = step(FNV_OFFSET, 0x77); // 'w'
const H_C = step(FNV_OFFSET, 0x63); // 'c'

/**
 * Sorted distinct bucket ids of a text that is already normalized (`normalize(text).text`).
 * @param normalizedText the engine's normalized text
 * @returns ascending bucket ids in [0, 2^18)
 */
export function features(normalizedText: string): Int32Array {
  const t = normalizedText.replace(LONE_SURROGATE_RE, '\uFFFD').toLowerCase();
  // characters: code points of " " + s + " " (whitespace runs → one space, one leading and trailing space dropped)
  let s = t.replace(WS_RE, ' ');
  if (s.startsWith(' ')) s = s.slice(1);
  if (s.endsWith(' ')) s = s.slice(0, -1);
  const cps = new Int32Array(s.length + 2);
  let n = 0;
  cps[n++] = 0x20;
  for (let i = 0; i < s.length; i++) {
    const cp = s.codePointAt(i) as number;
    if (cp > 0xffff) i++;
    cps[n++] = cp;
  }
  cps[n++] = 0x20;
  const toks = t.match(TOKEN_RE) ?? [];
  // At most two features per word and three per character position.
  const out = new Int32Array(2 * toks.length + 3 * n);
  let k = 0;
  // words
  let prev = -1;
  for (const tok of toks) {
    const h = feedString(H_W, tok);
    out[k++] = h & MASK;
    if (prev >= 0) out[k++] = feedString(step(prev, 0x20), tok) & MASK;
    prev = h;
  }
  for (let i = 0; i + 3 <= n; i++) {
    let h = H_C;
    for (let j = 0; j < 5 && i + j < n; j++) {
      h = feed(h, cps[i + j] as number);
      if (j >= 2) out[k++] = h & MASK;
    }
  }
  if (k <= FEW_IDS) {
    // Few ids (a clause, a short prompt): keep the first of each, clear only their bits, sort what is left;
    // sweeping all 8,192 words of the bitset would cost more than the text itself.
    let d = 0;
    for (let i = 0; i < k; i++) {
      const id = out[i] as number;
      const bit = 1 << (id & 31);
      if ((SEEN[id >>> 5]! & bit) !== 0) continue;
      SEEN[id >>> 5]! |= bit;
      out[d++] = id;
    }
    for (let i = 0; i < d; i++) SEEN[(out[i] as number) >>> 5] = 0;
    return out.slice(0, d).sort();
  }
  // Distinct ids in ascending order through a bitset of the 2^18 buckets (4× faster than sorting ~1,000 ids).
  for (let i = 0; i < k; i++) SEEN[(out[i] as number) >>> 5]! |= 1 << ((out[i] as number) & 31);
  const ids = new Int32Array(k);
  let d = 0;
  for (let word = 0; word < SEEN.length; word++) {
    let bits = SEEN[word] as number;
    if (bits === 0) continue;
    SEEN[word] = 0;
    while (bits !== 0) {
      const low = bits & -bits;
      ids[d++] = (word << 5) | (31 - Math.clz32(low));
      bits ^= low;
    }
  }
  return ids.slice(0, d);
}
