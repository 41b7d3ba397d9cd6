/**
 * @file Ports of the engine: the interfaces that each pipeline stage implements.
 * The engine (engine.ts) composes normalize → detect (deterministic + analyzer) → decide →
 * rewrite → verify. Model-based stages (analyzer, rewriter) plug in through these interfaces,
 * so adding them changes no host. Must not import electron or any host.
 */
import type { Category, Finding, PolicyName, SanitizeResult } from '../../shared/result';
import type { HistorySource } from '../history/types';
import type { Policy } from '../policy/policy';

/**
 * Output of the normalize stage. `text` is what the analyzers read; `toOriginal` maps every
 * offset in `text` (0..text.length inclusive) back to an offset in the user's original string.
 */
export type NormalizedText = {
  original: string;
  /** NFKC, invisible characters removed. Used by the deterministic detectors. */
  text: string;
  /** Offset map: toOriginal[i] is the original offset of normalized offset i; length text.length + 1. */
  toOriginal: Int32Array;
  /** `text` with homoglyphs and leetspeak folded, same length as `text` (1:1 offsets). For analysis only. */
  folded: string;
  /** Decoded embedded base64/hex/rot13 segments, with the original span they came from. For analysis only. */
  decoded: DecodedSegment[];
  /** Detections of the obfuscation itself (zero-width, bidi, tag chars, variation selectors, encodings). */
  findings: Detection[];
};

export type DecodedSegment = {
  encoding: 'base64' | 'hex' | 'rot13' | 'url' | 'unicode_tag' | 'reversed' | 'spaced' | 'rot13_text';
  /** Original-text offsets of the encoded segment. */
  start: number;
  end: number;
  decoded: string;
};

/** A raw detection before the policy decides an action. Offsets into the ORIGINAL text. */
export type Detection = {
  kind: string;
  category: Category;
  start: number;
  end: number;
  score: number;
  reason?: string;
  /** Placeholder type for redaction, e.g. EMAIL, PHONE, CARD, SECRET, NAME. */
  placeholderType?: string;
};

/** A deterministic detector: pure, synchronous, no I/O. */
export interface Detector {
  readonly name: string;
  detect(input: NormalizedText): Detection[];
}

/** What the learned analyzer returns for one text (see issue 3). Offsets into the ORIGINAL text. */
export type AnalyzerOutput = {
  spans: Detection[];
  /** Calibrated probabilities per category key: jailbreak, injection, harmful, harmful:<sub>, pii. */
  probs: Record<string, number>;
  /** 384-d L2-normalised embedding of what the text asks for. */
  embedding: Float32Array;
};

export interface Analyzer {
  readonly name: string;
  readonly version: string;
  /**
   * sha256 of the trained checkpoint the model was exported from, when the manifest records it: two
   * exports of one checkpoint (float32 and int8) share their embedding space.
   */
  readonly checkpoint?: string;
  /**
   * Analyzes normalized texts (the model reads `text`; span offsets come back on `original`).
   * `spanThresholds`: per span label (or one number for all); default the `balanced` preset's.
   */
  analyze(inputs: NormalizedText[], options?: { spanThresholds?: Readonly<Record<string, number>> | number }): Promise<AnalyzerOutput[]>;
  /** Embeds plain texts (for candidate rewrites and the meaning-kept score). */
  embed(texts: string[]): Promise<Float32Array[]>;
  /** Thresholds chosen on validation for a policy preset (category key → calibrated probability). */
  thresholds(preset: PolicyName): { categories: Record<string, number>; spans: Record<string, number> };
  /** The execution provider actually in use, and why it differs from the requested one. */
  readonly provider?: { name: string; fallbackReason?: string };
  dispose(): Promise<void>;
}

/** A decided edit: a detection plus the action the policy chose and its replacement. */
export type Edit = Finding;

export type RewriteInput = {
  normalized: NormalizedText;
  edits: Edit[];
  analysis: AnalyzerOutput | null;
  /** The engine decided to block this request: only look for a clearly safe `suggestion`. */
  blocked?: boolean;
  /** The policy's category thresholds (calibrated probabilities), for the rewriter's own verification. */
  thresholds?: { categories: Record<string, number> };
  /** Terms the policy asks to soften: generalised to a WordNet hypernym when possible. */
  soften?: string[];
  /**
   * An attack the engine's text-level scores see but its spans do not locate: the category and its
   * score. When the score is high, the rewriter's segmenter may locate the scaffolding instead.
   */
  unlocalised?: { category: 'jailbreak' | 'injection'; score: number };
};

export type RewriteOutput = {
  cleaned: string;
  edits: Edit[];
  semantic: number;
  riskAfter: number;
  suggestion?: string;
  /** The rewriter's own verdict after verifying its best candidate with the analyzer. */
  verdict?: 'pass' | 'cleaned' | 'blocked';
  /** The analyzer's output for `cleaned` (already computed by the search), so the engine need not re-analyse it. */
  analysisAfter?: AnalyzerOutput;
};

export interface Rewriter {
  readonly name: string;
  rewrite(input: RewriteInput): Promise<RewriteOutput>;
  /**
   * `text` without the clauses the segmenter reads as scaffolding: what a cleaned request's harm is also
   * judged on, so that scaffold words the removal left ("use recipe format" What's a good method for …?")
   * do not dilute it. Null without a segmenter, or when it would keep every clause or none.
   */
  requestCore?(text: string): string | null;
  /**
   * The request a jailbreak template put in its slot, read from the input: a quoted slot ('The apprentice asks:
   * "…"'), a quoted request, or a request after "is", a colon or a dash inside the template's own sentence. Null
   * when there is none. The engine also judges its harm, whatever the edit search kept.
   */
  slotRequest?(text: string): string | null;
  /**
   * The input's request core ({@link requestCore} of `input`) when the edit search kept none of its clauses in
   * `cleaned`: the engine judges the harm of what the search cut too. Null when a clause of it was kept, for a
   * fake dialogue whose open last turn the search takes as the request (its example questions read as request
   * clauses), and without a segmenter.
   */
  cutRequest?(input: string, cleaned: string): string | null;
  /** Releases the rewriter's model sessions (the engine's close() should call it when present). */
  dispose?(): Promise<void>;
}

export type SanitizeOptions = {
  /** A preset name or a resolved policy (see src/core/policy). Default: the engine's policy. */
  policy?: PolicyName | Policy;
  /** Log this run in history (when the engine has a history repository). Default true. */
  record?: boolean;
  /** Where the request came from, logged in history. Default 'workbench'. */
  source?: HistorySource;
  /** Batch job the texts belong to, logged in history. */
  batchJobId?: string;
};

/** The engine as every host sees it. */
export interface Engine {
  sanitize(text: string, options?: SanitizeOptions): Promise<SanitizeResult>;
  /** Same as sanitize for many texts; lets model stages batch. Results in input order. */
  sanitizeMany(texts: string[], options?: SanitizeOptions): Promise<SanitizeResult[]>;
  /** Replaces placeholders in `text` with the values remembered by the vault. */
  restore(text: string): RestoreResult;
  info(): EngineInfo;
  close(): Promise<void>;
}

export type RestoreResult = {
  text: string;
  restored: number;
  /** Placeholders present in the text that the vault does not know. */
  unknown: string[];
};

export type EngineInfo = {
  version: string;
  analyzer: { name: string; version: string; provider: string; fallbackReason?: string } | null;
  rewriter: { name: string } | null;
  /** The semantic harm head when loaded; fused when its fusion fits the loaded analyzer and lexical head. */
  semantic?: { version: string; fused: boolean } | null;
  /** Why a model stage is not running (missing or corrupt model file), if it is not. */
  degraded: string[];
};
