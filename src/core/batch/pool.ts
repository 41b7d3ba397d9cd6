/**
 * @file A pool of batch workers: N workers made by a host-provided factory (the pool does not
 * know how workers are built: worker_threads in the CLI, electron-vite's ?nodeWorker in main, an
 * in-thread fake in tests), at most `maxInFlightPerWorker` chunks per worker, results matched to
 * requests by seq. A worker that crashes is replaced; the chunks it held are retried once on
 * another worker and, if they crash a worker again, reported as verdict `error` rows. Cancelling
 * a chunk (AbortSignal) drops it from the queue or tells its worker to skip it.
 */
import type { SanitizeResult } from '../../shared/result';
import { errorResult } from '../io/types';
import type { ChunkRow } from './process-chunk';
import { deserializeError, type WorkerInit, type WorkerRequest, type WorkerResponse } from './protocol';

/** The part of a worker the pool uses (node:worker_threads' Worker fits). */
export interface BatchWorkerHandle {
  postMessage(message: WorkerRequest): void;
  on(event: 'message', listener: (message: WorkerResponse) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  terminate(): Promise<number> | void;
}

export type BatchPoolOptions = {
  /** Number of workers (≥ 1). */
  size: number;
  /** Makes one worker. Called again to replace a crashed one. */
  factory: () => BatchWorkerHandle;
  /** Sent to every worker (also replacements) before its first chunk. */
  init: WorkerInit;
  /**
   * Chunks sent to one worker before it answers (default 4: one working, three queued). Output is
   * written in order, so a slow chunk (long jailbreak prompts) holds the ones after it; with 2 the
   * other worker sat idle 4–7% of a 2,000-row CLI run.
   */
  maxInFlightPerWorker?: number;
  /** Worker log lines and notices (replacements), for the host to show or drop. */
  onLog?: (level: 'info' | 'warn' | 'error', message: string) => void;
};

type Job = {
  seq: number;
  rows: ChunkRow[];
  attempts: number;
  resolve: (results: SanitizeResult[]) => void;
  reject: (error: Error) => void;
  slot: Slot | null;
  cleanup: () => void;
};

type Slot = {
  id: number;
  worker: BatchWorkerHandle;
  ready: boolean;
  dead: boolean;
  jobs: Map<number, Job>;
};

/** Replacing workers that die before they are ready: give up after this many in a row. */
const MAX_FAILED_STARTS = 3;

/** Thrown for a chunk whose AbortSignal fired. */
export class BatchCancelledError extends Error {
  constructor() {
    super('batch chunk cancelled');
    this.name = 'AbortError';
  }
}

export class BatchPool {
  private readonly options: BatchPoolOptions;
  private readonly perWorker: number;
  private readonly slots: Slot[] = [];
  private readonly waiting: Job[] = [];
  private seq = 0;
  private nextSlotId = 0;
  private failedStarts = 0;
  private closed = false;
  private fatal: Error | null = null;
  /** Workers started, including replacements (for tests and reports). */
  started = 0;
  /** Reasons the workers' engines reported for degraded operation (first worker's). */
  degraded: string[] = [];

  private constructor(options: BatchPoolOptions) {
    this.options = options;
    this.perWorker = Math.max(1, options.maxInFlightPerWorker ?? 4);
  }

  /**
   * Starts the workers and waits until each has built its engine.
   * @throws the first worker's init error (for example an unreadable database)
   */
  static async start(options: BatchPoolOptions): Promise<BatchPool> {
    const pool = new BatchPool(options);
    const size = Math.max(1, Math.floor(options.size));
    try {
      await Promise.all(Array.from({ length: size }, () => pool.spawn()));
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  /** Total capacity: chunks that can be in flight at once. */
  get capacity(): number {
    return Math.max(1, this.slots.length) * this.perWorker;
  }

  /**
   * Sanitizes one chunk on some worker.
   * @returns one result per row, in order (error rows when the chunk crashed workers twice)
   * @throws BatchCancelledError when `signal` fires before the result arrives
   */
  process(rows: ChunkRow[], signal?: AbortSignal): Promise<SanitizeResult[]> {
    if (this.closed) return Promise.reject(new Error('batch pool is closed'));
    if (this.fatal) return Promise.reject(this.fatal);
    return new Promise<SanitizeResult[]>((resolve, reject) => {
      const job: Job = { seq: ++this.seq, rows, attempts: 0, resolve, reject, slot: null, cleanup: () => {} };
      if (signal) {
        if (signal.aborted) {
          reject(new BatchCancelledError());
          return;
        }
        const onAbort = (): void => this.cancel(job);
        signal.addEventListener('abort', onAbort, { once: true });
        job.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
      this.waiting.push(job);
      this.pump();
    });
  }

  /** Asks every worker to close, then terminates any that do not within `timeoutMs`. */
  async close(timeoutMs = 5000): Promise<void> {
    this.closed = true;
    for (const job of this.waiting.splice(0)) this.settle(job, new Error('batch pool closed'));
    await Promise.all(
      this.slots.map(
        (slot) =>
          new Promise<void>((resolve) => {
            if (slot.dead) return resolve();
            const timer = setTimeout(() => {
              void slot.worker.terminate();
              resolve();
            }, timeoutMs);
            slot.worker.on('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            slot.worker.on('message', (m) => {
              if (m.type === 'closed') {
                clearTimeout(timer);
                void slot.worker.terminate();
                resolve();
              }
            });
            try {
              slot.worker.postMessage({ type: 'close', seq: ++this.seq });
            } catch {
              clearTimeout(timer);
              resolve();
            }
          }),
      ),
    );
    this.slots.length = 0;
  }

  private spawn(): Promise<void> {
    const worker = this.options.factory();
    this.started += 1;
    const slot: Slot = { id: ++this.nextSlotId, worker, ready: false, dead: false, jobs: new Map() };
    this.slots.push(slot);
    const initSeq = ++this.seq;
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (msg) => {
        if (msg.type === 'ready' && msg.seq === initSeq) {
          slot.ready = true;
          this.failedStarts = 0;
          if (this.degraded.length === 0) this.degraded = msg.degraded;
          resolve();
          this.pump();
        } else if (msg.type === 'error' && msg.seq === initSeq) {
          reject(deserializeError(msg.error));
        } else if (msg.type === 'log') {
          this.options.onLog?.(msg.level, msg.message);
        } else if (msg.type === 'result' || msg.type === 'error') {
          this.onAnswer(slot, msg);
        }
      });
      worker.on('error', (error) => this.onDeath(slot, error, reject));
      worker.on('exit', (code) => this.onDeath(slot, new Error(`batch worker exited with code ${code}`), reject));
      worker.postMessage({ type: 'init', seq: initSeq, init: this.options.init });
    });
  }

  private onAnswer(slot: Slot, msg: Extract<WorkerResponse, { type: 'result' | 'error' }>): void {
    const job = slot.jobs.get(msg.seq);
    if (!job) return;
    slot.jobs.delete(msg.seq);
    if (msg.type === 'result') {
      this.settle(job, null, msg.results);
    } else if (msg.error.name === 'AbortError') {
      this.settle(job, new BatchCancelledError());
    } else {
      const why = deserializeError(msg.error).message;
      this.settle(job, null, job.rows.map(() => errorResult(`batch worker failed on this chunk: ${why}`)));
    }
    this.pump();
  }

  private onDeath(slot: Slot, error: Error, rejectInit: (e: Error) => void): void {
    if (slot.dead) return;
    slot.dead = true;
    const index = this.slots.indexOf(slot);
    if (index !== -1) this.slots.splice(index, 1);
    if (this.closed) return;
    if (!slot.ready) {
      this.failedStarts += 1;
      rejectInit(error);
    }
    const orphans = [...slot.jobs.values()];
    slot.jobs.clear();
    for (const job of orphans) {
      job.slot = null;
      if (job.attempts >= 2) {
        this.settle(job, null, job.rows.map(() => errorResult(`a batch worker crashed twice on the chunk holding this row (${error.message})`)));
      } else {
        this.waiting.unshift(job);
      }
    }
    if (this.failedStarts >= MAX_FAILED_STARTS) {
      // Workers die before they are ready: stop replacing them. The survivors (if any) carry on.
      if (this.slots.length === 0) {
        this.fatal = new Error(`batch workers keep failing to start: ${error.message}`);
        for (const job of this.waiting.splice(0)) this.settle(job, this.fatal);
      }
      this.pump();
      return;
    }
    this.options.onLog?.('warn', `batch worker ${slot.id} stopped (${error.message}); starting a replacement`);
    this.spawn().catch(() => undefined);
    this.pump();
  }

  private pump(): void {
    while (this.waiting.length > 0) {
      let best: Slot | null = null;
      for (const s of this.slots) {
        if (!s.ready || s.dead || s.jobs.size >= this.perWorker) continue;
        if (best === null || s.jobs.size < best.jobs.size) best = s;
      }
      if (best === null) return;
      const job = this.waiting.shift() as Job;
      job.attempts += 1;
      job.slot = best;
      best.jobs.set(job.seq, job);
      try {
        best.worker.postMessage({ type: 'chunk', seq: job.seq, rows: job.rows });
      } catch (error) {
        best.jobs.delete(job.seq);
        job.attempts -= 1;
        this.waiting.unshift(job);
        this.onDeath(best, error as Error, () => {});
        return;
      }
    }
  }

  private cancel(job: Job): void {
    const i = this.waiting.indexOf(job);
    if (i !== -1) {
      this.waiting.splice(i, 1);
      this.settle(job, new BatchCancelledError());
      return;
    }
    if (job.slot && !job.slot.dead) job.slot.worker.postMessage({ type: 'cancel', seq: job.seq });
  }

  private settle(job: Job, error: Error | null, results?: SanitizeResult[]): void {
    job.cleanup();
    if (error) job.reject(error);
    else job.resolve(results as SanitizeResult[]);
  }
}
