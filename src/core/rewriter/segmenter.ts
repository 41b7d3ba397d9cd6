/**
 * @file The segmenter: for each clause of a prompt, the probability that it is scaffolding (jailbreak
 * framing or an injected instruction) rather than part of the user's request. A hashed n-gram linear
 * model (`models/segmenter/<version>/`, trained by `training/diffguard_train/segments.py`, feature
 * spec "diffguard-segmenter/2": a per-clause stage, then a stage over each clause's neighbours) that the edit search uses to decide which clauses to remove. Reads
 * its weights once (size- and sha256-checked); scoring is pure.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { float32LE, latestModelDir, ModelError, readVerifiedFile } from '../inference';
import { features, LEXICAL_BUCKETS } from '../lexical/features';
import { normalize } from '../normalize';
import { clauses, type Range } from './segment';

/** Feature spec and weight layout this code reads. */
export const SEGMENTER_FORMAT = 'diffguard-segmenter/2';
const N_POS = 6;
/** Stage-2 (context) features besides the position features. */
const N_CTX = 7;

/** Clause-level scaffold probabilities of one text. */
export type SegmentScores = {
  /** Clause ranges of the original text (UTF-16 offsets), in order. */
  clauses: Range[];
  /** Final (stage-2) logit per clause. */
  logits: Float64Array;
  /** p(scaffolding) per clause. */
  p: Float64Array;
};

/** A loaded segmenter. */
export interface Segmenter {
  readonly version: string;
  /**
   * Scores every clause of `text` (the original text; each clause is normalized before hashing).
   * `cuts`: extra clause boundaries (offsets), e.g. where a span the engine already knows is an
   * attack begins and ends, so that a request and the token soup glued to it are scored apart.
   */
  score(text: string, cuts?: readonly number[]): SegmentScores;
}

type Manifest = { format?: string; version?: string; buckets?: number; position_features?: number; context_features?: number; files?: Record<string, { sha256?: string; bytes?: number }> };

/** The six position features of clause `i` of `n` (spec step 3). */
function positionFeatures(text: string, r: Range, i: number, n: number): number[] {
  const seg = text.slice(r.start, r.end);
  return [i === n - 1 ? 1 : 0, i === 0 ? 1 : 0, n === 1 ? 1 : 0, n > 1 ? i / (n - 1) : 0, Math.min(1, seg.length / 200), seg.trimEnd().endsWith('?') ? 1 : 0];
}

/**
 * Loads a segmenter version folder (manifest.json + weights.bin).
 * @throws ModelError naming the file when it is missing, of another format, or fails its size/sha256 check
 */
export function createSegmenter(dir: string): Segmenter {
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new ModelError('MODEL_MISSING', manifestPath, `segmenter manifest not found: ${manifestPath}`);
  let m: Manifest;
  try {
    m = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  } catch (cause) {
    throw new ModelError('MODEL_CORRUPT', manifestPath, `segmenter manifest is not valid JSON: ${manifestPath}`, { cause });
  }
  if (m.format !== SEGMENTER_FORMAT || m.buckets !== LEXICAL_BUCKETS || m.position_features !== N_POS || m.context_features !== N_CTX || typeof m.files?.['weights.bin']?.sha256 !== 'string') {
    throw new ModelError('MODEL_MISMATCH', manifestPath, `segmenter manifest ${manifestPath} is not ${SEGMENTER_FORMAT} with ${LEXICAL_BUCKETS} buckets and ${N_POS} position features`);
  }
  const bytes = readVerifiedFile(dir, 'weights.bin', m.files['weights.bin'] as { sha256: string; bytes: number });
  const expect = (LEXICAL_BUCKETS + N_POS + 1 + N_CTX + N_POS + 1) * 4;
  if (bytes.length !== expect) {
    throw new ModelError('MODEL_CORRUPT', join(dir, 'weights.bin'), `segmenter weights ${join(dir, 'weights.bin')} have ${bytes.length} bytes, the layout needs ${expect}`);
  }
  const all = float32LE(bytes);
  const W = all.subarray(0, LEXICAL_BUCKETS);
  const P = all.subarray(LEXICAL_BUCKETS, LEXICAL_BUCKETS + N_POS);
  const bias = all[LEXICAL_BUCKETS + N_POS]!;
  const c0 = LEXICAL_BUCKETS + N_POS + 1;
  const C = all.subarray(c0, c0 + N_CTX + N_POS);
  const cBias = all[c0 + N_CTX + N_POS]!;

  return {
    version: m.version ?? 'unknown',
    score(text: string, cuts: readonly number[] = []): SegmentScores {
      const cl = splitAt(text, clauses(text), cuts);
      const n = cl.length;
      // Stage 1: each clause on its own.
      const z1 = new Float64Array(n);
      const pos = cl.map((r, i) => positionFeatures(text, r, i, n));
      cl.forEach((r, i) => {
        const f = features(normalize(text.slice(r.start, r.end)).text);
        let z = 0;
        for (let k = 0; k < f.length; k++) z += W[f[k]!]!;
        z = f.length ? z / Math.sqrt(f.length) : 0;
        for (let k = 0; k < N_POS; k++) z += P[k]! * pos[i]![k]!;
        z1[i] = z + bias;
      });
      // Stage 2: each clause with its neighbours' stage-1 logits (spec step 5).
      const mean = n ? z1.reduce((a, b) => a + b, 0) / n : 0;
      const logits = new Float64Array(n);
      const p = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const hp = i > 0 ? 1 : 0;
        const hn = i < n - 1 ? 1 : 0;
        const zp = hp ? z1[i - 1]! : 0;
        const zn = hn ? z1[i + 1]! : 0;
        const mn = Math.min(hp ? zp : z1[i]!, hn ? zn : z1[i]!);
        const x = [z1[i]!, zp, zn, hp, hn, mean, mn, ...pos[i]!];
        let s2 = cBias;
        for (let k = 0; k < x.length; k++) s2 += C[k]! * x[k]!;
        logits[i] = s2;
        p[i] = 1 / (1 + Math.exp(-s2));
      }
      return { clauses: cl, logits, p };
    },
  };
}

/** Splits clauses at the given offsets (each piece trimmed of white space, empty pieces dropped). */
function splitAt(text: string, cl: Range[], cuts: readonly number[]): Range[] {
  if (cuts.length === 0) return cl;
  const out: Range[] = [];
  for (const r of cl) {
    const inside = [...new Set(cuts.filter((c) => c > r.start && c < r.end))].sort((a, b) => a - b);
    let at = r.start;
    for (const c of [...inside, r.end]) {
      let s = at;
      let e = c;
      while (s < e && /\s/.test(text[s]!)) s++;
      while (e > s && /\s/.test(text[e - 1]!)) e--;
      if (e > s) out.push({ start: s, end: e });
      at = c;
    }
  }
  return out;
}

/** Resolves models/segmenter/LATEST to the shipped segmenter's folder. */
export function segmenterDir(modelsDir: string): string {
  return latestModelDir(modelsDir, 'segmenter');
}
