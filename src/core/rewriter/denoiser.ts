/**
 * @file The diffusion model of `models/denoiser/<version>/` (format `diffguard-denoiser/1`): reads
 * and verifies the manifest (schema, file sizes and sha256), opens the one-step ε-prediction graph
 * and the regression baseline through src/core/inference, and exposes them as plain batched
 * functions on Float32Arrays. The sampling loop is in ddim.ts. No onnxruntime import here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { createSession, ModelError, readVerifiedFile, type ModelSession, type ProviderChoice } from '../inference';

const FileSchema = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/i), bytes: z.number().int().nonnegative() });

/** The zod schema of a denoiser `manifest.json`. Unknown extra keys are kept. */
export const DenoiserManifestSchema = z.looseObject({
  format: z.literal('diffguard-denoiser/1'),
  name: z.string().min(1),
  version: z.string().min(1),
  opset: z.number().int().positive(),
  files: z.record(z.string(), FileSchema).refine((f) => 'denoiser.onnx' in f, { message: 'files must list denoiser.onnx' }),
  embedding_dim: z.number().int().positive(),
  prediction: z.literal('epsilon'),
  space: z.looseObject({ scale: z.number().positive(), mean: z.array(z.number()) }),
  schedule: z.looseObject({ type: z.string(), T: z.number().int().positive(), alphas_cumprod: z.array(z.number().gt(0).max(1)) }),
  sampler: z.looseObject({ default_steps: z.number().int().positive(), default_guidance: z.number() }).optional(),
  regression: z.looseObject({ file: z.string() }).optional(),
  analyzer: z.looseObject({ name: z.string().optional(), version: z.string().nullable().optional() }).optional(),
  metrics: z.unknown().optional(),
});

/** A validated denoiser manifest. */
export type DenoiserManifest = z.infer<typeof DenoiserManifestSchema>;

/** The opened diffusion model: batched ε prediction, the regression baseline, and the schedule. */
export interface DenoiserModel {
  readonly manifest: DenoiserManifest;
  readonly dim: number;
  /** ᾱ_t for t = 0..T-1. */
  readonly alphasCumprod: Float64Array;
  /** Standardisation of the embedding space: x0 = (embedding − mean) · scale. */
  readonly mean: Float32Array;
  readonly scale: number;
  readonly hasRegression: boolean;
  /**
   * One batched denoising step. `xt`, `cond`: [batch × dim]; `t`: [batch] timestep indices;
   * `condMask`: [batch] (1 conditioned, 0 unconditional). Returns ε, [batch × dim].
   */
  eps(xt: Float32Array, t: Float32Array, cond: Float32Array, condMask: Float32Array): Promise<Float32Array>;
  /** The regression baseline's clean-embedding estimate for each row of `cond` ([batch × dim], L2-normalised). */
  regress(cond: Float32Array): Promise<Float32Array>;
  dispose(): Promise<void>;
}

/** Options of {@link openDenoiser}. */
export type OpenDenoiserOptions = { provider?: ProviderChoice; intraOpNumThreads?: number };

/**
 * Reads and validates `<dir>/manifest.json`.
 *
 * @throws {ModelError} MODEL_MISSING / MODEL_CORRUPT (bad JSON or schema) / MODEL_MISMATCH (internal inconsistency).
 */
export function loadDenoiserManifest(dir: string): DenoiserManifest {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) throw new ModelError('MODEL_MISSING', path, `Model file missing: ${path}`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ModelError('MODEL_CORRUPT', path, `Denoiser manifest is not valid JSON: ${path}`, { cause: e });
  }
  const parsed = DenoiserManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ModelError('MODEL_CORRUPT', path, `Denoiser manifest ${path} is invalid: ${issues}`);
  }
  const m = parsed.data;
  if (m.space.mean.length !== m.embedding_dim || m.schedule.alphas_cumprod.length !== m.schedule.T) {
    throw new ModelError('MODEL_MISMATCH', path, `Denoiser manifest ${path}: mean has ${m.space.mean.length} values for dim ${m.embedding_dim}, schedule ${m.schedule.alphas_cumprod.length} for T ${m.schedule.T}`);
  }
  return m;
}

/**
 * Opens the denoiser folder: verifies every listed file, creates the step session (and the
 * regression session when present) and checks their inputs and outputs.
 *
 * @throws {ModelError} as {@link loadDenoiserManifest}, and MODEL_CORRUPT when ORT cannot load a graph.
 */
export async function openDenoiser(dir: string, options: OpenDenoiserOptions = {}): Promise<DenoiserModel> {
  const manifest = loadDenoiserManifest(dir);
  const files = manifest.files;
  const stepBytes = readVerifiedFile(dir, 'denoiser.onnx', files['denoiser.onnx']!);
  const regFile = manifest.regression?.file;
  const regBytes = regFile && files[regFile] ? readVerifiedFile(dir, regFile, files[regFile]) : null;
  const sessionOptions = { provider: options.provider ?? 'cpu', ...(options.intraOpNumThreads !== undefined ? { intraOpNumThreads: options.intraOpNumThreads } : {}) };
  const step = await createSession(new Uint8Array(stepBytes), sessionOptions);
  let reg: ModelSession | null = null;
  try {
    for (const name of ['x_t', 't', 'cond', 'cond_mask']) {
      if (!step.inputNames.includes(name)) throw new ModelError('MODEL_MISMATCH', join(dir, 'denoiser.onnx'), `denoiser.onnx lacks input ${name}`);
    }
    if (!step.outputNames.includes('eps')) throw new ModelError('MODEL_MISMATCH', join(dir, 'denoiser.onnx'), 'denoiser.onnx lacks output eps');
    if (regBytes) reg = await createSession(new Uint8Array(regBytes), sessionOptions);
  } catch (e) {
    await step.dispose();
    throw e;
  }
  const D = manifest.embedding_dim;

  // One run at a time per session.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(job: () => Promise<T>): Promise<T> => {
    const next = queue.then(job);
    queue = next.catch(() => undefined);
    return next;
  };

  return {
    manifest,
    dim: D,
    alphasCumprod: Float64Array.from(manifest.schedule.alphas_cumprod),
    mean: Float32Array.from(manifest.space.mean),
    scale: manifest.space.scale,
    hasRegression: reg !== null,
    eps(xt, t, cond, condMask) {
      const B = t.length;
      return serial(async () => {
        const out = await step.run({
          x_t: { data: xt, dims: [B, D] },
          t: { data: t, dims: [B] },
          cond: { data: cond, dims: [B, D] },
          cond_mask: { data: condMask, dims: [B, 1] },
        });
        return out.eps!.data as Float32Array;
      });
    },
    regress(cond) {
      if (!reg) return Promise.reject(new Error(`${dir}: no regression model`));
      const r = reg;
      return serial(async () => {
        const out = await r.run({ cond: { data: cond, dims: [cond.length / D, D] } });
        return out.target!.data as Float32Array;
      });
    },
    async dispose() {
      await queue;
      await step.dispose();
      await reg?.dispose();
    },
  };
}
