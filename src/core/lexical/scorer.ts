/**
 * @file The lexical head at run time: loads `models/lexical/<version>/` (manifest.json +
 * weights.bin, sha256- and size-checked) and scores a normalized text into calibrated
 * probabilities for `harmful`, `jailbreak` and `injection` (logistic regression over the hashed
 * n-grams of {@link features}, then Platt scaling `sigmoid(a·z + b)`). A complementary signal to
 * the learned analyzer: the engine decides how to combine them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PolicyName } from '../../shared/result';
import { float32LE, ModelError, readVerifiedFile } from '../inference';
import { LEXICAL_BUCKETS, features } from './features';

/** The categories the lexical head scores, in weight-row order. */
export const LEXICAL_CATEGORIES = ['harmful', 'jailbreak', 'injection'] as const;
/** One lexical category. */
export type LexicalCategory = (typeof LEXICAL_CATEGORIES)[number];
/** Manifest format this runtime reads. */
export const LEXICAL_FORMAT = 'diffguard-lexical/1';

/** A loaded lexical head. */
export interface LexicalScorer {
  /** Model version (folder name), e.g. `2026.11.26-1`. */
  readonly version: string;
  /** Calibrated probabilities for a normalized text (`normalize(text).text`). */
  score(normalizedText: string): Record<LexicalCategory, number>;
  /** Per-category probability thresholds of a policy preset. */
  thresholds(preset: PolicyName): Record<LexicalCategory, number>;
}

interface LexicalManifest {
  format: string;
  version: string;
  buckets: number;
  categories: string[];
  files: Record<string, { sha256: string; bytes: number }>;
  calibration: Record<string, unknown>;
  thresholds: Record<string, Record<string, number>>;
}

function readManifest(path: string): LexicalManifest {
  if (!existsSync(path)) throw new ModelError('MODEL_MISSING', path, `lexical model manifest not found: ${path}`);
  let m: LexicalManifest;
  try {
    m = JSON.parse(readFileSync(path, 'utf8')) as LexicalManifest;
  } catch (cause) {
    throw new ModelError('MODEL_CORRUPT', path, `lexical model manifest is not valid JSON: ${path}`, { cause });
  }
  const ok =
    m.format === LEXICAL_FORMAT &&
    m.buckets === LEXICAL_BUCKETS &&
    JSON.stringify(m.categories) === JSON.stringify(LEXICAL_CATEGORIES) &&
    typeof m.files?.['weights.bin']?.sha256 === 'string';
  if (!ok) {
    throw new ModelError(
      'MODEL_MISMATCH',
      path,
      `lexical model manifest ${path} is not ${LEXICAL_FORMAT} with ${LEXICAL_BUCKETS} buckets and categories ${LEXICAL_CATEGORIES.join(', ')}`,
    );
  }
  return m;
}

function platt(m: LexicalManifest, c: LexicalCategory, path: string): { a: number; b: number } {
  const v = m.calibration[c] as { a?: unknown; b?: unknown } | undefined;
  if (typeof v?.a !== 'number' || typeof v.b !== 'number') {
    throw new ModelError('MODEL_MISMATCH', path, `lexical manifest ${path} lacks calibration for ${c}`);
  }
  return { a: v.a, b: v.b };
}

/**
 * Loads a lexical model folder.
 * @param dir the version folder (holding manifest.json and weights.bin)
 * @throws ModelError naming the file when it is missing, has the wrong size/sha256 or format
 */
export function createLexicalScorer(dir: string): LexicalScorer {
  const manifestPath = join(dir, 'manifest.json');
  const m = readManifest(manifestPath);
  const wPath = join(dir, 'weights.bin');
  const rec = m.files['weights.bin'] as { sha256: string; bytes: number };
  const bytes = readVerifiedFile(dir, 'weights.bin', rec);
  const K = LEXICAL_CATEGORIES.length;
  const expectBytes = (K * LEXICAL_BUCKETS + K) * 4;
  if (bytes.length !== expectBytes) {
    throw new ModelError('MODEL_CORRUPT', wPath, `lexical weights ${wPath} have ${bytes.length} bytes, the layout needs ${expectBytes}`);
  }
  const w = float32LE(bytes);
  const cal = LEXICAL_CATEGORIES.map((c) => platt(m, c, manifestPath));
  const thresholds: Partial<Record<PolicyName, Record<LexicalCategory, number>>> = {};
  for (const p of ['strict', 'balanced', 'permissive'] as const) {
    const t = m.thresholds[p];
    if (!t || LEXICAL_CATEGORIES.some((c) => typeof t[c] !== 'number')) {
      throw new ModelError('MODEL_MISMATCH', manifestPath, `lexical manifest ${manifestPath} lacks ${p} thresholds`);
    }
    thresholds[p] = { harmful: t.harmful as number, jailbreak: t.jailbreak as number, injection: t.injection as number };
  }
  return {
    version: m.version,
    score(normalizedText: string): Record<LexicalCategory, number> {
      const f = features(normalizedText);
      const inv = f.length > 0 ? 1 / Math.sqrt(f.length) : 0;
      const probs = [0, 0, 0];
      for (let k = 0; k < K; k++) {
        const base = k * LEXICAL_BUCKETS;
        let s = 0;
        for (let i = 0; i < f.length; i++) s += w[base + (f[i] as number)] as number;
        const z = s * inv + (w[K * LEXICAL_BUCKETS + k] as number);
        const { a, b } = cal[k] as { a: number; b: number };
        probs[k] = 1 / (1 + Math.exp(-(a * z + b)));
      }
      return { harmful: probs[0] as number, jailbreak: probs[1] as number, injection: probs[2] as number };
    },
    thresholds(preset: PolicyName): Record<LexicalCategory, number> {
      return { ...(thresholds[preset] as Record<LexicalCategory, number>) };
    },
  };
}
