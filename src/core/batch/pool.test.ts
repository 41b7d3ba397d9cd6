import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchPool, BatchCancelledError, type BatchWorkerHandle } from './pool';

const FIXTURE = resolve(__dirname, '__fixtures__/echo-worker.mjs');
const fixtureFactory = (workerData: unknown = {}) => () => new Worker(FIXTURE, { workerData }) as unknown as BatchWorkerHandle;

let pool: BatchPool | null = null;
afterEach(async () => {
  await pool?.close();
  pool = null;
});

describe('BatchPool (real worker threads)', () => {
  it('processes chunks on several workers and matches results to requests', async () => {
    pool = await BatchPool.start({ size: 3, factory: fixtureFactory(), init: { dataDir: '/unused' } });
    expect(pool.capacity).toBe(12);
    const chunks = Array.from({ length: 30 }, (_, i) => [{ text: `SLOW:${(i * 7) % 11}:row ${i} a` }, { text: `row ${i} b` }]);
    const results = await Promise.all(chunks.map((c) => pool!.process(c)));
    results.forEach((r, i) => {
      expect(r.map((x) => x.cleaned)).toEqual([`ROW ${i} A`, `ROW ${i} B`]);
    });
  });

  it('replaces a crashed worker and retries its chunk once', async () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'dg-pool-')), 'crashed');
    const logs: string[] = [];
    pool = await BatchPool.start({ size: 2, factory: fixtureFactory(), init: { dataDir: '/unused' }, onLog: (_l, m) => logs.push(m) });
    const [a, b, c] = await Promise.all([
      pool.process([{ text: 'before' }]),
      pool.process([{ text: 'first try crashes' }, { text: `CRASH-ONCE:${marker}` }]),
      pool.process([{ text: 'after' }]),
    ]);
    expect(existsSync(marker)).toBe(true);
    expect(a[0].cleaned).toBe('BEFORE');
    expect(b.map((r) => r.verdict)).toEqual(['cleaned', 'cleaned']);
    expect(b[0].cleaned).toBe('FIRST TRY CRASHES');
    expect(c[0].cleaned).toBe('AFTER');
    expect(pool.started).toBe(3);
    expect(logs.join('\n')).toMatch(/stopped \(batch worker exited with code 1\); starting a replacement/);
  });

  it('reports a chunk that crashes workers twice as error rows and keeps going', async () => {
    pool = await BatchPool.start({ size: 2, factory: fixtureFactory(), init: { dataDir: '/unused' } });
    const bad = await pool.process([{ text: 'innocent neighbour' }, { text: 'CRASH-ALWAYS' }]);
    expect(bad.map((r) => r.verdict)).toEqual(['error', 'error']);
    expect(bad[0].error).toMatch(/crashed twice/);
    const good = await pool.process([{ text: 'still working' }]);
    expect(good[0].cleaned).toBe('STILL WORKING');
  });

  it('fails to start with the worker’s init error', async () => {
    await expect(BatchPool.start({ size: 2, factory: fixtureFactory({ failInit: true }), init: { dataDir: '/unused' } })).rejects.toThrow(
      /cannot open database: disk I\/O error/,
    );
  });

  it('cancels a queued chunk', async () => {
    pool = await BatchPool.start({ size: 1, factory: fixtureFactory(), init: { dataDir: '/unused' }, maxInFlightPerWorker: 1 });
    const controller = new AbortController();
    const busy = pool.process([{ text: 'SLOW:100:busy' }]);
    const queued = pool.process([{ text: 'never needed' }], controller.signal);
    controller.abort();
    await expect(queued).rejects.toBeInstanceOf(BatchCancelledError);
    expect((await busy)[0].cleaned).toBe('BUSY');
  });
});

// The real worker entry, as built by `npm run build` (electron-vite → out/main/batch-worker.js).
const builtWorker = process.env.DIFFGUARD_BATCH_WORKER ?? resolve(__dirname, '../../../out/main/batch-worker.js');
describe.skipIf(!existsSync(builtWorker))('BatchPool with the built batch worker', () => {
  it('sanitizes with one real engine per worker', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dg-pool-home-'));
    pool = await BatchPool.start({
      size: 2,
      factory: () => new Worker(builtWorker) as unknown as BatchWorkerHandle,
      init: { dataDir, useModels: false },
    });
    const [a, b] = await Promise.all([
      pool.process([{ text: 'Contact me at lena.fischer@example.de' }, { text: 'How do I kill a zombie process on Linux?' }]),
      pool.process([{ text: null, error: 'line 3 is not valid JSON' }, { text: 'AWS key AKIAIOSFODNN7EXAMPLE in the config' }]),
    ]);
    expect(a[0].cleaned).toContain('[EMAIL_1]');
    expect(a[1].verdict).toBe('pass');
    expect(b[0].verdict).toBe('error');
    expect(b[1].cleaned).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });
});
