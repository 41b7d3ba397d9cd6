import { describe, expect, it } from 'vitest';
import type { SanitizeResult } from '../../shared/result';
import { formatJsonl, parseJsonlLine, readJsonlRows } from './jsonl';
import { errorResult, type InputRow } from './types';

async function rowsOf(text: string | Buffer): Promise<InputRow[]> {
  const out: InputRow[] = [];
  for await (const batch of readJsonlRows([typeof text === 'string' ? Buffer.from(text) : text])) out.push(...batch);
  return out;
}

describe('JSONL rows', () => {
  it('reads id and text, defaulting the id to the line number', async () => {
    const rows = await rowsOf('{"id":"t-17","text":"Summarise this ticket"}\n{"text":"Translate to French: good morning"}\n');
    expect(rows).toEqual([
      { index: 0, line: 1, id: 't-17', text: 'Summarise this ticket' },
      { index: 1, line: 2, id: 2, text: 'Translate to French: good morning' },
    ]);
  });

  it('keeps one row per line with errors in place of bad lines', async () => {
    const rows = await rowsOf(
      [
        '{"id":1,"text":"first"}',
        '{"id":2,"text":"unterminated',
        '[1,2,3]',
        '{"id":4,"prompt":"wrong field"}',
        '{"id":5,"text":42}',
        '',
        '{"id":7,"text":"last"}',
        '',
        '',
      ].join('\n'),
    );
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(rows.map((r) => r.text)).toEqual(['first', null, null, null, null, null, 'last']);
    expect(rows[1].error).toMatch(/^line 2 is not valid JSON/);
    expect(rows[2].error).toMatch(/line 3 is not a JSON object/);
    expect(rows[3].error).toBe('line 4 has no "text" field; expected a string');
    expect(rows[4].error).toBe('line 5 has a "text" field of type number; expected a string');
    expect(rows[5].error).toMatch(/line 6 is empty/);
  });

  it('reads another field when asked', () => {
    expect(parseJsonlLine('{"prompt":"hello"}', 0, 1, 'prompt').text).toBe('hello');
  });

  it('handles CRLF and a BOM', async () => {
    const rows = await rowsOf(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"text":"a"}\r\n{"text":"b"}\r\n')]));
    expect(rows.map((r) => r.text)).toEqual(['a', 'b']);
  });

  it('writes the contract fields, and null scores for error rows', () => {
    const ok: SanitizeResult = {
      verdict: 'pass',
      cleaned: 'hello',
      findings: [],
      categories: [],
      risk_before: 0,
      risk_after: 0,
      semantic: 1,
      elapsed_ms: 0.4,
    };
    const out = formatJsonl(
      [
        { index: 0, line: 1, id: 'a', text: 'hello' },
        { index: 1, line: 2, id: 2, text: null, error: 'line 2 is not valid JSON' },
      ],
      [ok, errorResult('line 2 is not valid JSON')],
    );
    const [a, b] = out.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(Object.keys(a)).toEqual(['id', 'text', 'cleaned', 'verdict', 'risk_before', 'risk_after', 'semantic', 'categories', 'findings', 'elapsed_ms']);
    expect(b).toMatchObject({ id: 2, text: null, cleaned: '', verdict: 'error', risk_before: null, risk_after: null, semantic: null, error: 'line 2 is not valid JSON' });
    expect(out.endsWith('\n')).toBe(true);
  });
});
