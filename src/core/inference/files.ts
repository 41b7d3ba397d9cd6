/**
 * @file Model files on disk, shared by every model folder the engine reads (ONNX or plain weights):
 * which version `models/<name>/LATEST` names, reading a file that must match its manifest's size and
 * sha256, and decoding little-endian float32 weights. No onnxruntime here.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelError } from './errors';

/**
 * Resolves `models/<name>/LATEST` to the shipped version's folder.
 * @throws {ModelError} MODEL_MISSING naming the LATEST file when it is not there
 */
export function latestModelDir(modelsDir: string, name: string): string {
  const latest = join(modelsDir, name, 'LATEST');
  if (!existsSync(latest)) throw new ModelError('MODEL_MISSING', latest, `No ${name} model: ${latest} is missing`);
  return join(modelsDir, name, readFileSync(latest, 'utf8').trim());
}

/**
 * Reads `<dir>/<name>` and checks it against the manifest's record.
 * @throws {ModelError} MODEL_MISSING naming the file; MODEL_CORRUPT when its size or sha256 differs
 */
export function readVerifiedFile(dir: string, name: string, expected: { sha256: string; bytes: number }): Buffer {
  const path = join(dir, name);
  if (!existsSync(path)) throw new ModelError('MODEL_MISSING', path, `Model file missing: ${path}`);
  const bytes = readFileSync(path);
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (bytes.length !== expected.bytes || sha !== expected.sha256.toLowerCase()) {
    throw new ModelError('MODEL_CORRUPT', path, `Model file ${path} is corrupt: ${bytes.length} bytes, sha256 ${sha}; the manifest says ${expected.bytes} bytes, ${expected.sha256}`);
  }
  return bytes;
}

/** Little-endian float32 values of `bytes` (a copy, independent of the byte order of the machine). */
export function float32LE(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(Math.floor(bytes.byteLength / 4));
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}
