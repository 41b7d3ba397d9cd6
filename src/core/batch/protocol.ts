/**
 * @file The message protocol between a batch host (the pool) and a batch worker. Transport
 * agnostic (worker_threads today, a utility process later): plain structured-cloneable objects,
 * discriminated by `type`, every message carrying the `seq` of the request it belongs to.
 * Errors travel as plain data and are rebuilt on the other side.
 */
import type { PolicyName, SanitizeResult } from '../../shared/result';
import type { Policy } from '../policy/policy';
import type { ChunkRow } from './process-chunk';

/** How a worker builds its engine. Workers never write history: the host does (single writer). */
export type WorkerInit = {
  dataDir: string;
  policy?: PolicyName | Policy;
  useModels?: boolean;
  /** Load the semantic harm head (default true; see HostOptions.semantic). */
  semantic?: boolean;
  modelsDir?: string;
  /** onnxruntime intra-op threads for this worker's sessions (workers × threads ≤ cores). */
  threads?: number;
  /** Keep placeholders in memory only (nothing persisted to the vault). */
  ephemeralVault?: boolean;
};

/** Host → worker. */
export type WorkerRequest =
  | { type: 'init'; seq: number; init: WorkerInit }
  | { type: 'chunk'; seq: number; rows: ChunkRow[] }
  | { type: 'cancel'; seq: number }
  | { type: 'close'; seq: number };

/** An error as plain data. */
export type SerializedError = { name: string; message: string; stack?: string; code?: string };

/** Worker → host. `ready` answers `init`; `result`/`error` answer `chunk` (or `init` on failure). */
export type WorkerResponse =
  | { type: 'ready'; seq: number; degraded: string[] }
  | { type: 'result'; seq: number; results: SanitizeResult[] }
  | { type: 'error'; seq: number; error: SerializedError }
  | { type: 'log'; seq: number; level: 'info' | 'warn' | 'error'; message: string }
  | { type: 'closed'; seq: number };

/** Turns any thrown value into plain data. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { name: error.name, message: error.message, stack: error.stack, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { name: 'Error', message: String(error) };
}

/** Rebuilds an Error from `serializeError` output. */
export function deserializeError(data: SerializedError): Error & { code?: string } {
  const error = new Error(data.message) as Error & { code?: string };
  error.name = data.name;
  if (data.stack) error.stack = data.stack;
  if (data.code !== undefined) error.code = data.code;
  return error;
}
