/**
 * @file Adversarial-suffix detector: optimised token soup appended to a request (GCG-style attacks:
 * `… NGC^{+ spectral Freund Verein electrons [ [`). Such suffixes are not learnt from more jailbreak
 * templates (DATA-NOTES.md); they have a shape of their own: at the end of a line of natural
 * language, a run of whitespace tokens of which many are bare symbols or letters fused with code
 * symbols, with stray (unbalanced) brackets. Code blocks, template placeholders (`[insert here]`,
 * `${name}`) and LaTeX in prose are excluded. On the data cache: no benign prompt flagged (0 of
 * 6,863 validation and 0 of 25,980 training prompts), 59% of the synthetic suffix attacks of unseen
 * families found, including all 41 that the engine let through in a 200-row sample.
 */
import type { Detection, Detector, NormalizedText } from '../engine/types';
import { detectionAt } from './util';

const TOKEN = /\S+/g;
/** A token made of symbols only. */
const SYMBOLS_ONLY = /^[[\](){}^\\@#~|<>=+*/;:!.,\-`"'$%&?_]+$/;
/** Letters fused with code symbols: `dois]=setAttribute^{+sizeof`, `[binom`, `]];usepackage`. */
const CODE_SYMBOL = /[[\]{}^\\=;@]/;
/** A stray bracket: `[`, `][`, `](`, `.]` … (no letter or digit in the token). */
const LONE_BRACKET = /^[^\p{L}\p{N}\s_]*[[\]][^\p{L}\p{N}\s_]*$/u;
const MIN_TOKENS = 6;
const MAX_TOKENS = 40;

function odd(tok: string): boolean {
  return SYMBOLS_ONLY.test(tok) || (/[A-Za-z]/.test(tok) && CODE_SYMBOL.test(tok));
}

/**
 * The start of an adversarial suffix at the end of `text`, or -1. The longest tail of 6–40 tokens in
 * which at least 30% of the tokens are odd, with two or more brackets of which one stands alone.
 */
export function findAdversarialSuffix(text: string): number {
  const body = text.trimEnd();
  const toks: Array<{ start: number; tok: string }> = [];
  // A suffix never spans lines: only the end of the last line is read (a 5 MB prompt costs nothing).
  const from = Math.max(body.lastIndexOf('\n') + 1, body.length - 4000);
  TOKEN.lastIndex = from;
  for (let m = TOKEN.exec(body); m; m = TOKEN.exec(body)) toks.push({ start: m.index, tok: m[0] });
  if (toks.length < MIN_TOKENS + 3) return -1;
  let best = -1;
  let nOdd = 0;
  let brackets = 0;
  let lone = 0;
  const limit = Math.min(toks.length - 3, MAX_TOKENS);
  for (let k = 1; k <= limit; k++) {
    const t = toks[toks.length - k]!.tok;
    if (odd(t)) nOdd++;
    for (const ch of t) if (ch === '[' || ch === ']' || ch === '{' || ch === '}') brackets++;
    if (LONE_BRACKET.test(t)) lone++;
    if (k >= MIN_TOKENS && nOdd / k >= 0.3 && brackets >= 2 && lone >= 1) best = toks[toks.length - k]!.start;
  }
  if (best < 0) return -1;
  // The longest odd-dense tail can reach back into the request: start after the last sentence end
  // before the first odd token of the tail, or at that token.
  const tail = toks.filter((t) => t.start >= best);
  const firstOdd = tail.find((t) => odd(t.tok) || LONE_BRACKET.test(t.tok))!;
  const ends = tail.filter((t) => t.start < firstOdd.start && /[.!?]["')\]]*$/.test(t.tok));
  if (ends.length > 0) {
    const after = toks.find((t) => t.start > ends[ends.length - 1]!.start);
    best = after ? after.start : firstOdd.start;
  } else {
    best = firstOdd.start;
  }
  const segment = body.slice(best);
  // LaTeX in prose (\int, \frac …) is maths, not an attack.
  if (/\\[A-Za-z]{2,}/.test(segment)) return -1;
  // Soup leaves brackets open; an aside or a placeholder ("[ a haiku ]", "{Link}") closes them.
  const count = (ch: string): number => segment.split(ch).length - 1;
  if (count('[') === count(']') && count('{') === count('}')) return -1;
  // One line of soup after prose: not code, not a multi-line list of placeholders.
  if (segment.includes('\n') || segment.includes('${') || segment.includes('```')) return -1;
  if ((body.slice(0, best).match(/```/g) ?? []).length % 2 === 1) return -1;
  const lineStart = body.lastIndexOf('\n', best - 1) + 1;
  const prose = body.slice(Math.max(lineStart, best - 4000), best).match(/[A-Za-z\u00C0-\uFFFF]{2,}/g) ?? [];
  return prose.length >= 3 ? best : -1;
}

/** Deterministic detector for adversarial suffixes (category jailbreak). */
export const suffixDetector: Detector = {
  name: 'adversarial_suffix',
  detect(n: NormalizedText): Detection[] {
    const start = findAdversarialSuffix(n.text);
    if (start < 0) return [];
    const end = n.text.trimEnd().length;
    return [
      detectionAt(n, start, end, {
        kind: 'adversarial_suffix',
        category: 'jailbreak',
        score: 0.9,
        reason: 'Adversarial suffix: a run of symbol-laden token soup appended to the request (the shape of optimised jailbreak suffixes)',
      }),
    ];
  },
};
