/**
 * @file Public surface of the lexical head (hashed n-gram logistic regression; see scorer.ts).
 */
export { features, LEXICAL_BUCKETS } from './features';
export {
  createLexicalScorer,
  LEXICAL_CATEGORIES,
  LEXICAL_FORMAT,
  type LexicalCategory,
  type LexicalScorer,
} from './scorer';
