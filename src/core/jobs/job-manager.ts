/**
 * @file Batch jobs for the desktop app: a CSV file is read as a stream (src/core/io), sanitized in
 * chunks through the ordered pipeline (src/core/batch) and each chunk's results are committed
 * together with the job's checkpoint (JobStore). Pause and cancel stop reading; chunks already
 * started are still committed. A job found `running` when the manager opens was interrupted
 * (crash or quit) and is reopened as `paused`; resuming skips every row up to the checkpoint.
 */
import { createReadStream } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { SanitizeResult } from '../../shared/result';
import { runPipeline } from '../batch/pipeline';
import { processChunk, type ChunkRow } from '../batch/process-chunk';
import type { Engine, SanitizeOptions } from '../engine/types';
import { openCsv } from '../io/csv';
import type { InputRow } from '../io/types';
import type { JobStore, JobRecord, JobState } from './job-store';

/** Sanitizes one chunk (in process by default; a host may pass a worker pool's `run`). */
export type ChunkProcessor = (rows: ChunkRow[], options: SanitizeOptions) => Promise<SanitizeResult[]>;

export type JobManagerOptions = {
  store: JobStore;
  engine: Pick<Engine, 'sanitizeMany'>;
  processor?: ChunkProcessor;
  /** Rows per chunk (and per transaction). Default 64. */
  chunkSize?: number;
  /** Called after every committed chunk and on every state change (hosts throttle it). */
  onProgress?: (status: JobStatus) => void;
  /** Artificial pause after each chunk, for end-to-end tests that must catch a job mid-way. Default 0. */
  chunkDelayMs?: number;
};

/** A job as the UI sees it. */
export type JobStatus = {
  id: string;
  name: string;
  state: JobState;
  done: number;
  total: number | null;
  rowsPerSecond: number;
  /** Estimated seconds left; null when unknown. */
  secondsLeft: number | null;
  header: string[];
  textColumn: number;
  policy: string | null;
  createdAt: string;
  error: string | null;
};

/** The first rows of a CSV and the column the CLI's logic would pick. */
export type CsvPreview = {
  header: string[];
  delimiter: string;
  textColumn: number;
  rows: string[][];
  notes: string[];
};

type Active = { abort: AbortController; done: Promise<void>; startedAt: number; doneAtStart: number; rowsPerSecond: number; stopAs: JobState };

/** Reads the header and first `limit` rows of a CSV file, guessing the text column as the CLI does. */
export async function previewCsv(path: string, options: { what?: string; limit?: number } = {}): Promise<CsvPreview> {
  const stream = createReadStream(path);
  try {
    const src = await openCsv(stream, { what: options.what ?? 'the file' });
    const rows: string[][] = [];
    const limit = options.limit ?? 5;
    for await (const batch of src.rows) {
      for (const r of batch) {
        if (rows.length >= limit) break;
        rows.push([...(r.fields ?? [])]);
      }
      if (rows.length >= limit) break;
    }
    return { header: src.header, delimiter: src.delimiter, textColumn: src.textColumn, rows, notes: src.notes };
  } finally {
    stream.destroy();
  }
}

/** Counts the data records of a CSV (the same parser as the job, so the numbers agree). */
export async function countCsvRows(path: string): Promise<number> {
  const stream = createReadStream(path);
  try {
    const src = await openCsv(stream);
    let n = 0;
    for await (const batch of src.rows) n += batch.length;
    return n;
  } finally {
    stream.destroy();
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs, pauses, resumes and cancels jobs; one manager per database. */
export class JobManager {
  private readonly active = new Map<string, Active>();
  private readonly store: JobStore;
  private readonly processor: ChunkProcessor;
  private readonly chunkSize: number;

  constructor(private readonly options: JobManagerOptions) {
    this.store = options.store;
    this.processor = options.processor ?? ((rows, o) => processChunk(options.engine, rows, o));
    this.chunkSize = Math.max(1, options.chunkSize ?? 64);
    this.store.markInterrupted();
  }

  /** Starts a new job over `path`; `textColumn` indexes the header. */
  start(input: { path: string; name: string; header: string[]; textColumn: number; delimiter: string; policy?: string | null }): JobStatus {
    if (input.textColumn < 0 || input.textColumn >= input.header.length) throw new Error(`column ${input.textColumn} is not in the header`);
    const job = this.store.create({
      id: randomUUID(),
      name: input.name,
      sourcePath: input.path,
      header: input.header,
      textColumn: input.textColumn,
      delimiter: input.delimiter,
      policy: input.policy ?? null,
    });
    void countCsvRows(input.path)
      .then((n) => {
        this.store.setTotal(job.id, n);
        this.emit(job.id);
      })
      .catch(() => undefined);
    this.launch(job);
    return this.status(job.id)!;
  }

  /** Continues a paused (or interrupted) job from its checkpoint. */
  resume(id: string): JobStatus {
    const job = this.mustGet(id);
    if (this.active.has(id)) return this.status(id)!;
    if (job.state !== 'paused' && job.state !== 'failed') throw new Error(`a ${job.state} job cannot be resumed`);
    this.store.setState(id, 'running');
    this.launch(this.mustGet(id));
    return this.status(id)!;
  }

  /** Stops reading; chunks already started are committed. Resolves once the job has stopped. */
  async pause(id: string): Promise<JobStatus> {
    return this.stop(id, 'paused');
  }

  /** Stops the job for good (its committed rows stay readable and exportable). */
  async cancel(id: string): Promise<JobStatus> {
    return this.stop(id, 'cancelled');
  }

  private async stop(id: string, as: 'paused' | 'cancelled'): Promise<JobStatus> {
    const job = this.mustGet(id);
    const run = this.active.get(id);
    if (run) {
      run.stopAs = as;
      run.abort.abort();
      await run.done;
    } else if (job.state === 'paused' || job.state === 'running' || job.state === 'failed') {
      if (as === 'cancelled') this.store.setState(id, 'cancelled');
    } else {
      throw new Error(`a ${job.state} job cannot be ${as}`);
    }
    this.emit(id);
    return this.status(id)!;
  }

  /** Resolves when the job's current run ends (immediately when it is not running). */
  async settled(id: string): Promise<void> {
    await this.active.get(id)?.done;
  }

  status(id: string): JobStatus | null {
    const job = this.store.get(id);
    if (!job) return null;
    const run = this.active.get(id);
    const done = job.checkpoint + 1;
    const rps = run ? run.rowsPerSecond : 0;
    const secondsLeft = job.total !== null && rps > 0 ? Math.max(0, (job.total - done) / rps) : null;
    return {
      id: job.id,
      name: job.name,
      state: job.state,
      done,
      total: job.total,
      rowsPerSecond: rps,
      secondsLeft: job.state === 'running' ? secondsLeft : null,
      header: job.header,
      textColumn: job.textColumn,
      policy: job.policy,
      createdAt: new Date(job.createdAt).toISOString(),
      error: job.error,
    };
  }

  list(limit = 20): JobStatus[] {
    return this.store.list(limit).map((j) => this.status(j.id)!);
  }

  /** Stops every running job (as `paused`, so they resume next time) and waits for them. */
  async close(): Promise<void> {
    await Promise.all([...this.active.keys()].map((id) => this.pause(id).catch(() => undefined)));
  }

  private mustGet(id: string): JobRecord {
    const job = this.store.get(id);
    if (!job) throw Object.assign(new Error(`No batch job ${id}`), { code: 'not_found' });
    return job;
  }

  private emit(id: string): void {
    const s = this.status(id);
    if (s) this.options.onProgress?.(s);
  }

  private launch(job: JobRecord): void {
    const abort = new AbortController();
    const run: Active = { abort, done: Promise.resolve(), startedAt: Date.now(), doneAtStart: job.checkpoint + 1, rowsPerSecond: 0, stopAs: 'paused' };
    this.active.set(job.id, run);
    run.done = this.execute(job, run)
      .then(
        () => this.store.setState(job.id, abort.signal.aborted ? run.stopAs : 'done'),
        (err: unknown) => this.store.setState(job.id, abort.signal.aborted ? run.stopAs : 'failed', err instanceof Error ? err.message : String(err)),
      )
      .finally(() => {
        this.active.delete(job.id);
        this.emit(job.id);
      });
  }

  private async execute(job: JobRecord, run: Active): Promise<void> {
    const stream = createReadStream(job.sourcePath);
    const signal = run.abort.signal;
    try {
      const src = await openCsv(stream, { what: job.name, column: job.header[job.textColumn] });
      const checkpoint = job.checkpoint;
      const chunkSize = this.chunkSize;
      async function* pending(): AsyncGenerator<InputRow[]> {
        for await (const batch of src.rows) {
          const todo = batch.filter((r) => r.index > checkpoint);
          for (let i = 0; i < todo.length; i += chunkSize) {
            if (signal.aborted) return;
            yield todo.slice(i, i + chunkSize);
          }
          if (signal.aborted) return;
        }
      }
      const sanitizeOptions: SanitizeOptions = { source: 'batch', batchJobId: job.id, record: false };
      if (job.policy === 'strict' || job.policy === 'balanced' || job.policy === 'permissive') sanitizeOptions.policy = job.policy;
      await runPipeline<InputRow, SanitizeResult>({
        source: pending(),
        chunkSize,
        maxInFlight: 2,
        signal,
        process: async (chunk) => {
          const out = await this.processor(chunk.map((r) => ({ text: r.text, error: r.error })), sanitizeOptions);
          if (this.options.chunkDelayMs) await sleep(this.options.chunkDelayMs);
          return out;
        },
        emit: async (chunk, results) => {
          this.store.commitChunk(job.id, chunk, results);
          const done = chunk[chunk.length - 1]!.index + 1;
          const secs = (Date.now() - run.startedAt) / 1000;
          run.rowsPerSecond = secs > 0 ? (done - run.doneAtStart) / secs : 0;
          this.emit(job.id);
        },
      });
      if (!signal.aborted && this.store.get(job.id)?.total === null) this.store.setTotal(job.id, this.store.get(job.id)!.checkpoint + 1);
    } finally {
      stream.destroy();
    }
  }
}
