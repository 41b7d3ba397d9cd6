/**
 * @file SQLite persistence of batch jobs (tables from migration 0003): the job rows with their
 * state and checkpoint, the per-row results, and the read-side queries (summary, flagged rows,
 * ordered iteration for export). Writes of one chunk's results and the checkpoint happen in one
 * transaction, which is what makes a resumed job see every row exactly once.
 */
import type { SqliteDatabase } from '../db';
import type { SanitizeResult, Verdict } from '../../shared/result';
import type { InputRow } from '../io/types';

/** Life cycle of a job. `running` jobs found at start-up were interrupted and are reopened as `paused`. */
export type JobState = 'running' | 'paused' | 'cancelled' | 'done' | 'failed';

/** A job as stored. */
export type JobRecord = {
  id: string;
  createdAt: number;
  updatedAt: number;
  name: string;
  sourcePath: string;
  header: string[];
  textColumn: number;
  delimiter: string;
  policy: string | null;
  state: JobState;
  /** Index of the last committed row (-1 before the first chunk). */
  checkpoint: number;
  /** Number of data rows, null until counted. */
  total: number | null;
  error: string | null;
};

/** One stored result row. */
export type JobResultRow = {
  index: number;
  line: number;
  fields: string[];
  result: SanitizeResult;
};

/** Aggregates shown when a job is done (or at any time, over the rows done so far). */
export type JobSummary = {
  rows: number;
  byVerdict: Record<Verdict, number>;
  byCategory: { category: string; count: number }[];
  /** Ten bins of risk_before: bins[i] counts rows with risk in [i/10, (i+1)/10) (the last bin includes 1). */
  riskHistogram: number[];
  topKinds: { kind: string; count: number }[];
};

type JobRow = {
  id: string;
  created_at: number;
  updated_at: number;
  name: string;
  source_path: string;
  header: string;
  text_column: number;
  delimiter: string;
  policy: string | null;
  state: JobState;
  checkpoint: number;
  total: number | null;
  error: string | null;
};

const toRecord = (r: JobRow): JobRecord => ({
  id: r.id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  name: r.name,
  sourcePath: r.source_path,
  header: JSON.parse(r.header) as string[],
  textColumn: r.text_column,
  delimiter: r.delimiter,
  policy: r.policy,
  state: r.state,
  checkpoint: r.checkpoint,
  total: r.total,
  error: r.error,
});

/** JSON for the results table: NaN scores (error rows) become null, as the CLI writes them. */
const resultJson = (r: SanitizeResult): string =>
  JSON.stringify(r, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));

const parseResult = (s: string): SanitizeResult => {
  const r = JSON.parse(s) as SanitizeResult & Record<string, unknown>;
  for (const k of ['risk_before', 'risk_after', 'semantic'] as const) if (r[k] === null) r[k] = Number.NaN;
  return r;
};

/** The job tables behind a connection opened with the app's migrations. */
export class JobStore {
  constructor(private readonly db: SqliteDatabase) {}

  /** Inserts a new job in state `running`. */
  create(job: Omit<JobRecord, 'createdAt' | 'updatedAt' | 'checkpoint' | 'total' | 'error' | 'state'>): JobRecord {
    const now = Date.now();
    this.db
      .prepare(
        `INSERT INTO batch_jobs (id, created_at, updated_at, name, source_path, header, text_column, delimiter, policy, state)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'running')`,
      )
      .run(job.id, now, now, job.name, job.sourcePath, JSON.stringify(job.header), job.textColumn, job.delimiter, job.policy);
    return this.get(job.id)!;
  }

  get(id: string): JobRecord | null {
    const row = this.db.prepare('SELECT * FROM batch_jobs WHERE id = ?').get(id) as JobRow | undefined;
    return row ? toRecord(row) : null;
  }

  /** Newest first. */
  list(limit = 50): JobRecord[] {
    return (this.db.prepare('SELECT * FROM batch_jobs ORDER BY created_at DESC, id LIMIT ?').all(limit) as JobRow[]).map(toRecord);
  }

  setState(id: string, state: JobState, error: string | null = null): void {
    this.db.prepare('UPDATE batch_jobs SET state = ?, error = ?, updated_at = ? WHERE id = ?').run(state, error, Date.now(), id);
  }

  setTotal(id: string, total: number): void {
    this.db.prepare('UPDATE batch_jobs SET total = ?, updated_at = ? WHERE id = ?').run(total, Date.now(), id);
  }

  /** Jobs left `running` by a crash or quit become `paused` (resumable). Returns how many. */
  markInterrupted(): number {
    return this.db.prepare("UPDATE batch_jobs SET state = 'paused', updated_at = ? WHERE state = 'running'").run(Date.now()).changes;
  }

  /**
   * Stores one chunk's results and moves the checkpoint to its last row, atomically. Rows at or
   * before the checkpoint are refused (a bug upstream, never silently duplicated).
   */
  commitChunk(id: string, rows: readonly InputRow[], results: readonly SanitizeResult[]): number {
    const insert = this.db.prepare(
      'INSERT INTO batch_results (job_id, row_index, line, fields, verdict, risk_before, result) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const tx = this.db.transaction(() => {
      const cur = this.db.prepare('SELECT checkpoint FROM batch_jobs WHERE id = ?').get(id) as { checkpoint: number } | undefined;
      if (!cur) throw new Error(`batch job ${id} does not exist`);
      let last = cur.checkpoint;
      rows.forEach((row, i) => {
        if (row.index !== last + 1) throw new Error(`batch job ${id}: row ${row.index} does not follow checkpoint ${last}`);
        const r = results[i]!;
        insert.run(id, row.index, row.line, JSON.stringify(row.fields ?? [row.text ?? '']), r.verdict, Number.isFinite(r.risk_before) ? r.risk_before : null, resultJson(r));
        last = row.index;
      });
      this.db.prepare('UPDATE batch_jobs SET checkpoint = ?, updated_at = ? WHERE id = ?').run(last, Date.now(), id);
      return last;
    });
    return tx();
  }

  /** Committed rows in input order, paged; `flaggedOnly` keeps rows whose verdict is not `pass`. */
  rows(id: string, options: { flaggedOnly?: boolean; limit?: number; offset?: number } = {}): { rows: JobResultRow[]; total: number } {
    const where = options.flaggedOnly ? "job_id = ? AND verdict <> 'pass'" : 'job_id = ?';
    const total = (this.db.prepare(`SELECT count(*) AS n FROM batch_results WHERE ${where}`).get(id) as { n: number }).n;
    const rows = this.db
      .prepare(`SELECT row_index, line, fields, result FROM batch_results WHERE ${where} ORDER BY row_index LIMIT ? OFFSET ?`)
      .all(id, options.limit ?? 50, options.offset ?? 0) as { row_index: number; line: number; fields: string; result: string }[];
    return {
      total,
      rows: rows.map((r) => ({ index: r.row_index, line: r.line, fields: JSON.parse(r.fields) as string[], result: parseResult(r.result) })),
    };
  }

  /** Every committed row in input order, read in pages (constant memory). */
  *iterate(id: string, pageSize = 500): Generator<JobResultRow> {
    let after = -1;
    const stmt = this.db.prepare('SELECT row_index, line, fields, result FROM batch_results WHERE job_id = ? AND row_index > ? ORDER BY row_index LIMIT ?');
    for (;;) {
      const page = stmt.all(id, after, pageSize) as { row_index: number; line: number; fields: string; result: string }[];
      if (page.length === 0) return;
      for (const r of page) yield { index: r.row_index, line: r.line, fields: JSON.parse(r.fields) as string[], result: parseResult(r.result) };
      after = page[page.length - 1]!.row_index;
    }
  }

  /** Counts by verdict and category, the risk histogram and the most common finding kinds. */
  summary(id: string): JobSummary {
    const byVerdict: Record<Verdict, number> = { pass: 0, cleaned: 0, blocked: 0, error: 0 };
    for (const r of this.db.prepare('SELECT verdict, count(*) AS n FROM batch_results WHERE job_id = ? GROUP BY verdict').all(id) as { verdict: Verdict; n: number }[]) {
      byVerdict[r.verdict] = r.n;
    }
    const byCategory = this.db
      .prepare(
        `SELECT c.value AS category, count(*) AS count FROM batch_results r, json_each(json_extract(r.result, '$.categories')) c
         WHERE r.job_id = ? GROUP BY c.value ORDER BY count DESC, category`,
      )
      .all(id) as { category: string; count: number }[];
    const riskHistogram = new Array<number>(10).fill(0);
    for (const r of this.db
      .prepare('SELECT min(CAST(risk_before * 10 AS INTEGER), 9) AS bin, count(*) AS n FROM batch_results WHERE job_id = ? AND risk_before IS NOT NULL GROUP BY bin')
      .all(id) as { bin: number; n: number }[]) {
      riskHistogram[r.bin] = r.n;
    }
    const topKinds = this.db
      .prepare(
        `SELECT json_extract(f.value, '$.kind') AS kind, count(*) AS count FROM batch_results r, json_each(json_extract(r.result, '$.findings')) f
         WHERE r.job_id = ? GROUP BY kind ORDER BY count DESC, kind LIMIT 10`,
      )
      .all(id) as { kind: string; count: number }[];
    const rows = Object.values(byVerdict).reduce((a, b) => a + b, 0);
    return { rows, byVerdict, byCategory, riskHistogram, topKinds };
  }

  /** Deletes a job and its results. */
  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM batch_jobs WHERE id = ?').run(id).changes > 0;
  }
}
