import { describe, expect, it } from 'vitest';
import { runPipeline } from './pipeline';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function* batches(n: number, size: number, onPull?: (i: number) => void): AsyncGenerator<number[]> {
  for (let b = 0; b < n; b++) {
    onPull?.(b);
    yield Array.from({ length: size }, (_, k) => b * size + k);
  }
}

describe('runPipeline', () => {
  it('writes results in input order although chunks finish out of order', async () => {
    const written: number[] = [];
    const stats = await runPipeline<number, string>({
      source: batches(10, 25),
      chunkSize: 7,
      maxInFlight: 5,
      process: async (chunk) => {
        await sleep(Math.floor(Math.random() * 8));
        return chunk.map((x) => `r${x}`);
      },
      emit: async (chunk, results) => {
        results.forEach((r, i) => {
          expect(r).toBe(`r${chunk[i]}`);
          written.push(chunk[i]);
        });
      },
    });
    expect(written).toEqual(Array.from({ length: 250 }, (_, i) => i));
    expect(stats.rows).toBe(250);
  });

  it('bounds the chunks in flight and does not read ahead of a slow writer', async () => {
    let active = 0;
    let maxActive = 0;
    let pulled = 0;
    let emitted = 0;
    let maxAhead = 0;
    await runPipeline<number, number>({
      source: batches(40, 10, () => {
        pulled += 1;
        maxAhead = Math.max(maxAhead, pulled - emitted);
      }),
      chunkSize: 10,
      maxInFlight: 3,
      process: async (chunk) => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        await sleep(1);
        active -= 1;
        return chunk;
      },
      emit: async () => {
        await sleep(3);
        emitted += 1;
      },
    });
    expect(emitted).toBe(40);
    expect(maxActive).toBeLessThanOrEqual(3);
    // At most maxInFlight chunks not yet written, plus the batch being read.
    expect(maxAhead).toBeLessThanOrEqual(4);
  });

  it('writes a finished chunk while the source is still waiting for input', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const emitted: number[][] = [];
    async function* slowSource(): AsyncGenerator<number[]> {
      yield [1, 2];
      await gate;
      yield [3];
    }
    const run = runPipeline<number, number>({
      source: slowSource(),
      maxInFlight: 4,
      process: async (c) => c,
      emit: async (c) => {
        emitted.push(c);
      },
    });
    for (let i = 0; i < 50 && emitted.length === 0; i++) await sleep(2);
    const emittedBeforeRelease = emitted.length === 1;
    release();
    await run;
    expect(emittedBeforeRelease).toBe(true);
    expect(emitted).toEqual([[1, 2], [3]]);
  });

  it('stops at the first write error and reports it', async () => {
    let emits = 0;
    const run = runPipeline<number, number>({
      source: batches(20, 5),
      chunkSize: 5,
      process: async (c) => c,
      emit: async () => {
        emits += 1;
        if (emits === 3) throw new Error('ENOSPC: no space left on device');
      },
    });
    await expect(run).rejects.toThrow(/ENOSPC/);
    expect(emits).toBe(3);
  });

  it('stops reading when aborted and still writes what was started', async () => {
    const controller = new AbortController();
    const written: number[] = [];
    const stats = await runPipeline<number, number>({
      source: batches(100, 1, (i) => {
        if (i === 5) controller.abort();
      }),
      process: async (c) => c,
      emit: async (c) => {
        written.push(...c);
      },
      signal: controller.signal,
    });
    expect(stats.aborted).toBe(true);
    expect(written).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
