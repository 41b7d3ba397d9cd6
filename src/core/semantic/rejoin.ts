/**
 * @file Words split by stray spaces ("hi gh -pressure te lemarketing th e"), joined again for the sentence
 * encoder, whose vocabulary reads "high" and "telemarketing" but not their halves. Two neighbouring fragments
 * are joined when the joined word is much likelier, by the encoder's own piece log-probabilities, than the two
 * apart: ordinary word pairs ("in the", "a plan", "of fentanyl") stay apart. Pure.
 */

/**
 * How much likelier (in log-probability) a joined word must be than its two parts apart. Split words gain 8-25
 * ("eld erly" 8.2, "hi gh" 17.1, "im migrants" 24.5); ordinary pairs at most about 6, most of it the word-start
 * piece a join saves ("programa c" 6.3, "of fentanyl" 5.2, "may be" 4.3, "as voregpt" 3.2, "in the" −4.4), and
 * so do two words of a script the vocabulary lacks.
 */
const JOIN_MARGIN = 7;
/** Texts with fewer split-looking fragments than this are left alone. */
const MIN_FRAGMENTS = 3;
/** Words of one or two letters that stand alone in ordinary English. */
const SHORT_WORDS = new Set(
  'a i o am an as at be by do go he hi if in is it me my no of oh ok on or so to up us we ya yo ye'.split(' '),
);

const LETTERS = /^\p{L}+$/u;

/** Whether `text` has enough fragments that look like pieces of split words (one- or two-letter non-words). */
export function looksSpaced(text: string): boolean {
  let fragments = 0;
  for (const w of text.split(/\s+/)) {
    const core = w.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
    if (core.length > 0 && core.length <= 2 && LETTERS.test(core) && !SHORT_WORDS.has(core.toLowerCase())) fragments++;
  }
  return fragments >= MIN_FRAGMENTS;
}

/**
 * `text` with neighbouring fragments joined where {@link JOIN_MARGIN} says the joined word reads better
 * (`cost`: a word's reading cost, lower is likelier; see SentenceTokenizer.wordCost). Only runs of letters
 * separated by one space are candidates; punctuation and other white space stay where they were.
 */
export function rejoinSplitWords(text: string, cost: (word: string) => number): string {
  const parts = text.split(/( +)/);
  const memo = new Map<string, number>();
  const c = (w: string): number => {
    let v = memo.get(w);
    if (v === undefined) memo.set(w, (v = cost(w)));
    return v;
  };
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const prev = out.length >= 2 ? (out[out.length - 2] as string) : null;
    const gap = out.length >= 1 ? (out[out.length - 1] as string) : '';
    // Letters at the end of the previous word, letters at the start of this one.
    const tail = prev !== null && gap === ' ' ? /\p{L}+$/u.exec(prev) : null;
    const head = /^\p{L}+/u.exec(part);
    if (tail && head && tail.index + tail[0].length === prev!.length && (tail.index === 0 || !/\p{L}/u.test(prev!.slice(0, tail.index)))) {
      const a = tail[0];
      const b = head[0];
      if (c(a + b) + JOIN_MARGIN < c(a) + c(b)) {
        out.pop();
        out[out.length - 1] = prev + part;
        continue;
      }
    }
    out.push(part);
  }
  return out.join('');
}
