/**
 * @file Public surface of the semantic harm head (pretrained sentence encoder + MLP; see scorer.ts).
 */
export { createSemanticScorer, SEMANTIC_FORMAT, type SemanticOptions, type SemanticScorer, type AttackProbs } from './scorer';
export { SentenceTokenizer, type VocabEntry } from './tokenizer';
export { fitLogistic, fusedHarm, fusionFeatures, FusionSchema, quantileThreshold, semanticCouldMatter, SEMANTIC_CLIP, type HarmFusion } from './fusion';
export { looksSpaced, rejoinSplitWords } from './rejoin';
