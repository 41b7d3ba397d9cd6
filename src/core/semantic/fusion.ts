/**
 * @file One harm score from three heads, used when the semantic head is enabled: a logistic
 * regression over the analyzer's, the lexical head's and the semantic head's calibrated harmful
 * probabilities (as logits), fitted on the validation split's calibration half (scripts/fit-fusion.ts).
 * It replaces the OR of the heads' thresholds for `harmful`, on texts the semantic head reads; on the
 * others (other scripts) the analyzer and the lexical head keep their OR rule, so that "unreadable"
 * cannot itself become evidence of harm (the validation data's other-script rows are mostly harmful).
 * Measured on plain validation requests, it recalls far more harmful requests than the OR at the same
 * false-positive rate, because the heads' evidence adds up (see models/semantic's model card).
 */
import { z } from 'zod';
import type { PolicyName } from '../../shared/result';

/** The semantic probability is clipped to this range before its logit: bounds its weight. */
export const SEMANTIC_CLIP = [0.005, 0.995] as const;

export const FusionSchema = z.object({
  format: z.literal('diffguard-harm-fusion/1'),
  /** The model versions whose calibrated probabilities the weights were fitted on. */
  analyzer: z.string().min(1),
  lexical: z.string().min(1),
  semantic: z.string().min(1),
  /** z = w0·logit(pA) + w1·logit(pL) + w2·logit(clip(pS)) + w3, for texts the semantic head reads. */
  weights: z.array(z.number()).length(4),
  thresholds: z.object({ strict: z.number().min(0).max(1), balanced: z.number().min(0).max(1), permissive: z.number().min(0).max(1) }),
  /** The false-positive rates each preset's threshold was fitted to keep (look-alikes, ordinary benign prompts). */
  budget: z.record(z.string(), z.object({ lookalike: z.number().min(0).max(1), ordinary: z.number().min(0).max(1) })).optional(),
  metrics: z.unknown().optional(),
});
export type HarmFusion = z.infer<typeof FusionSchema>;

const logit = (p: number, lo = 1e-6, hi = 1 - 1e-6): number => {
  const q = Math.min(hi, Math.max(lo, p));
  return Math.log(q / (1 - q));
};

/** The feature row of one text the semantic head reads. */
export function fusionFeatures(analyzer: number, lexical: number, semantic: number): number[] {
  return [logit(analyzer), logit(lexical), logit(semantic, SEMANTIC_CLIP[0], SEMANTIC_CLIP[1]), 1];
}

/** The fused P(harmful) of a text the semantic head reads. */
export function fusedHarm(f: HarmFusion, analyzer: number, lexical: number, semantic: number): number {
  const x = fusionFeatures(analyzer, lexical, semantic);
  let zsum = 0;
  for (let i = 0; i < 4; i++) zsum += (f.weights[i] as number) * (x[i] as number);
  return 1 / (1 + Math.exp(-zsum));
}

/**
 * Whether the semantic head could still lift this text over the threshold: the fused score with the
 * semantic probability at the top of its clip range. When it could not, the encoder need not run.
 */
export function semanticCouldMatter(f: HarmFusion, preset: PolicyName, analyzer: number, lexical: number): boolean {
  const t = f.thresholds[preset];
  return fusedHarm(f, analyzer, lexical, SEMANTIC_CLIP[1]) >= t || fusedHarm(f, analyzer, lexical, SEMANTIC_CLIP[0]) >= t;
}

/**
 * Weighted logistic regression by Newton's method with a small ridge (5 features: no need for more).
 * @returns the weights
 */
export function fitLogistic(X: readonly number[][], y: readonly number[], sampleWeight: readonly number[], ridge = 1e-3, iterations = 100): number[] {
  const d = (X[0] ?? []).length;
  const w = new Array<number>(d).fill(0);
  for (let it = 0; it < iterations; it++) {
    const g = new Array<number>(d).fill(0);
    const H = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    X.forEach((x, n) => {
      let zsum = 0;
      for (let i = 0; i < d; i++) zsum += (w[i] as number) * (x[i] as number);
      const p = 1 / (1 + Math.exp(-zsum));
      const sw = sampleWeight[n] as number;
      const r = (p - (y[n] as number)) * sw;
      const h = p * (1 - p) * sw;
      for (let i = 0; i < d; i++) {
        g[i]! += r * (x[i] as number);
        for (let j = 0; j < d; j++) H[i]![j]! += h * (x[i] as number) * (x[j] as number);
      }
    });
    for (let i = 0; i < d; i++) {
      g[i]! += ridge * (w[i] as number);
      H[i]![i]! += ridge;
    }
    const step = solve(H, g);
    let biggest = 0;
    for (let i = 0; i < d; i++) {
      w[i]! -= step[i] as number;
      biggest = Math.max(biggest, Math.abs(step[i] as number));
    }
    if (biggest < 1e-10) break;
  }
  return w;
}

/** Solves A·x = b (Gaussian elimination with partial pivoting; A is small and positive definite). */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i] as number]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    [M[c], M[p]] = [M[p]!, M[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = M[r]![c]! / M[c]![c]!;
      for (let k = c; k <= n; k++) M[r]![k]! -= f * M[c]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r]![n]!;
    for (let k = r + 1; k < n; k++) s -= M[r]![k]! * (x[k] as number);
    x[r] = s / M[r]![r]!;
  }
  return x;
}

/** The smallest threshold t with mean(scores ≥ t) ≤ rate (the (1 − rate) quantile, as numpy's linear rule). */
export function quantileThreshold(scores: readonly number[], rate: number): number {
  if (scores.length === 0) return 0.5;
  const s = [...scores].sort((a, b) => a - b);
  const pos = (1 - rate) * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(s.length - 1, lo + 1);
  return (s[lo] as number) + ((s[hi] as number) - (s[lo] as number)) * (pos - lo);
}
