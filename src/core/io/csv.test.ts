import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { SanitizeResult } from '../../shared/result';
import { CsvFormatter, openCsv } from './csv';
import { protectCell } from './csv-protect';
import { errorResult, InputError, type InputRow } from './types';

async function readAll(input: string | Buffer | (string | Buffer)[], options: Parameters<typeof openCsv>[1] = {}) {
  const chunks = Array.isArray(input) ? input : [input];
  const csv = await openCsv(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c)), { what: 'tickets.csv', ...options });
  const rows: InputRow[] = [];
  for await (const batch of csv.rows) rows.push(...batch);
  return { csv, rows };
}

describe('openCsv', () => {
  it('reads quoted fields with commas, doubled quotes and embedded newlines', async () => {
    const { csv, rows } = await readAll('id,text\n1,"Hello, team"\n2,"She wrote ""urgent""\nand left"\r\n3,plain\n');
    expect(csv.header).toEqual(['id', 'text']);
    expect(rows.map((r) => r.text)).toEqual(['Hello, team', 'She wrote "urgent"\nand left', 'plain']);
    expect(rows.map((r) => r.line)).toEqual([2, 3, 5]);
    expect(rows[1].fields).toEqual(['2', 'She wrote "urgent"\nand left']);
  });

  it('keeps a quote inside an unquoted field literally', async () => {
    const { rows } = await readAll('id,text\n7,He said "hi" and left\n');
    expect(rows[0].text).toBe('He said "hi" and left');
    expect(rows[0].error).toBeUndefined();
  });

  it('turns ragged records into error rows and keeps going', async () => {
    const { rows } = await readAll('id,text,lang\n1,hello,en\n2,missing lang\n3,too,many,fields\n4,bonjour,fr\n');
    expect(rows.map((r) => r.text)).toEqual(['hello', null, null, 'bonjour']);
    expect(rows[1].error).toBe('record at line 3 has 2 fields, the header has 3');
    expect(rows[1].fields).toEqual(['2', 'missing lang', '']);
    expect(rows[2].error).toBe('record at line 4 has 4 fields, the header has 3');
  });

  it('reports an invalid UTF-8 record as an error row', async () => {
    const { rows } = await readAll([Buffer.from('id,text\n1,ok\n2,caf'), Buffer.from([0xe9]), Buffer.from('\n3,fine\n')]);
    expect(rows.map((r) => r.text)).toEqual(['ok', null, 'fine']);
    expect(rows[1].error).toMatch(/line 3 is not valid UTF-8/);
  });

  it('reports a quote that is never closed instead of silently eating the file', async () => {
    const { rows } = await readAll('id,text\n1,first\n2,"never closed\n3,third\n4,fourth\n');
    expect(rows[0].text).toBe('first');
    expect(rows).toHaveLength(2);
    expect(rows[1].error).toMatch(/never closed.*lines 3–5/);
  });

  it('detects semicolon and tab delimiters from the header', async () => {
    const semi = await readAll('id;text\n1;"Bonjour; ça va ?"\n');
    expect(semi.csv.delimiter).toBe(';');
    expect(semi.rows[0].text).toBe('Bonjour; ça va ?');
    expect(semi.csv.notes.join()).toMatch(/semicolon-separated/);
    const tab = await readAll('id\ttext\n1\tHallo, Welt\n');
    expect(tab.csv.delimiter).toBe('\t');
    expect(tab.rows[0].text).toBe('Hallo, Welt');
  });

  it('finds the text column by name, case-insensitively, and says so', async () => {
    const { csv, rows } = await readAll('ticket,Prompt,agent\n1,Reset my password,bob\n');
    expect(csv.header[csv.textColumn]).toBe('Prompt');
    expect(rows[0].text).toBe('Reset my password');
    expect(csv.notes.join()).toMatch(/using column "Prompt"/);
  });

  it('otherwise guesses the column with the longest text', async () => {
    const { csv, rows } = await readAll('ref,summary,notes\nA-1,Customer asks why the invoice total changed after the upgrade,ok\nA-2,Wants a refund for the duplicate charge on the card,ok\n');
    expect(csv.header[csv.textColumn]).toBe('summary');
    expect(rows[1].text).toBe('Wants a refund for the duplicate charge on the card');
    expect(csv.notes.join()).toMatch(/longest text in the first 2 records/);
  });

  it('names the available columns when --column does not exist', async () => {
    const err = await readAll('id,body\n1,x\n', { column: 'message' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).code).toBe('COLUMN');
    expect((err as Error).message).toBe('tickets.csv has no column "message"; its columns are: "id", "body"');
  });

  it('refuses binary input', async () => {
    const pngish = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48]);
    await expect(readAll(pngish)).rejects.toThrow(/binary file/);
    await expect(readAll(Buffer.from('PK\u0003\u0004rest of an xlsx'))).rejects.toThrow(/xlsx/);
  });

  it('handles a BOM and an empty input', async () => {
    const { csv, rows } = await readAll(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('text\r\nhi\r\n')]));
    expect(csv.header).toEqual(['text']);
    expect(rows[0].text).toBe('hi');
    const empty = await readAll(Buffer.alloc(0));
    expect(empty.csv.header).toEqual([]);
    expect(empty.rows).toEqual([]);
  });

  it('stops with a clear error on a record beyond the size limit', async () => {
    const err = await readAll(['id,text\n1,"', 'x'.repeat(5000), '"\n'], { maxRecordBytes: 1000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/longer than/);
  });
});

describe('CsvFormatter', () => {
  const result: SanitizeResult = {
    verdict: 'cleaned',
    cleaned: '=cmd|"/c calc"!A1 mail [EMAIL_1]',
    findings: [],
    categories: ['pii'],
    risk_before: 0.5,
    risk_after: 0,
    semantic: 0.9,
    elapsed_ms: 1.5,
  };

  it('keeps every input column, appends the result columns and round-trips', () => {
    const f = new CsvFormatter({ header: ['id', 'text', 'verdict'], protect: false });
    expect(f.columns).toEqual(['id', 'text', 'verdict', 'cleaned', 'diffguard_verdict', 'risk_before', 'risk_after', 'semantic', 'categories', 'findings', 'elapsed_ms', 'error']);
    const rows: InputRow[] = [
      { index: 0, line: 2, id: 1, text: 'line one\nline "two"', fields: ['1', 'line one\nline "two"', 'old'] },
      { index: 1, line: 4, id: 2, text: null, fields: ['2', '', ''], error: 'record at line 4 has 2 fields, the header has 3' },
    ];
    const out = f.header() + f.format(rows, [result, errorResult(rows[1].error as string)]);
    const back = parse(out, { columns: true }) as Record<string, string>[];
    expect(back[0].text).toBe('line one\nline "two"');
    expect(back[0].cleaned).toBe(result.cleaned);
    expect(back[0].categories).toBe('["pii"]');
    expect(back[1].diffguard_verdict).toBe('error');
    expect(back[1].risk_before).toBe('');
    expect(back[1].error).toBe('record at line 4 has 2 fields, the header has 3');
  });

  it('protects against formula injection by default', () => {
    const f = new CsvFormatter({ header: ['text'] });
    const out = f.format([{ index: 0, line: 2, id: 1, text: '@SUM(A1)', fields: ['@SUM(A1)'] }], [result]);
    const [cells] = parse(out) as string[][];
    expect(cells[0]).toBe("'@SUM(A1)");
    expect(cells[1]).toBe(`'${result.cleaned}`);
  });

  it('protectCell leaves numbers and ordinary text alone', () => {
    expect(protectCell('-12.5')).toBe('-12.5');
    expect(protectCell('+44')).toBe('+44');
    expect(protectCell('hello = world')).toBe('hello = world');
    expect(protectCell('=1+1')).toBe("'=1+1");
    expect(protectCell('+1 415 555 0100')).toBe("'+1 415 555 0100");
    expect(protectCell('\t=x')).toBe("'\t=x");
  });
});
