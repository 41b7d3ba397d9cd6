/**
 * @file The segmenter: for each clause of a prompt, the probability that it is scaffolding (jailbreak
 * framing or an injected instruction) rather than part of the user's request. A hashed n-gram linear
 * model per clause, then a small bidirectional GRU over the prompt's clauses (`models/segmenter/<version>/`,
 * trained by `training/diffguard_train/segments.py`, feature spec "diffguard-segmenter/3") that the edit search
 * uses to decide which clauses to remove. Reads its weights once (size- and sha256-checked); scoring is pure.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { float32LE, latestModelDir, ModelError, readVerifiedFile } from '../inference';
import { features, LEXICAL_BUCKETS } from '../lexical/features';
import { LruCache } from '../lru';
import { normalize } from '../normalize';
import { clauses, type Range } from './segment';

/** Feature spec and weight layout this code reads. */
export const SEGMENTER_FORMAT = 'diffguard-segmenter/3';
const N_POS = 6;
/**
 * Stage-2 GRU inputs per clause: stage-1 logit / 4, the length and "?" position features, the text's mean
 * stage-1 logit / 4 (no index features: the GRU sees where it is).
 */
const N_IN = 4;
/** Stage-2 GRU hidden size (each direction). */
const HIDDEN = 8;

/** Clause-level scaffold probabilities of one text. */
export type SegmentScores = {
  /** Clause ranges of the original text (UTF-16 offsets), in order. */
  clauses: Range[];
  /** Final (stage-2) logit per clause. */
  logits: Float64Array;
  /** Stage-1 logit per clause: the clause read on its own words (and position), before the GRU. */
  stage1: Float64Array;
  /** p(scaffolding) per clause. */
  p: Float64Array;
};

/**
 * The segmenter's scaffold probability over `ranges`: each clause's probability weighted by how much of it lies
 * inside them. Null where no clause overlaps them (the segmenter read nothing there).
 */
export function scaffoldShare(scores: SegmentScores, ranges: readonly Range[]): number | null {
  let len = 0;
  let mass = 0;
  scores.clauses.forEach((c, i) => {
    for (const r of ranges) {
      const overlap = Math.min(c.end, r.end) - Math.max(c.start, r.start);
      if (overlap > 0) {
        len += overlap;
        mass += overlap * scores.p[i]!;
      }
    }
  });
  return len > 0 ? mass / len : null;
}

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

type Manifest = {
  format?: string;
  version?: string;
  buckets?: number;
  position_features?: number;
  sequence?: { type?: string; hidden?: number; inputs?: number };
  files?: Record<string, { sha256?: string; bytes?: number }>;
  /** An ensemble's weights files (default: weights.bin alone). */
  members?: string[];
};

/** One direction of a GRU layer (PyTorch's layout: gates r, z, n stacked by rows). */
type GruDirection = { wIh: Float32Array; wHh: Float32Array; bIh: Float32Array; bHh: Float32Array };

/** Number of float32 values of one GRU direction. */
const GRU_FLOATS = 3 * HIDDEN * N_IN + 3 * HIDDEN * HIDDEN + 6 * HIDDEN;

function gruDirection(all: Float32Array, at: number): GruDirection {
  const H3 = 3 * HIDDEN;
  const wIh = all.subarray(at, (at += H3 * N_IN));
  const wHh = all.subarray(at, (at += H3 * HIDDEN));
  const bIh = all.subarray(at, (at += H3));
  const bHh = all.subarray(at, at + H3);
  return { wIh, wHh, bIh, bHh };
}

/**
 * Runs one GRU direction over `x` (one row of N_IN inputs per step) in the given step order, from a zero
 * state, writing each step's hidden state into `out[step]`. PyTorch's equations: r = σ(W_ir x + b_ir + W_hr h + b_hr),
 * u = σ(W_iz x + b_iz + W_hz h + b_hz), c = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h' = (1 − u) ⊙ c + u ⊙ h.
 */
function runGru(g: GruDirection, x: readonly number[][], order: readonly number[], out: Float64Array[]): void {
  const H = HIDDEN;
  let h = new Float64Array(H);
  const gi = new Float64Array(3 * H);
  const gh = new Float64Array(3 * H);
  for (const t of order) {
    const xt = x[t]!;
    for (let j = 0; j < 3 * H; j++) {
      let a = g.bIh[j]!;
      for (let k = 0; k < N_IN; k++) a += g.wIh[j * N_IN + k]! * xt[k]!;
      gi[j] = a;
      let b = g.bHh[j]!;
      for (let k = 0; k < H; k++) b += g.wHh[j * H + k]! * h[k]!;
      gh[j] = b;
    }
    const next = new Float64Array(H);
    for (let j = 0; j < H; j++) {
      const r = sigmoid(gi[j]! + gh[j]!);
      const u = sigmoid(gi[H + j]! + gh[H + j]!);
      const c = Math.tanh(gi[2 * H + j]! + r * gh[2 * H + j]!);
      next[j] = (1 - u) * c + u * h[j]!;
    }
    h = next;
    out[t] = h;
  }
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** The six position features of clause `i` of `n` (spec step 3). */
function positionFeatures(text: string, r: Range, i: number, n: number): number[] {
  const seg = text.slice(r.start, r.end);
  return [i === n - 1 ? 1 : 0, i === 0 ? 1 : 0, n === 1 ? 1 : 0, n > 1 ? i / (n - 1) : 0, Math.min(1, seg.length / 200), seg.trimEnd().endsWith('?') ? 1 : 0];
}

/**
 * One trained model of a segmenter folder: its clause logits (stage 1 and final) for given clauses, given each
 * clause's hashed n-gram features (shared by the members: computing them is most of stage 1's cost).
 */
type Member = (cl: readonly Range[], feats: readonly Int32Array[], pos: readonly number[][]) => { z1: Float64Array; z: Float64Array };

/** Parses one member's weights file (layout in the manifest) into a scorer. */
function member(bytes: Buffer, path: string): Member {
  const expect = (LEXICAL_BUCKETS + N_POS + 1 + 2 * GRU_FLOATS + 2 * HIDDEN + N_IN + 1) * 4;
  if (bytes.length !== expect) {
    throw new ModelError('MODEL_CORRUPT', path, `segmenter weights ${path} have ${bytes.length} bytes, the layout needs ${expect}`);
  }
  const all = float32LE(bytes);
  const W = all.subarray(0, LEXICAL_BUCKETS);
  const P = all.subarray(LEXICAL_BUCKETS, LEXICAL_BUCKETS + N_POS);
  const bias = all[LEXICAL_BUCKETS + N_POS]!;
  const g0 = LEXICAL_BUCKETS + N_POS + 1;
  const fwd = gruDirection(all, g0);
  const bwd = gruDirection(all, g0 + GRU_FLOATS);
  const o0 = g0 + 2 * GRU_FLOATS;
  const O = all.subarray(o0, o0 + 2 * HIDDEN + N_IN);
  const oBias = all[o0 + 2 * HIDDEN + N_IN]!;

  return (cl, feats, pos) => {
    const n = cl.length;
    // Stage 1: each clause on its own.
    const z1 = new Float64Array(n);
    cl.forEach((_, i) => {
      const f = feats[i]!;
      let z = 0;
      for (let k = 0; k < f.length; k++) z += W[f[k]!]!;
      z = f.length ? z / Math.sqrt(f.length) : 0;
      for (let k = 0; k < N_POS; k++) z += P[k]! * pos[i]![k]!;
      z1[i] = z + bias;
    });
    // Stage 2: the GRU over the clauses in both directions (spec step 5).
    const mean = n ? z1.reduce((a, b) => a + b, 0) / n : 0;
    const x = cl.map((_, i) => [z1[i]! / 4, pos[i]![4]!, pos[i]![5]!, mean / 4]);
    const hf: Float64Array[] = new Array(n);
    const hb: Float64Array[] = new Array(n);
    const forward = cl.map((_, i) => i);
    runGru(fwd, x, forward, hf);
    runGru(bwd, x, forward.slice().reverse(), hb);
    const z = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s2 = z1[i]! + oBias;
      for (let k = 0; k < HIDDEN; k++) s2 += O[k]! * hf[i]![k]! + O[HIDDEN + k]! * hb[i]![k]!;
      for (let k = 0; k < N_IN; k++) s2 += O[2 * HIDDEN + k]! * x[i]![k]!;
      z[i] = s2;
    }
    return { z1, z };
  };
}

/**
 * Loads a segmenter version folder (manifest.json + weights.bin, or an ensemble: `members` lists its weights
 * files, whose clause probabilities are averaged; the final logit is that mean's, stage 1 the members' mean).
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
  const names = m.members ?? ['weights.bin'];
  if (
    m.format !== SEGMENTER_FORMAT ||
    m.buckets !== LEXICAL_BUCKETS ||
    m.position_features !== N_POS ||
    m.sequence?.type !== 'bigru' ||
    m.sequence.hidden !== HIDDEN ||
    m.sequence.inputs !== N_IN ||
    !Array.isArray(names) ||
    names.length === 0 ||
    names.some((name) => typeof name !== 'string' || typeof m.files?.[name]?.sha256 !== 'string')
  ) {
    throw new ModelError(
      'MODEL_MISMATCH',
      manifestPath,
      `segmenter manifest ${manifestPath} is not ${SEGMENTER_FORMAT} with ${LEXICAL_BUCKETS} buckets, ${N_POS} position features, a bidirectional GRU of ${HIDDEN} and a checksum for each weights file`,
    );
  }
  const members = names.map((name) => member(readVerifiedFile(dir, name, m.files![name] as { sha256: string; bytes: number }), join(dir, name)));

  // A clause's features, by its text: the rewriter, the slot and the request core score the same text (and
  // candidates share most clauses with it), so most clauses were already read.
  const clauseFeatures = new LruCache<string, Int32Array>(4096);
  const featuresOf = (clause: string): Int32Array => {
    const hit = clauseFeatures.get(clause);
    if (hit !== undefined) return hit;
    const f = features(normalize(clause).text);
    clauseFeatures.set(clause, f);
    return f;
  };

  return {
    version: m.version ?? 'unknown',
    score(text: string, cuts: readonly number[] = []): SegmentScores {
      const cl = splitAt(text, clauses(text), cuts);
      const n = cl.length;
      const pos = cl.map((r, i) => positionFeatures(text, r, i, n));
      const feats = cl.map((r) => featuresOf(text.slice(r.start, r.end)));
      const outs = members.map((score) => score(cl, feats, pos));
      if (outs.length === 1) {
        const { z1, z } = outs[0]!;
        return { clauses: cl, logits: z, stage1: z1, p: z.map(sigmoid) };
      }
      const stage1 = new Float64Array(n);
      const p = new Float64Array(n);
      const logits = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s1 = 0;
        let sp = 0;
        for (const o of outs) {
          s1 += o.z1[i]!;
          sp += sigmoid(o.z[i]!);
        }
        stage1[i] = s1 / outs.length;
        p[i] = sp / outs.length;
        const q = Math.min(Math.max(p[i]!, 1e-12), 1 - 1e-12);
        logits[i] = Math.log(q / (1 - q));
      }
      return { clauses: cl, logits, stage1, p };
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
