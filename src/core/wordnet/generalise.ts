/**
 * @file Word generalisation on top of the WordNet reader: noun base forms (a tiny "morphy" for
 * regular plurals) and the hypernym a word is generalised to, with the original's capitalisation
 * and number kept. Pure apart from the reader's file reads.
 */
import type { WordnetReader } from './reader';

const NOUN_SUFFIXES: ReadonlyArray<readonly [string, string]> = [
  ['ses', 's'],
  ['xes', 'x'],
  ['zes', 'z'],
  ['ches', 'ch'],
  ['shes', 'sh'],
  ['men', 'man'],
  ['ies', 'y'],
  ['s', ''],
];

/** Candidate base forms of a noun, the word itself first (e.g. `bombs` → `bombs`, `bomb`). */
export function nounBaseForms(word: string): string[] {
  const w = word.toLowerCase();
  const out = [w];
  for (const [suffix, repl] of NOUN_SUFFIXES) {
    if (w.length > suffix.length + 1 && w.endsWith(suffix)) out.push(w.slice(0, -suffix.length) + repl);
  }
  return [...new Set(out)];
}

/** A word's generalisation: the hypernym lemma and the synset it came from. */
export type Generalisation = { word: string; lemma: string; hypernym: string };

function pluralise(lemma: string): string {
  if (/(s|x|z|ch|sh)$/.test(lemma)) return `${lemma}es`;
  if (/[^aeiou]y$/.test(lemma)) return `${lemma.slice(0, -1)}ies`;
  return `${lemma}s`;
}

/**
 * Generalises a noun to the first lemma of its first sense's first hypernym (`dog` → `canine`,
 * `pistols` → `firearms`). Keeps a leading capital and the plural of the original. Returns null
 * when WordNet does not know the word as a noun or the sense has no hypernym.
 */
export function generaliseNoun(reader: WordnetReader, word: string): Generalisation | null {
  if (!/^[A-Za-z][A-Za-z-]*$/.test(word)) return null;
  for (const base of nounBaseForms(word)) {
    const hyper = reader.hypernyms(base, 'noun');
    const lemma = hyper[0]?.[0];
    if (!lemma) continue;
    let out = base !== word.toLowerCase() ? pluralise(lemma) : lemma;
    if (/^[A-Z]/.test(word)) out = out[0]!.toUpperCase() + out.slice(1);
    return { word, lemma: base, hypernym: out };
  }
  return null;
}
