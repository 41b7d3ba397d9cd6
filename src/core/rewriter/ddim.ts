/**
 * @file The DDIM sampler (η = 0, x0 estimate projected onto the unit sphere of embeddings at every
 * step) with classifier-free guidance over the exported one-step
 * denoiser: from the embedding of an input prompt to the embedding where its clean version should
 * lie. Conditional and unconditional predictions run in ONE batched session call per step; the
 * initial noise is seeded from a hash of the input text, so a rewrite is reproducible. Mirrors
 * `ddim_sample` in training/diffguard_train/denoiser.py step for step (parity-tested).
 */
import type { DenoiserModel } from './denoiser';

/** Sampler settings. */
export type DdimOptions = {
  /** Number of DDIM steps (1..T). */
  steps: number;
  /** Guidance scale w: ε = ε_u + w (ε_c − ε_u). 1 = conditional only, 0 = unconditional only. */
  guidance: number;
};

/** Descending timesteps `round(linspace(T-1, 0, steps))`, de-duplicated (same as Python). */
export function ddimTimesteps(T: number, steps: number): number[] {
  const s = Math.max(1, Math.min(Math.floor(steps), T));
  if (s === 1) return [T - 1];
  const out: number[] = [];
  for (let i = 0; i < s; i++) {
    // Python's round() is round-half-even; (T-1)(1 - i/(s-1)) hits .5 exactly only for odd T-1 splits.
    const v = roundHalfEven((T - 1) * (1 - i / (s - 1)));
    if (out.length === 0 || out[out.length - 1] !== v) out.push(v);
  }
  return out;
}

function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (Math.abs(d - 0.5) < 1e-9) return f % 2 === 0 ? f : f + 1;
  return Math.round(x);
}

/** 32-bit FNV-1a of a string's UTF-16 code units. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Standard-normal noise of length `dim`, deterministic in `key` (mulberry32 + Box–Muller). */
export function seededNoise(key: string, dim: number): Float32Array {
  let a = fnv1a(key) || 0x9e3779b9;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = new Float32Array(dim);
  for (let i = 0; i < dim; i += 2) {
    const u1 = Math.max(next(), 1e-12);
    const u2 = next();
    const r = Math.sqrt(-2 * Math.log(u1));
    out[i] = r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < dim) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
  return out;
}

/** L2-normalises `v` in place and returns it. */
export function normaliseInPlace(v: Float32Array): Float32Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i]! * v[i]!;
  n = Math.sqrt(n) || 1;
  for (let i = 0; i < v.length; i++) v[i] = v[i]! / n;
  return v;
}

/**
 * Samples the clean-target embedding for each condition (an analyzer embedding of an input).
 * `noises[i]` is the initial x_T of row i (default: {@link seededNoise} of `keys[i]`).
 * Returns L2-normalised embeddings, one per condition.
 */
export async function sampleClean(
  model: DenoiserModel,
  conds: readonly Float32Array[],
  options: DdimOptions,
  init: { noises?: readonly Float32Array[]; keys?: readonly string[] } = {},
): Promise<Float32Array[]> {
  const B = conds.length;
  if (B === 0) return [];
  const D = model.dim;
  const ab = model.alphasCumprod;
  const seq = ddimTimesteps(ab.length, options.steps);
  const w = options.guidance;
  const useCond = w !== 0;
  const useUncond = w !== 1;
  const rowsPer = (useCond ? 1 : 0) + (useUncond ? 1 : 0);
  const R = B * rowsPer;

  const x = new Float64Array(B * D);
  for (let b = 0; b < B; b++) {
    const n = init.noises?.[b] ?? seededNoise(init.keys?.[b] ?? String(b), D);
    for (let d = 0; d < D; d++) x[b * D + d] = n[d]!;
  }
  // The condition and mask halves never change between steps.
  const cond = new Float32Array(R * D);
  const mask = new Float32Array(R);
  for (let b = 0; b < B; b++) {
    let r = b;
    if (useCond) {
      cond.set(conds[b]!, r * D);
      mask[r] = 1;
      r += B;
    }
    if (useUncond) {
      cond.set(conds[b]!, r * D);
      mask[r] = 0;
    }
  }
  const xt = new Float32Array(R * D);
  const tt = new Float32Array(R);
  const x0 = new Float64Array(B * D);
  for (let i = 0; i < seq.length; i++) {
    const t = seq[i]!;
    const aT = ab[t]!;
    const aPrev = i + 1 < seq.length ? ab[seq[i + 1]!]! : 1;
    for (let k = 0; k < rowsPer; k++) for (let j = 0; j < B * D; j++) xt[k * B * D + j] = x[j]!;
    tt.fill(t);
    const eps = await model.eps(xt, tt, cond, mask);
    const sa = Math.sqrt(aT);
    const s1a = Math.sqrt(1 - aT);
    const sp = Math.sqrt(aPrev);
    const s1p = Math.sqrt(1 - aPrev);
    const e = new Float64Array(B * D);
    for (let j = 0; j < B * D; j++) {
      if (useCond && useUncond) {
        const ec = eps[j]!;
        const eu = eps[B * D + j]!;
        e[j] = eu + w * (ec - eu);
      } else {
        e[j] = eps[j]!;
      }
      x0[j] = (x[j]! - s1a * e[j]!) / sa;
    }
    // Project each x0 estimate onto the data manifold (unit embeddings) and re-derive ε from it: near
    // t = T-1, ᾱ is ~1e-9 and an unprojected estimate would be amplified ~1e4 times.
    for (let b = 0; b < B; b++) {
      const o = b * D;
      let norm = 0;
      for (let d = 0; d < D; d++) {
        const y = x0[o + d]! / model.scale + model.mean[d]!;
        norm += y * y;
      }
      norm = Math.sqrt(norm + 1e-12);
      for (let d = 0; d < D; d++) {
        const y = x0[o + d]! / model.scale + model.mean[d]!;
        x0[o + d] = (y / norm - model.mean[d]!) * model.scale;
        const ej = (x[o + d]! - sa * x0[o + d]!) / s1a;
        x[o + d] = sp * x0[o + d]! + s1p * ej;
      }
    }
  }
  const out: Float32Array[] = [];
  for (let b = 0; b < B; b++) {
    const v = new Float32Array(D);
    for (let d = 0; d < D; d++) v[d] = x0[b * D + d]! / model.scale + model.mean[d]!;
    out.push(normaliseInPlace(v));
  }
  return out;
}
