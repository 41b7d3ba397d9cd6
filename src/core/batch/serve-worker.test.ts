import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../index';
import type { WorkerRequest, WorkerResponse } from './protocol';
import { serveBatchWorker, type WorkerPort } from './serve-worker';

describe('serveBatchWorker', () => {
  it('builds an engine on init, answers chunks by seq, honours cancel, and closes', async () => {
    const { port1, port2 } = new MessageChannel();
    let closed = false;
    serveBatchWorker(
      port2 as unknown as WorkerPort,
      async () => {
        const engine = await createEngine({ useModels: false });
        return { engine, close: () => engine.close() };
      },
      () => (closed = true),
    );
    const replies: WorkerResponse[] = [];
    const waitFor = async (seq: number, type: string): Promise<WorkerResponse> => {
      for (let i = 0; i < 500; i++) {
        const hit = replies.find((r) => r.seq === seq && r.type === type);
        if (hit) return hit;
        await new Promise((r) => setTimeout(r, 5));
      }
      throw new Error(`no ${type} for seq ${seq}`);
    };
    port1.on('message', (m: WorkerResponse) => replies.push(m));
    const send = (m: WorkerRequest) => port1.postMessage(m);
    send({ type: 'init', seq: 1, init: { dataDir: '/unused', useModels: false } });
    send({ type: 'cancel', seq: 3 });
    send({ type: 'chunk', seq: 2, rows: [{ text: 'My SSN is 123-45-6789' }, { text: null, error: 'line 2 is empty' }] });
    send({ type: 'chunk', seq: 3, rows: [{ text: 'cancelled before it started' }] });
    send({ type: 'chunk', seq: 4, rows: [{ text: 'Plain question about tides' }] });
    send({ type: 'close', seq: 5 });
    await waitFor(1, 'ready');
    const r2 = (await waitFor(2, 'result')) as Extract<WorkerResponse, { type: 'result' }>;
    expect(r2.results.map((r) => r.verdict)).toEqual(['cleaned', 'error']);
    expect(r2.results[0].cleaned).not.toContain('123-45-6789');
    const r3 = (await waitFor(3, 'error')) as Extract<WorkerResponse, { type: 'error' }>;
    expect(r3.error.name).toBe('AbortError');
    const r4 = (await waitFor(4, 'result')) as Extract<WorkerResponse, { type: 'result' }>;
    expect(r4.results[0].verdict).toBe('pass');
    await waitFor(5, 'closed');
    expect(closed).toBe(true);
    port1.close();
  });

  it('reports an init failure as an error for the init seq', async () => {
    const { port1, port2 } = new MessageChannel();
    serveBatchWorker(port2 as unknown as WorkerPort, async () => {
      throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    });
    const reply = await new Promise<WorkerResponse>((resolve) => {
      port1.once('message', resolve);
      port1.postMessage({ type: 'init', seq: 9, init: { dataDir: '/x' } } satisfies WorkerRequest);
    });
    expect(reply).toMatchObject({ type: 'error', seq: 9, error: { message: 'database is locked', code: 'SQLITE_BUSY' } });
    port1.close();
  });
});
