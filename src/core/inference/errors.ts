/**
 * @file The one error type of the inference layer. Every failure to use a model folder
 * (missing file, bytes that do not match the manifest, a graph that does not match the
 * manifest) becomes a `ModelError` with a stable `code`, so hosts can report a degraded
 * engine instead of crashing, and tests can assert on the code rather than on ORT's wording.
 */

/** Stable codes of {@link ModelError}. */
export type ModelErrorCode = 'MODEL_MISSING' | 'MODEL_CORRUPT' | 'MODEL_MISMATCH';

/** A model folder that cannot be used. `path` names the file at fault. */
export class ModelError extends Error {
  override readonly name = 'ModelError';
  /** Why the model cannot be used. */
  readonly code: ModelErrorCode;
  /** The file (or folder) at fault. */
  readonly path: string;

  constructor(code: ModelErrorCode, path: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.path = path;
  }
}

/** True when `e` is a {@link ModelError}, optionally with the given code. */
export function isModelError(e: unknown, code?: ModelErrorCode): e is ModelError {
  return e instanceof ModelError && (code === undefined || e.code === code);
}

/** First line of an error message, trimmed to `max` characters (for recorded fallback reasons). */
export function shortMessage(e: unknown, max = 200): string {
  const raw = e instanceof Error ? e.message : String(e);
  const line = raw.split('\n').find((l) => l.trim() !== '')?.trim() ?? 'unknown error';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
