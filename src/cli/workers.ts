/**
 * @file How the CLI makes batch workers: a worker_threads Worker running the built
 * out/main/batch-worker.js that sits next to the built CLI. $DIFFGUARD_BATCH_WORKER overrides
 * the path (tests, custom builds).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BatchWorkerHandle } from '../core/batch';

/** The worker script, or null when it has not been built (running from source). */
export function batchWorkerPath(env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates = [env.DIFFGUARD_BATCH_WORKER, join(__dirname, 'batch-worker.js')].filter((p): p is string => !!p);
  return candidates.find((p) => existsSync(p)) ?? null;
}

/** A factory for the pool. */
export function workerFactory(path: string): () => BatchWorkerHandle {
  return () => new Worker(path) as unknown as BatchWorkerHandle;
}
