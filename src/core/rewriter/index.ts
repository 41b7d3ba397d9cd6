/**
 * @file Public surface of the rewriter: the diffusion model (denoiser + DDIM sampler), the guided
 * edit search, the `Rewriter` implementation and its loader.
 */
export { createDiffusionRewriter } from './rewriter';
export type { DiffusionRewriter, DiffusionRewriterOptions, RewriteTrace, RewriterMode } from './rewriter';
export { loadRewriter, denoiserDir } from './load';
export type { LoadRewriterOptions } from './load';
export { openDenoiser, loadDenoiserManifest, DenoiserManifestSchema } from './denoiser';
export type { DenoiserManifest, DenoiserModel, OpenDenoiserOptions } from './denoiser';
export { ddimTimesteps, sampleClean, seededNoise } from './ddim';
export type { DdimOptions } from './ddim';
export { searchEdits, buildCandidate, WEIGHTS_WITH_TARGET, WEIGHTS_WITHOUT_TARGET } from './search';
export type { AttackSpan, ScoredCandidate, SearchInput, SearchOptions, SearchResult, SearchWeights } from './search';
export { sentences, lines, clauses } from './segment';
export { createSegmenter, segmenterDir, SEGMENTER_FORMAT } from './segmenter';
export type { Segmenter, SegmentScores } from './segmenter';
