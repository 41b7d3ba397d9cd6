import { describe, expect, it } from 'vitest';
import { textBytes } from './bytes';
import { readLines, type Line } from './lines';
import { InputError } from './types';

async function collect(chunks: (Buffer | string)[], options: Parameters<typeof readLines>[1] = {}): Promise<{ lines: Line[]; batches: number }> {
  const lines: Line[] = [];
  let batches = 0;
  for await (const batch of readLines(textBytes(chunks, 'test input'), options)) {
    batches += 1;
    lines.push(...batch);
  }
  return { lines, batches };
}

describe('readLines', () => {
  it('splits LF and CRLF lines and strips a UTF-8 BOM', async () => {
    const { lines } = await collect([Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('first line\r\nsecond line\nthird')])]);
    expect(lines.map((l) => l.text)).toEqual(['first line', 'second line', 'third']);
    expect(lines.map((l) => l.eol)).toEqual(['\r\n', '\n', '']);
    expect(lines.map((l) => l.line)).toEqual([1, 2, 3]);
  });

  it('reassembles a multi-byte character split across chunks', async () => {
    const bytes = Buffer.from('Grüße aus Köln — 東京\n', 'utf8');
    const parts = Array.from(bytes).map((b) => Buffer.from([b]));
    const { lines } = await collect(parts);
    expect(lines).toHaveLength(1);
    expect(lines[0].text).toBe('Grüße aus Köln — 東京');
  });

  it('turns invalid UTF-8 into an error for that line only', async () => {
    const bad = Buffer.concat([Buffer.from('ok before\ncaf'), Buffer.from([0xe9]), Buffer.from(' au lait\nok after\n')]);
    const { lines } = await collect([bad]);
    expect(lines[0].text).toBe('ok before');
    expect(lines[1].text).toBeNull();
    expect(lines[1].error).toMatch(/line 2 is not valid UTF-8.*0xe9 at byte offset 3/);
    expect(lines[2].text).toBe('ok after');
  });

  it('drops an over-long line with an error and keeps memory bounded', async () => {
    const big = 'x'.repeat(300_000);
    const chunks = ['short\n', big.slice(0, 100_000), big.slice(100_000), '\nafter\n'];
    const { lines } = await collect(chunks, { maxLineBytes: 200_000 });
    expect(lines.map((l) => l.text)).toEqual(['short', null, 'after']);
    expect(lines[1].error).toMatch(/line 2 is longer than the 195 KiB limit/);
  });

  it('holds back blank lines and drops them at the end when asked', async () => {
    const { lines } = await collect(['a\n\n  \nb\n\n\n'], { dropTrailingBlank: true });
    expect(lines.map((l) => l.text)).toEqual(['a', '', '  ', 'b']);
    const kept = await collect(['a\n\n'], { dropTrailingBlank: false });
    expect(kept.lines.map((l) => l.text)).toEqual(['a', '']);
  });

  it('yields the lines of each chunk as one batch', async () => {
    const { batches, lines } = await collect(['one\ntwo\n', 'three\n']);
    expect(lines).toHaveLength(3);
    expect(batches).toBe(2);
  });

  it('refuses binary, compressed and UTF-16 input as a whole', async () => {
    await expect(collect([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])])).rejects.toThrow(/binary file.*NUL byte/);
    await expect(collect([Buffer.from([0x1f, 0x8b, 0x08, 0x00, 1, 2])])).rejects.toThrow(/gzip/);
    await expect(collect([Buffer.from('\ufeffhello', 'utf16le')])).rejects.toBeInstanceOf(InputError);
  });

  it('yields nothing for empty input', async () => {
    const { lines } = await collect([]);
    expect(lines).toEqual([]);
  });
});
