/**
 * @file Public surface of the semantic harm head (pretrained sentence encoder + MLP; see scorer.ts).
 */
export { createSemanticScorer, SEMANTIC_FORMAT, type SemanticOptions, type SemanticScorer } from './scorer';
export { SentenceTokenizer, type VocabEntry } from './tokenizer';
