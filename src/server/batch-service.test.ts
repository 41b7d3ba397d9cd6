/**
 * Batch jobs through the shared handlers and the HTTP upload route, on a real temp database and
 * the real deterministic engine: upload → preview (guessed column) → start → status → summary →
 * flagged rows → export; pause/cancel of unknown jobs are errors as data.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine } from '../core/host';
import type { Engine } from '../core/engine/types';
import { BatchService } from './batch-service';
import { createHandlers, type Handlers } from './handlers';
import { startHttpHost } from './http-host';
import { openSettingsStore } from './settings-store';
import { fakeEngine, fakeHistory } from './test-fakes';

let dir: string;
let engine: Engine;
let batch: BatchService;
let handlers: Handlers;

const CSV = [
  'id,author,body',
  '1,Ana,"Please email ana.garcia@example.com the Q3 numbers"',
  '2,Ben,"What is the capital of Portugal?"',
  '3,Chen,"=SUM(A1:A9) and call +1 415 555 0132"',
  '4,Dee,"Summarise ticket 4411 for release 2.3.1"',
].join('\n');

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dg-batch-'));
  engine = await createEngine({ useModels: false });
  batch = new BatchService({ dataDir: dir, engine });
  handlers = createHandlers({ engine: fakeEngine(), history: fakeHistory(), settings: openSettingsStore(dir), kind: 'http', dataDir: dir, privacyMode: false, batch });
});
afterEach(async () => {
  await batch.close();
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

const ok = <T,>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('batch channels', () => {
  it('runs a job from an uploaded CSV to its export', async () => {
    const file = ok(await handlers['batch:upload']({ name: '../../etc/prompts.csv', content: CSV }));
    expect(file.name).toBe('prompts.csv');
    const preview = ok(await handlers['batch:preview']({ fileId: file.fileId }));
    expect(preview.header).toEqual(['id', 'author', 'body']);
    expect(preview.textColumn).toBe(2);
    expect(preview.rows).toHaveLength(4);

    const job = ok(await handlers['batch:start']({ fileId: file.fileId, textColumn: 2, policy: 'balanced' }));
    await batch.jobs.settled(job.jobId);
    const status = ok(await handlers['batch:status']({ jobId: job.jobId }))!;
    expect(status).toMatchObject({ state: 'done', done: 4, total: 4 });

    const summary = ok(await handlers['batch:summary']({ jobId: job.jobId }));
    expect(summary.byVerdict.cleaned).toBe(2);
    expect(summary.byVerdict.pass).toBe(2);
    const flagged = ok(await handlers['batch:rows']({ jobId: job.jobId, flaggedOnly: true }));
    expect(flagged.rows.map((r) => r.index)).toEqual([0, 2]);
    expect(flagged.rows[0]!.text).toContain('ana.garcia@example.com');
    expect(flagged.rows[0]!.result.cleaned).toMatch(/\[EMAIL_\d+\]/);

    const csv = ok(await handlers['batch:export']({ jobId: job.jobId, format: 'csv' }));
    expect(csv.filename).toBe('prompts-cleaned.csv');
    expect(csv.content.split('\n')[0]).toBe('id,author,body,cleaned,verdict,risk_before,risk_after,semantic,categories,findings,elapsed_ms,error');
    expect(csv.content).toContain(`3,Chen,'=SUM(A1:A9) and call +1 415 555 0132,`);
    const report = ok(await handlers['batch:export']({ jobId: job.jobId, format: 'html' }));
    expect(report.mime).toBe('text/html');
    expect(report.content).toContain('ana.garcia@example.com');
    expect(ok(await handlers['batch:list']({})).map((j) => j.jobId)).toEqual([job.jobId]);
  });

  it('answers unknown files and jobs with errors as data, and refuses a column outside the header', async () => {
    expect(await handlers['batch:preview']({ fileId: 'nope' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await handlers['batch:pause']({ jobId: 'nope' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const file = ok(await handlers['batch:upload']({ name: 'p.csv', content: CSV }));
    expect(await handlers['batch:start']({ fileId: file.fileId, textColumn: 7 })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await handlers['batch:preview']({ fileId: '../etc/passwd' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await handlers['dialog:openFile']({})).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  const built = join(__dirname, '..', '..', 'out', 'main', 'batch-worker.js');
  it.skipIf(!existsSync(built))('runs the engine in a worker thread (the built batch-worker.js) with the same results', async () => {
    const pooled = new BatchService({ dataDir: dir, engine, workers: { script: built, size: 1, useModels: false } });
    try {
      const file = pooled.saveText('w.csv', CSV);
      const job = await pooled.start(file.fileId, 2, 'balanced');
      await pooled.jobs.settled(job.jobId);
      expect(pooled.status(job.jobId)).toMatchObject({ state: 'done', done: 4 });
      expect(pooled.chunkCounts).toEqual({ workers: 1, fallback: 0 });
      const rows = pooled.rows(job.jobId, { limit: 10 }).rows;
      expect(rows.map((r) => r.result.verdict)).toEqual(['cleaned', 'pass', 'cleaned', 'pass']);
      expect(rows[0]!.result.cleaned).toMatch(/^Please email \[EMAIL_\d+\] the Q3 numbers$/);
    } finally {
      await pooled.close();
    }
  });

  it('takes a raw upload over HTTP with the token, and refuses it without', async () => {
    const http = await startHttpHost({ handlers, upload: (name, body) => batch.saveStream(name, body, 1024 * 1024) });
    try {
      const post = (auth: boolean): Promise<{ status: number; body: string }> =>
        new Promise((resolve, reject) => {
          const req = request(
            {
              host: '127.0.0.1',
              port: http.port,
              path: '/api/upload?name=tickets.csv',
              method: 'POST',
              headers: { 'Content-Type': 'application/octet-stream', ...(auth ? { Authorization: `Bearer ${http.token}` } : {}) },
            },
            (res) => {
              const chunks: Buffer[] = [];
              res.on('data', (c: Buffer) => chunks.push(c));
              res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
            },
          );
          req.on('error', reject);
          req.end(CSV);
        });
      expect((await post(false)).status).toBe(401);
      const r = await post(true);
      expect(r.status).toBe(200);
      const { value } = JSON.parse(r.body) as { value: { fileId: string; name: string } };
      expect(value.name).toBe('tickets.csv');
      expect(ok(await handlers['batch:preview']({ fileId: value.fileId })).rows).toHaveLength(4);
    } finally {
      await http.close();
    }
  });
});
