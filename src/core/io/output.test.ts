import { chmodSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { fileSink, OutputError, streamSink } from './output';

describe('output sinks', () => {
  it('writes a file as .partial and renames it on commit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dg-out-'));
    const path = join(dir, 'clean.jsonl');
    const sink = await fileSink(path);
    await sink.write('{"a":1}\n');
    expect(existsSync(`${path}.partial`)).toBe(true);
    expect(existsSync(path)).toBe(false);
    await sink.commit();
    expect(readFileSync(path, 'utf8')).toBe('{"a":1}\n');
    expect(existsSync(`${path}.partial`)).toBe(false);
  });

  it('keeps the .partial file when the run is aborted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dg-out-'));
    const path = join(dir, 'clean.csv');
    const sink = await fileSink(path);
    await sink.write('a,b\n1,2\n');
    expect(await sink.abort()).toBe(`${path}.partial`);
    expect(readFileSync(`${path}.partial`, 'utf8')).toBe('a,b\n1,2\n');
    expect(existsSync(path)).toBe(false);
  });

  it('fails clearly when the folder is missing or read-only', async () => {
    await expect(fileSink('/nonexistent-folder-dg/out.csv')).rejects.toThrow(OutputError);
    if (process.getuid?.() !== 0) {
      const dir = mkdtempSync(join(tmpdir(), 'dg-ro-'));
      chmodSync(dir, 0o500);
      await expect(fileSink(join(dir, 'out.csv'))).rejects.toThrow(/cannot write/);
    }
  });

  it('turns a stream error (disk full) into an OutputError at the next write', async () => {
    const full = new Writable({
      write(_chunk, _enc, cb) {
        const err = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        cb(err);
      },
    });
    const sink = streamSink(full, '/mnt/full/out.jsonl');
    await sink.write('first\n').catch(() => undefined);
    const err = await sink.write('second\n').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutputError);
    expect((err as OutputError).code).toBe('ENOSPC');
    expect((err as Error).message).toMatch(/cannot write to \/mnt\/full\/out.jsonl: ENOSPC/);
  });

  it('waits for drain when the reader is slow', async () => {
    const seen: string[] = [];
    let release: (() => void) | null = null;
    const slow = new Writable({
      highWaterMark: 4,
      write(chunk, _enc, cb) {
        seen.push(String(chunk));
        release = () => cb();
      },
    });
    const sink = streamSink(slow);
    let done = false;
    const p = sink.write('0123456789').then(() => (done = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    (release as unknown as () => void)();
    await p;
    expect(done).toBe(true);
    expect(seen).toEqual(['0123456789']);
  });
});
