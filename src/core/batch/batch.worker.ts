/**
 * @file Thin worker-thread entry for batch jobs (built to out/main/batch-worker.js): one engine
 * per worker, built through the same openHost as every other host but without history (the
 * host thread is the single history writer). All logic is in serve-worker.ts and process-chunk.ts.
 */
import { parentPort } from 'node:worker_threads';
import { openHost } from '../host';
import { serveBatchWorker, type WorkerPort } from './serve-worker';

if (parentPort === null) throw new Error('batch-worker must run as a worker thread');
const port = parentPort;

serveBatchWorker(
  port as unknown as WorkerPort,
  (init) =>
    openHost({
      dataDir: init.dataDir,
      history: false,
      policy: init.policy,
      useModels: init.useModels,
      semantic: init.semantic ?? true,
      modelsDir: init.modelsDir,
      threads: init.threads ?? 1,
      ephemeralVault: init.ephemeralVault,
    }),
  () => port.close(),
);
