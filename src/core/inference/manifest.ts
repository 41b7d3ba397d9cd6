/**
 * @file Reads and verifies a model folder (`manifest.json` + `model.onnx` + …) against the
 * analyzer model contract. Owns the manifest schema and the file checks (presence, sha256,
 * size); it does not open an ONNX session (see session.ts). Fails fast with a {@link ModelError}.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ModelError } from './errors';

const ThresholdMapSchema = z.record(z.string(), z.number().min(0).max(1));

const PolicyThresholdsSchema = z.object({
  categories: ThresholdMapSchema,
  spans: ThresholdMapSchema,
});

const TensorSpecSchema = z.looseObject({
  name: z.string().min(1),
  dtype: z.string().min(1),
  dim: z.number().int().positive().optional(),
});

/** The zod schema of `manifest.json` (format `diffguard-analyzer/1`). Unknown extra keys are kept. */
export const ModelManifestSchema = z.looseObject({
  format: z.literal('diffguard-analyzer/1'),
  name: z.string().min(1),
  version: z.string().min(1),
  opset: z.number().int().positive(),
  files: z
    .record(z.string(), z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/i), bytes: z.number().int().nonnegative() }))
    .refine((files) => 'model.onnx' in files, { message: 'files must list model.onnx' }),
  tokenizer: z.object({
    type: z.literal('utf8-bytes'),
    byte_offset: z.number().int().nonnegative(),
    pad_id: z.number().int().nonnegative(),
    cls_id: z.number().int().nonnegative(),
    sep_id: z.number().int().nonnegative(),
    max_len: z.number().int().min(3),
    stride: z.number().int().positive(),
  }),
  inputs: z.array(TensorSpecSchema).min(1),
  outputs: z.array(TensorSpecSchema).min(1),
  span_labels: z.array(z.string().min(1)),
  categories: z.array(z.string().min(1)),
  calibration: z.looseObject({
    method: z.string(),
    category_temperature: z.array(z.number().positive()),
    span_temperature: z.number().positive(),
  }),
  thresholds: z.looseObject({
    strict: PolicyThresholdsSchema,
    balanced: PolicyThresholdsSchema,
    permissive: PolicyThresholdsSchema,
  }),
  metrics: z.unknown().optional(),
  data: z.unknown().optional(),
  source_commit: z.string().optional(),
  /** sha256 of the trained checkpoint (model.pt) the weights came from: an int8 export shares it with its float32 twin. */
  checkpoint_sha256: z.string().optional(),
  created: z.string().optional(),
});

/** A validated `manifest.json`. */
export type ModelManifest = z.infer<typeof ModelManifestSchema>;

/** A verified model folder: its manifest and the bytes of `model.onnx` (already sha256-checked). */
export type LoadedModelManifest = {
  dir: string;
  manifest: ModelManifest;
  modelPath: string;
  /** The bytes of model.onnx, so the session is created from exactly what was hashed. */
  modelBytes: Uint8Array;
};

function readRequired(path: string): Buffer {
  if (!existsSync(path)) {
    throw new ModelError('MODEL_MISSING', path, `Model file missing: ${path}`);
  }
  return readFileSync(path);
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Reads `<dir>/manifest.json`, validates it with {@link ModelManifestSchema}, checks that every
 * file it lists exists with the recorded size and sha256, and checks the internal consistency
 * of the contract (one temperature per category; the tokenizer ids; the required tensors).
 *
 * @throws {ModelError} `MODEL_MISSING` naming the missing file; `MODEL_CORRUPT` for unreadable
 *   JSON, a manifest that breaks the schema, or a file whose size or sha256 differs;
 *   `MODEL_MISMATCH` when the manifest contradicts the contract (e.g. missing tensors).
 */
export function loadModelManifest(dir: string): LoadedModelManifest {
  const manifestPath = join(dir, 'manifest.json');
  const raw = readRequired(manifestPath).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    throw new ModelError('MODEL_CORRUPT', manifestPath, `Model manifest is not valid JSON: ${manifestPath}`, { cause: e });
  }
  const parsed = ModelManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new ModelError('MODEL_CORRUPT', manifestPath, `Model manifest ${manifestPath} is invalid: ${issues}`);
  }
  const manifest = parsed.data;
  checkContract(manifest, manifestPath);

  let modelBytes: Uint8Array | null = null;
  for (const [name, expected] of Object.entries(manifest.files)) {
    const path = join(dir, name);
    const bytes = readRequired(path);
    if (bytes.length !== expected.bytes) {
      throw new ModelError(
        'MODEL_CORRUPT',
        path,
        `Model file ${path} has ${bytes.length} bytes, the manifest says ${expected.bytes}`,
      );
    }
    const actual = sha256(bytes);
    if (actual !== expected.sha256.toLowerCase()) {
      throw new ModelError(
        'MODEL_CORRUPT',
        path,
        `Model file ${path} is corrupt: sha256 ${actual} differs from the manifest's ${expected.sha256}`,
      );
    }
    if (name === 'model.onnx') modelBytes = bytes;
  }
  // The schema guarantees model.onnx is listed, so modelBytes is set here.
  return { dir, manifest, modelPath: join(dir, 'model.onnx'), modelBytes: modelBytes as Uint8Array };
}

const REQUIRED_INPUTS = ['input_ids', 'attention_mask'];
const REQUIRED_OUTPUTS = ['span_logits', 'category_logits', 'embedding'];

function checkContract(m: ModelManifest, manifestPath: string): void {
  const problems: string[] = [];
  const inputs = m.inputs.map((t) => t.name);
  const outputs = m.outputs.map((t) => t.name);
  for (const name of REQUIRED_INPUTS) if (!inputs.includes(name)) problems.push(`input ${name} missing`);
  for (const name of REQUIRED_OUTPUTS) if (!outputs.includes(name)) problems.push(`output ${name} missing`);
  if (m.calibration.category_temperature.length !== m.categories.length) {
    problems.push(
      `${m.calibration.category_temperature.length} category temperatures for ${m.categories.length} categories`,
    );
  }
  for (const preset of ['strict', 'balanced', 'permissive'] as const) {
    const th = m.thresholds[preset];
    const noCat = m.categories.filter((c) => th.categories[c] === undefined);
    const noSpan = m.span_labels.filter((s) => th.spans[s] === undefined);
    if (noCat.length > 0) problems.push(`thresholds.${preset}.categories lacks ${noCat.join(', ')}`);
    if (noSpan.length > 0) problems.push(`thresholds.${preset}.spans lacks ${noSpan.join(', ')}`);
  }
  const t = m.tokenizer;
  if (new Set([t.pad_id, t.cls_id, t.sep_id]).size !== 3 || Math.max(t.pad_id, t.cls_id, t.sep_id) >= t.byte_offset) {
    problems.push('tokenizer special ids must be distinct and below byte_offset');
  }
  if (t.stride > t.max_len - 2) problems.push(`tokenizer stride ${t.stride} exceeds max_len - 2 (${t.max_len - 2})`);
  if (problems.length > 0) {
    throw new ModelError('MODEL_MISMATCH', manifestPath, `Model manifest ${manifestPath} breaks the contract: ${problems.join('; ')}`);
  }
}
