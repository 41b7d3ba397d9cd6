/**
 * @file The host side of batch jobs for both hosts: the files the renderer may use (uploads saved
 * under `<dataDir>/uploads`, or paths picked in Electron's native dialog) keyed by opaque ids, so a
 * renderer never names a path itself; and the job manager (src/core/jobs) on its own connection
 * to the app database. Progress is pushed to `onProgress`; hosts throttle it.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { openDatabase, type SqliteDatabase } from '../core/db';
import type { Engine } from '../core/engine/types';
import { JobManager, JobStore, exportJobToString, previewCsv, type ChunkProcessor, type JobStatus } from '../core/jobs';
import { BatchPool, processChunk, type BatchWorkerHandle } from '../core/batch';
import type { PolicyName } from '../shared/result';
import type { BatchJob, BatchPreview, BatchRow, BatchSummary, InvokeOutput } from '../shared/ipc';
import { AppFailure } from './handlers';

export type BatchServiceOptions = {
  dataDir: string;
  engine: Pick<Engine, 'sanitizeMany'>;
  onProgress?: (job: BatchJob) => void;
  chunkSize?: number;
  chunkDelayMs?: number;
  /**
   * Run the engine in worker threads (the built `batch-worker.js`), so a job never blocks the
   * host's event loop. Omitted or without a built worker: in this thread.
   */
  /** semantic: load the semantic harm head in the workers (as the host's engine does; default true). */
  workers?: { script: string; size: number; useModels?: boolean; modelsDir?: string; semantic?: boolean };
};

/** The worker script next to the built host (out/main/batch-worker.js), or null when not built. */
export function builtWorkerScript(dir: string = __dirname): string | null {
  const path = join(dir, 'batch-worker.js');
  return existsSync(path) ? path : null;
}

/** Workers for batch jobs: one fewer than the cores (at least 1, at most 4). */
export function defaultWorkerCount(cores: number = availableParallelism()): number {
  return Math.max(1, Math.min(4, cores - 1));
}

/** Converts the manager's status to the contract's shape. */
export function toBatchJob(s: JobStatus): BatchJob {
  return {
    jobId: s.id,
    name: s.name,
    state: s.state,
    done: s.done,
    total: s.total,
    rowsPerSecond: s.rowsPerSecond,
    secondsLeft: s.secondsLeft,
    header: s.header,
    textColumn: s.textColumn,
    policy: s.policy,
    createdAt: s.createdAt,
    error: s.error,
  };
}

const safeName = (name: string): string => basename(name).replace(/[^\w.\- ]+/g, '_').slice(0, 120) || 'upload.csv';
const nan = (n: number): number | null => (Number.isFinite(n) ? n : null);

/** Files, jobs and exports of one host. */
export class BatchService {
  private readonly files = new Map<string, { path: string; name: string }>();
  private readonly db: SqliteDatabase;
  private readonly store: JobStore;
  readonly jobs: JobManager;
  private readonly uploadDir: string;

  constructor(options: BatchServiceOptions) {
    this.uploadDir = join(options.dataDir, 'uploads');
    this.db = openDatabase(join(options.dataDir, 'diffguard.db'));
    this.store = new JobStore(this.db);
    this.jobs = new JobManager({
      store: this.store,
      engine: options.engine,
      processor: options.workers ? this.poolProcessor(options.dataDir, options.workers, options.engine) : undefined,
      chunkSize: options.chunkSize,
      chunkDelayMs: options.chunkDelayMs,
      onProgress: (s) => options.onProgress?.(toBatchJob(s)),
    });
  }

  private readonly pools = new Map<string, Promise<BatchPool>>();
  /** Chunks processed by worker threads, and by this thread after a pool failed (for tests and diagnostics). */
  readonly chunkCounts = { workers: 0, fallback: 0 };

  /**
   * A processor that sends chunks to a worker pool per policy (workers build their engine with
   * the policy at start-up). If the pool cannot start, the job runs in this thread instead.
   */
  private poolProcessor(dataDir: string, w: NonNullable<BatchServiceOptions['workers']>, engine: Pick<Engine, 'sanitizeMany'>): ChunkProcessor {
    return async (rows, opts) => {
      const policy = (typeof opts.policy === 'string' ? opts.policy : 'balanced') as PolicyName;
      let pool = this.pools.get(policy);
      if (!pool) {
        pool = BatchPool.start({
          size: w.size,
          factory: () => new Worker(w.script) as unknown as BatchWorkerHandle,
          init: { dataDir, policy, useModels: w.useModels, modelsDir: w.modelsDir, semantic: w.semantic ?? true, threads: 1 },
        });
        pool.catch(() => this.pools.delete(policy));
        this.pools.set(policy, pool);
      }
      try {
        const out = await (await pool).process(rows);
        this.chunkCounts.workers++;
        return out;
      } catch {
        this.chunkCounts.fallback++;
        return processChunk(engine, rows, opts);
      }
    };
  }

  /** Registers a file on disk (e.g. from the native dialog) and returns its id. */
  registerPath(path: string, name = basename(path)): { fileId: string; name: string } {
    const fileId = randomBytes(12).toString('base64url');
    this.files.set(fileId, { path, name });
    return { fileId, name };
  }

  /** Saves uploaded text as a file under the data folder. */
  saveText(name: string, content: string): { fileId: string; name: string } {
    mkdirSync(this.uploadDir, { recursive: true });
    const path = join(this.uploadDir, `${Date.now()}-${randomBytes(4).toString('hex')}-${safeName(name)}`);
    writeFileSync(path, content, { mode: 0o600 });
    return this.registerPath(path, safeName(name));
  }

  /** Streams an upload body to a file under the data folder (HTTP host), capped at `limit` bytes. */
  async saveStream(name: string, body: Readable, limit: number): Promise<{ fileId: string; name: string }> {
    mkdirSync(this.uploadDir, { recursive: true });
    const path = join(this.uploadDir, `${Date.now()}-${randomBytes(4).toString('hex')}-${safeName(name)}`);
    let size = 0;
    body.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) body.destroy(new AppFailure('too_large', `Upload over ${Math.round(limit / 1024 / 1024)} MB.`));
    });
    await pipeline(body, createWriteStream(path, { mode: 0o600 }));
    return this.registerPath(path, safeName(name));
  }

  private file(fileId: string): { path: string; name: string } {
    const f = this.files.get(fileId);
    if (!f) throw new AppFailure('not_found', 'That file is no longer available; open it again.');
    return f;
  }

  async preview(fileId: string): Promise<BatchPreview> {
    const f = this.file(fileId);
    const p = await previewCsv(f.path, { what: f.name, limit: 5 });
    return { fileId, name: f.name, ...p };
  }

  async start(fileId: string, textColumn: number, policy: string | undefined): Promise<BatchJob> {
    const f = this.file(fileId);
    const p = await previewCsv(f.path, { what: f.name, limit: 0 });
    if (textColumn >= p.header.length) throw new AppFailure('invalid_input', `The file has ${p.header.length} columns; column ${textColumn + 1} does not exist.`);
    return toBatchJob(this.jobs.start({ path: f.path, name: f.name, header: p.header, textColumn, delimiter: p.delimiter, policy: policy ?? null }));
  }

  status(jobId: string): BatchJob | null {
    const s = this.jobs.status(jobId);
    return s ? toBatchJob(s) : null;
  }

  private must(jobId: string): BatchJob {
    const s = this.status(jobId);
    if (!s) throw new AppFailure('not_found', `No batch job ${jobId}.`);
    return s;
  }

  list(): BatchJob[] {
    return this.jobs.list().map(toBatchJob);
  }

  async pause(jobId: string): Promise<BatchJob> {
    this.must(jobId);
    return toBatchJob(await this.jobs.pause(jobId));
  }

  resume(jobId: string): BatchJob {
    this.must(jobId);
    try {
      return toBatchJob(this.jobs.resume(jobId));
    } catch (err) {
      throw new AppFailure('invalid_state', (err as Error).message);
    }
  }

  async cancel(jobId: string): Promise<BatchJob> {
    this.must(jobId);
    return toBatchJob(await this.jobs.cancel(jobId));
  }

  summary(jobId: string): BatchSummary {
    this.must(jobId);
    return this.store.summary(jobId);
  }

  rows(jobId: string, opts: { flaggedOnly?: boolean; limit?: number; offset?: number }): { rows: BatchRow[]; total: number } {
    const job = this.must(jobId);
    const page = this.store.rows(jobId, opts);
    return {
      total: page.total,
      rows: page.rows.map((r) => ({
        index: r.index,
        line: r.line,
        text: r.fields[job.textColumn] ?? '',
        result: { ...r.result, risk_before: nan(r.result.risk_before), risk_after: nan(r.result.risk_after), semantic: nan(r.result.semantic) },
      })),
    };
  }

  export(jobId: string, format: 'csv' | 'jsonl' | 'html', protect?: boolean, bom?: boolean): InvokeOutput<'batch:export'> {
    const record = this.store.get(jobId);
    if (!record) throw new AppFailure('not_found', `No batch job ${jobId}.`);
    const base = record.name.replace(/\.[^.]+$/, '') || 'batch';
    const content = exportJobToString(this.store, record, { format, protect, bom });
    const mime = format === 'csv' ? 'text/csv' : format === 'jsonl' ? 'application/x-ndjson' : 'text/html';
    const suffix = format === 'html' ? '-review.html' : `-cleaned.${format}`;
    return { filename: `${base}${suffix}`, mime, content };
  }

  /**
   * Forgets every placeholder → value mapping: the same statement as the SQLite vault's `clear()`
   * (which keeps no cache), run on this service's connection to the same database.
   */
  clearVault(): number {
    return this.db.prepare('DELETE FROM vault_entries').run().changes;
  }

  async close(): Promise<void> {
    await this.jobs.close();
    await Promise.all([...this.pools.values()].map((p) => p.then((pool) => pool.close()).catch(() => undefined)));
    this.db.close();
  }
}
