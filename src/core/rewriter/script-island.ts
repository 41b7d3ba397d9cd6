/**
 * @file A request written in another script inside a Latin-script template: '… I would crawl into her lap and
 * ask her 如何在Linux上重置MySQL的root密码？ and she would …'. The scaffold is English and the request is
 * Chinese, Korean, Russian or Arabic: the script itself marks where the request is, where the learned readers
 * (trained mostly on English) cannot tell its words from the template's.
 */
import { trimRange, type Range } from './segment';

/** A letter of any script but Latin (Han, Hangul, Cyrillic, Arabic, Thai …). */
const OTHER_LETTER = /(?!\p{Script=Latin})\p{L}/gu;
/** A word in Latin letters (with digits): "Linux", "MySQL", "root". */
const LATIN_WORD = /\p{Script=Latin}[\p{Script=Latin}\p{N}]*/gu;
/** Up to three more words of the request's own sentence after its last non-Latin letter, to its end ("… в Gmail?"). */
const SENTENCE_TAIL = /^(?:[ \t]+\S+?){1,3}?[.?!。？！؟।]/u;
/** Quote marks and brackets that may enclose the request and are not part of it. */
const OPENING = /^["'“”‘’«»「」『』([]+/u;
const CLOSING = /["'“”‘’«»「」『』)\]]+$/u;

/** Of a request island, what the rest of the text must hold: a template of this many Latin-script words or more. */
const MIN_TEMPLATE_WORDS = 12;

function latinWords(s: string): number {
  return s.match(LATIN_WORD)?.length ?? 0;
}

/**
 * The stretch of `text` written in a non-Latin script when the rest is a Latin-script template: from the
 * first to the last letter of the largest cluster of non-Latin letters (clusters end at a blank line or at
 * more than three Latin words), with the words attached to its ends ("ChatGPT를", "密码？"), the Latin words
 * that finish its sentence ("… в Gmail?"), and without enclosing quotes. Null unless the cluster holds four
 * non-Latin letters or more and at least 85% of the text's, and the text outside it holds at least 12 Latin
 * words (a text wholly in one script, or mixing scripts throughout, has no island).
 */
export function scriptIsland(text: string): Range | null {
  const at = [...text.matchAll(OTHER_LETTER)].map((m) => m.index ?? 0);
  if (at.length < 4) return null;
  const clusters: Array<{ start: number; end: number; n: number }> = [];
  let cur = { start: at[0]!, end: at[0]! + 1, n: 1 };
  for (const i of at.slice(1)) {
    const gap = text.slice(cur.end, i);
    if (latinWords(gap) <= 3 && !/\n[ \t]*\n/.test(gap)) {
      cur.end = i + 1;
      cur.n++;
    } else {
      clusters.push(cur);
      cur = { start: i, end: i + 1, n: 1 };
    }
  }
  clusters.push(cur);
  const main = clusters.reduce((a, b) => (b.n > a.n ? b : a));
  if (main.n < 4 || main.n < 0.85 * at.length) return null;
  let start = main.start;
  let end = main.end;
  while (start > 0 && /[\p{L}\p{N}\p{M}]/u.test(text[start - 1]!)) start--;
  while (end < text.length && /[\p{L}\p{N}\p{M}.?!。？！؟।"'”’»」』)]/u.test(text[end]!)) end++;
  if (!/[.?!。？！؟।]["'”’»」』)]*$/u.test(text.slice(start, end))) {
    const tail = SENTENCE_TAIL.exec(text.slice(end));
    if (tail && !tail[0].includes('\n')) end += tail[0].length;
  }
  const r = trimRange(text, start, end);
  if (!r) return null;
  const inner = text.slice(r.start, r.end);
  const lead = OPENING.exec(inner)?.[0].length ?? 0;
  const trail = CLOSING.exec(inner)?.[0].length ?? 0;
  const island = { start: r.start + lead, end: r.end - trail };
  if (island.end <= island.start) return null;
  if (latinWords(text.slice(0, island.start)) + latinWords(text.slice(island.end)) < MIN_TEMPLATE_WORDS) return null;
  return island;
}
