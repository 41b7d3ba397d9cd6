import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../db/__fixtures__/temp-dir';
import { openDatabase, type SqliteDatabase } from '../db';
import { createEngine } from '../host';
import type { Engine } from '../engine/types';
import { openCsv } from '../io/csv';
import { processChunk } from '../batch/process-chunk';
import { JobManager, JobStore, exportJobToString, previewCsv, type ChunkProcessor } from './index';

let dir: string;
let cleanup: () => void;
let engine: Engine;
const dbs: SqliteDatabase[] = [];

const NAMES = ['Maria Lopez', 'Omar Haddad', 'Li Wei', 'Dana Whitfield', 'Jon Berg'];
/** A realistic CSV: an id, a customer, and a prompt that sometimes carries an e-mail or a card. */
function writeCsv(rows: number): string {
  const lines = ['id,customer,prompt'];
  for (let i = 0; i < rows; i++) {
    const who = NAMES[i % NAMES.length]!;
    const prompt =
      i % 3 === 0
        ? `Send the invoice #${1000 + i} to ${who.split(' ')[0]!.toLowerCase()}.${i}@example.org before Friday`
        : i % 7 === 0
          ? `=HYPERLINK("http://evil.example/${i}") summarise order ${i}`
          : `Summarise ticket ${i}: the printer on floor ${i % 9} jams, "again", since v2.${i % 5}`;
    lines.push(`${i + 1},"${who}","${prompt.replace(/"/g, '""')}"`);
  }
  const path = join(dir, `input-${rows}.csv`);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

function openStore(): { db: SqliteDatabase; store: JobStore } {
  const db = openDatabase(join(dir, 'diffguard.db'));
  dbs.push(db);
  return { db, store: new JobStore(db) };
}

beforeEach(async () => {
  ({ dir, cleanup } = makeTempDir());
  engine = await createEngine({ useModels: false });
});
afterEach(async () => {
  for (const db of dbs.splice(0)) if (db.open) db.close();
  await engine.close();
  cleanup();
});

async function startJob(manager: JobManager, path: string) {
  const p = await previewCsv(path);
  return manager.start({ path, name: 'input.csv', header: p.header, textColumn: p.textColumn, delimiter: p.delimiter, policy: 'balanced' });
}

describe('batch jobs', () => {
  it('previews the first rows and guesses the text column as the CLI does', async () => {
    const p = await previewCsv(writeCsv(20), { limit: 3 });
    expect(p.header).toEqual(['id', 'customer', 'prompt']);
    expect(p.textColumn).toBe(2);
    expect(p.rows).toHaveLength(3);
    expect(p.rows[0]![2]).toContain('@example.org');
  });

  it('resumes an interrupted job from its checkpoint: every row exactly once, in order', async () => {
    const path = writeCsv(500);
    const first = openStore();
    let chunks = 0;
    // The "crash": after 3 chunks the processor never answers; the process is then "killed"
    // (the manager dropped and the connection closed without pausing).
    const crashing: ChunkProcessor = (rows, o) => (++chunks > 3 ? new Promise(() => {}) : processChunk(engine, rows, o));
    const m1 = new JobManager({ store: first.store, engine, processor: crashing, chunkSize: 50 });
    const started = await startJob(m1, path);
    await expect.poll(() => first.store.get(started.id)!.checkpoint, { timeout: 5000 }).toBe(149);
    expect(first.store.get(started.id)!.state).toBe('running');
    first.db.close();

    const second = openStore();
    const m2 = new JobManager({ store: second.store, engine, chunkSize: 50 });
    expect(m2.status(started.id)!.state).toBe('paused');
    expect(m2.status(started.id)!.done).toBe(150);
    m2.resume(started.id);
    await m2.settled(started.id);
    const status = m2.status(started.id)!;
    expect(status.state).toBe('done');
    expect(status.done).toBe(500);
    expect(status.total).toBe(500);

    const indexes = (second.db.prepare('SELECT row_index FROM batch_results WHERE job_id = ? ORDER BY row_index').all(started.id) as { row_index: number }[]).map((r) => r.row_index);
    expect(indexes).toEqual(Array.from({ length: 500 }, (_, i) => i));
    const { rows } = second.store.rows(started.id, { limit: 500 });
    rows.forEach((r, i) => expect(r.fields[0]).toBe(String(i + 1)));
    // Rows with an e-mail were redacted, the others passed unchanged.
    expect(rows[3]!.result.verdict).toBe('cleaned');
    expect(rows[3]!.result.cleaned).toMatch(/\[EMAIL_\d+\]/);
    expect(rows[1]!.result.verdict).toBe('pass');
  });

  it('pauses, resumes and cancels; a cancelled job keeps its committed rows', async () => {
    const { store } = openStore();
    const m = new JobManager({ store, engine, chunkSize: 20, chunkDelayMs: 15 });
    const job = await startJob(m, writeCsv(400));
    await expect.poll(() => m.status(job.id)!.done, { timeout: 5000 }).toBeGreaterThan(0);
    const paused = await m.pause(job.id);
    expect(paused.state).toBe('paused');
    expect(paused.done).toBeLessThan(400);
    const atPause = paused.done;
    await new Promise((r) => setTimeout(r, 60));
    expect(m.status(job.id)!.done).toBe(atPause);
    m.resume(job.id);
    await expect.poll(() => m.status(job.id)!.done, { timeout: 5000 }).toBeGreaterThan(atPause);
    const cancelled = await m.cancel(job.id);
    expect(cancelled.state).toBe('cancelled');
    expect(() => m.resume(job.id)).toThrow(/cancelled job cannot be resumed/);
    expect(store.rows(job.id, { limit: 1000 }).total).toBe(cancelled.done);
  });

  it('summarises verdicts, categories, risk and finding kinds, and lists flagged rows', async () => {
    const { store } = openStore();
    const m = new JobManager({ store, engine });
    const job = await startJob(m, writeCsv(60));
    await m.settled(job.id);
    const s = store.summary(job.id);
    expect(s.rows).toBe(60);
    expect(s.byVerdict.cleaned).toBeGreaterThanOrEqual(20);
    expect(s.byVerdict.pass + s.byVerdict.cleaned + s.byVerdict.blocked + s.byVerdict.error).toBe(60);
    expect(s.byCategory.find((c) => c.category === 'pii')!.count).toBeGreaterThanOrEqual(20);
    expect(s.topKinds[0]!.kind).toBe('email');
    expect(s.riskHistogram.reduce((a, b) => a + b, 0)).toBe(60);
    const flagged = store.rows(job.id, { flaggedOnly: true, limit: 100 });
    expect(flagged.total).toBe(60 - s.byVerdict.pass);
    expect(flagged.rows.every((r) => r.result.verdict !== 'pass')).toBe(true);
  });

  it('exports CSV with input and result columns, formula cells protected unless turned off, optional BOM', async () => {
    const { store } = openStore();
    const m = new JobManager({ store, engine });
    const job = await startJob(m, writeCsv(30));
    await m.settled(job.id);
    const record = store.get(job.id)!;
    const csv = exportJobToString(store, record, { format: 'csv', bom: true });
    expect(csv.startsWith('\uFEFFid,customer,prompt,cleaned,verdict')).toBe(true);
    const src = await openCsv([Buffer.from(csv.slice(1))]);
    const rows = [];
    for await (const b of src.rows) rows.push(...b);
    expect(rows).toHaveLength(30);
    const formula = rows.find((r) => r.fields![0] === '15')!; // i = 14 → multiple of 7
    expect(formula.fields![2]!.startsWith(`'=HYPERLINK`)).toBe(true);
    const raw = exportJobToString(store, record, { format: 'csv', protect: false });
    expect(raw).toContain('"=HYPERLINK(""http://evil.example/14"")');
    const jsonl = exportJobToString(store, record, { format: 'jsonl' }).trim().split('\n').map((l) => JSON.parse(l) as { id: number; verdict: string });
    expect(jsonl.map((r) => r.id)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const html = exportJobToString(store, record, { format: 'html' });
    expect(html).toContain('[EMAIL_');
    expect(html).not.toContain('<script');
  });
});
