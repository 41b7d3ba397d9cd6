import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareResume, scanPartial } from './resume';

const dir = () => mkdtempSync(join(tmpdir(), 'dg-resume-'));

describe('resuming from a partial output file', () => {
  it('counts complete JSONL rows and cuts a torn last line', async () => {
    const file = join(dir(), 'out.jsonl.partial');
    writeFileSync(file, '{"id":1}\n{"id":2}\n{"id":3,"text":"cut in the mid');
    expect(await prepareResume(file, 'jsonl')).toEqual({ rows: 2, bytes: 18, hasHeader: false });
    expect(readFileSync(file, 'utf8')).toBe('{"id":1}\n{"id":2}\n');
  });

  it('counts CSV records after the header, with newlines inside quoted cells, and cuts a torn record', async () => {
    const file = join(dir(), 'out.csv.partial');
    const complete = 'id,text,cleaned\n1,"line one\nline two",ok\n2,plain,ok\n';
    writeFileSync(file, complete + '3,"torn\nrec');
    const p = await prepareResume(file, 'csv');
    expect(p).toEqual({ rows: 2, bytes: Buffer.byteLength(complete), hasHeader: true });
    expect(readFileSync(file, 'utf8')).toBe(complete);
  });

  it('a file with only part of the header has no header and no rows', async () => {
    const file = join(dir(), 'out.csv.partial');
    writeFileSync(file, 'id,te');
    expect(await prepareResume(file, 'csv')).toEqual({ rows: 0, bytes: 0, hasHeader: false });
    expect(readFileSync(file, 'utf8')).toBe('');
  });

  it('returns null when there is nothing to resume', async () => {
    expect(await scanPartial(join(dir(), 'missing.partial'), 'jsonl')).toBeNull();
  });
});
