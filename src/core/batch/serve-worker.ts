/**
 * @file The worker side of the batch protocol, independent of the thread API so it can be tested
 * over an in-process channel: builds one engine on `init`, then answers chunks one at a time in
 * arrival order, skipping chunks cancelled before they started.
 */
import type { Engine } from '../engine/types';
import { processChunk } from './process-chunk';
import { serializeError, type WorkerInit, type WorkerRequest, type WorkerResponse } from './protocol';

/** The port a worker talks through (worker_threads' parentPort fits). */
export interface WorkerPort {
  postMessage(message: WorkerResponse): void;
  on(event: 'message', listener: (message: WorkerRequest) => void): unknown;
}

/** Builds the worker's engine. */
export type OpenWorkerEngine = (init: WorkerInit) => Promise<{ engine: Engine; close(): Promise<void> }>;

/**
 * Serves batch requests on `port`.
 * @param onClosed called after `close` was answered (the thread entry exits there)
 */
export function serveBatchWorker(port: WorkerPort, open: OpenWorkerEngine, onClosed: () => void = () => {}): void {
  let host: { engine: Engine; close(): Promise<void> } | null = null;
  const cancelled = new Set<number>();
  let queue: Promise<void> = Promise.resolve();

  const handle = async (msg: WorkerRequest): Promise<void> => {
    switch (msg.type) {
      case 'init':
        try {
          host = await open(msg.init);
          port.postMessage({ type: 'ready', seq: msg.seq, degraded: host.engine.info().degraded });
        } catch (error) {
          port.postMessage({ type: 'error', seq: msg.seq, error: serializeError(error) });
        }
        return;
      case 'chunk': {
        if (cancelled.delete(msg.seq)) {
          port.postMessage({ type: 'error', seq: msg.seq, error: { name: 'AbortError', message: 'chunk cancelled' } });
          return;
        }
        if (host === null) {
          port.postMessage({ type: 'error', seq: msg.seq, error: { name: 'Error', message: 'worker received a chunk before init' } });
          return;
        }
        const results = await processChunk(host.engine, msg.rows, { source: 'batch' });
        port.postMessage({ type: 'result', seq: msg.seq, results });
        return;
      }
      case 'close':
        try {
          await host?.close();
        } finally {
          host = null;
          port.postMessage({ type: 'closed', seq: msg.seq });
          onClosed();
        }
        return;
      default:
        return;
    }
  };

  port.on('message', (msg: WorkerRequest) => {
    // Cancels act at once, everything else in order.
    if (msg.type === 'cancel') {
      cancelled.add(msg.seq);
      return;
    }
    queue = queue.then(() => handle(msg)).catch((error) => {
      port.postMessage({ type: 'error', seq: msg.seq, error: serializeError(error) });
    });
  });
}
