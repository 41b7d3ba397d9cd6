/**
 * @file Test helpers for model folders: locate the checked-in models and make scratch copies
 * that a test may damage (missing files, flipped bytes, edited manifests). Test-only.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ModelManifest } from './manifest';

/** Repository root (this file is src/core/inference/test-helpers.ts). */
export const REPO_ROOT = resolve(__dirname, '../../..');

/** The tiny random-weight model used by unit tests. */
export const TINY_MODEL_DIR = join(REPO_ROOT, 'models', 'analyzer-tiny');

/** The shipped model folder named by models/analyzer/LATEST, or null when there is none yet. */
export function latestModelDir(): string | null {
  const latest = join(REPO_ROOT, 'models', 'analyzer', 'LATEST');
  if (!existsSync(latest)) return null;
  const dir = join(REPO_ROOT, 'models', 'analyzer', readFileSync(latest, 'utf8').trim());
  return existsSync(join(dir, 'manifest.json')) ? dir : null;
}

/** A scratch copy of a model folder, removed by `cleanup`. */
export function copyModelDir(src: string = TINY_MODEL_DIR): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'diffguard-model-'));
  cpSync(src, dir, { recursive: true });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Rewrites `<dir>/manifest.json` through `edit`. */
export function editManifest(dir: string, edit: (m: ModelManifest) => void): void {
  const path = join(dir, 'manifest.json');
  const m = JSON.parse(readFileSync(path, 'utf8')) as ModelManifest;
  edit(m);
  writeFileSync(path, JSON.stringify(m, null, 1));
}

/** Records the current size and sha256 of `<dir>/model.onnx` in its manifest. */
export function rehashModel(dir: string): void {
  const bytes = readFileSync(join(dir, 'model.onnx'));
  editManifest(dir, (m) => {
    m.files['model.onnx'] = { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
  });
}
