/**
 * @file Opens a model folder as one verified unit: manifest checks (manifest.ts), then an ONNX
 * session (session.ts), then a check that the graph's inputs and outputs are the ones the
 * manifest promises, so a stale or swapped model.onnx fails at start-up and not mid-request.
 */
import type { LoadedModelManifest, ModelManifest } from './manifest';
import { loadModelManifest } from './manifest';
import type { CreateSessionOptions, ModelSession, TensorInfo } from './session';
import { createSession } from './session';
import { ModelError } from './errors';

/** A verified model folder with its open session. */
export type OpenModel = LoadedModelManifest & { session: ModelSession };

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');
}

/** Numeric last dimension of a tensor, or null when symbolic or unknown. */
function lastDim(info: TensorInfo | undefined): number | null {
  const d = info?.shape[info.shape.length - 1];
  return typeof d === 'number' && d > 0 ? d : null;
}

/**
 * Checks a session against a manifest: same input and output names, and, where the graph
 * declares them, the label counts and embedding width.
 *
 * @throws {ModelError} `MODEL_MISMATCH` listing every difference.
 */
export function checkSessionMatchesManifest(session: ModelSession, manifest: ModelManifest, path: string): void {
  const problems: string[] = [];
  const wantIn = manifest.inputs.map((t) => t.name);
  const wantOut = manifest.outputs.map((t) => t.name);
  if (!sameNames(session.inputNames, wantIn)) {
    problems.push(`inputs [${session.inputNames.join(', ')}] ≠ manifest [${wantIn.join(', ')}]`);
  }
  if (!sameNames(session.outputNames, wantOut)) {
    problems.push(`outputs [${session.outputNames.join(', ')}] ≠ manifest [${wantOut.join(', ')}]`);
  }
  const out = (name: string) => session.outputs.find((o) => o.name === name);
  const checks: Array<[string, number | undefined]> = [
    ['span_logits', manifest.span_labels.length],
    ['category_logits', manifest.categories.length],
    ['embedding', manifest.outputs.find((o) => o.name === 'embedding')?.dim],
  ];
  for (const [name, want] of checks) {
    const got = lastDim(out(name));
    if (want !== undefined && got !== null && got !== want) problems.push(`${name} last dimension ${got} ≠ manifest ${want}`);
  }
  if (problems.length > 0) {
    throw new ModelError('MODEL_MISMATCH', path, `Model ${path} does not match its manifest: ${problems.join('; ')}`);
  }
}

/**
 * Loads and verifies `dir` (manifest, sha256) and opens its model.onnx.
 *
 * @throws {ModelError} MODEL_MISSING / MODEL_CORRUPT / MODEL_MISMATCH (see loadModelManifest,
 *   createSession, checkSessionMatchesManifest). The session is released before a mismatch throws.
 */
export async function openModel(dir: string, opts: CreateSessionOptions = {}): Promise<OpenModel> {
  const loaded = loadModelManifest(dir);
  let session: ModelSession;
  try {
    session = await createSession(loaded.modelBytes, opts);
  } catch (e) {
    if (e instanceof ModelError) {
      throw new ModelError(e.code, loaded.modelPath, e.message.replace('<model bytes>', loaded.modelPath), { cause: e });
    }
    throw e;
  }
  try {
    checkSessionMatchesManifest(session, loaded.manifest, loaded.modelPath);
  } catch (e) {
    await session.dispose();
    throw e;
  }
  return { ...loaded, session };
}
