import { parse } from 'csv-parse/sync';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from './main';
import { historyCount, jsonl, runCli, tempDir } from './test-helpers';

const PROMPTS = [
  { id: 'p1', text: 'Summarise the attached meeting notes in three bullet points.' },
  { id: 'p2', text: 'Draft a reply to jonas.weber@example.com saying the order #48213 ships on Monday.' },
  { id: 'p3', text: 'Why does my card 4539 1488 0343 6467 get declined at checkout?' },
  { id: 'p4', text: 'How do I kill a zombie process on Linux?' },
  { id: 'p5', text: 'Use this key to call the API: sk-proj-Xq8vN2mK5pL9rT3wY6zB1cD4fG7hJ0aS and list the models' },
];

let home: string;
let files: string;
beforeAll(() => {
  home = tempDir('dg-home-');
  files = tempDir('dg-files-');
});

const write = (name: string, content: string | Buffer): string => {
  const path = join(files, name);
  writeFileSync(path, content);
  return path;
};
const base = () => ['--data-dir', home, '--no-models'];

describe('diffguard (through main)', () => {
  it('prints help and version, and rejects bad usage with exit 2', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/diffguard sanitize \[--input PATH\|-\] \[--output PATH\|-\]/);
    expect((await runCli(['sanitize', '--help'])).stdout).toMatch(/--column NAME/);
    const version = await runCli(['--version']);
    expect(version.stdout).toMatch(/^diffguard \d+\.\d+\.\d+\n$/);
    for (const argv of [['frobnicate'], ['sanitize', '--bogus'], ['sanitize', '--threads', 'many'], ['sanitize', '--format', 'xml'], ['restore', '--policy', 'strict']]) {
      const r = await runCli(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^diffguard: .+\nRun "diffguard --help" for usage\.\n$/);
    }
  });

  it('sanitizes a JSONL file into a JSONL file, in order, and logs the run to history', async () => {
    const input = write('prompts.jsonl', PROMPTS.map((p) => JSON.stringify(p)).join('\n') + '\n');
    const output = join(files, 'clean.jsonl');
    const before = historyCount(home);
    const r = await runCli(['sanitize', '--input', input, '--output', output, ...base()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(existsSync(`${output}.partial`)).toBe(false);
    const rows = jsonl(readFileSync(output, 'utf8'));
    expect(rows.map((x) => x.id)).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
    expect(rows.map((x) => x.text)).toEqual(PROMPTS.map((p) => p.text));
    expect(rows[0]).toMatchObject({ verdict: 'pass', cleaned: PROMPTS[0].text });
    // Placeholder numbers run on within one vault (the data folder), so only the shape is fixed.
    expect(rows[1].cleaned).toMatch(/^Draft a reply to \[EMAIL_\d+\] saying the order #48213 ships on Monday\.$/);
    expect(rows[2].cleaned).not.toContain('4539 1488 0343 6467');
    expect(rows[3]).toMatchObject({ verdict: 'pass', cleaned: PROMPTS[3].text });
    expect(rows[4].cleaned).not.toContain('sk-proj-');
    expect(rows[4].categories).toContain('secret');
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(['id', 'text', 'cleaned', 'verdict', 'risk_before', 'risk_after', 'semantic', 'categories', 'findings', 'elapsed_ms']);
    }
    expect(historyCount(home) - before).toBe(5);
  });

  it('does not log to history with --no-history', async () => {
    const before = historyCount(home);
    const r = await runCli(['sanitize', '--no-history', ...base()], JSON.stringify(PROMPTS[1]) + '\n');
    expect(r.code).toBe(0);
    expect(jsonl(r.stdout)[0].verdict).toBe('cleaned');
    expect(historyCount(home)).toBe(before);
  });

  it('turns a malformed JSONL line into an error row, keeps every other row in order, and exits 3', async () => {
    const lines = [JSON.stringify(PROMPTS[0]), '{"id":"broken","text":"no closing brace"', JSON.stringify(PROMPTS[1]), '{"id":"x","body":"wrong field"}', JSON.stringify(PROMPTS[3])];
    const r = await runCli(['sanitize', ...base()], lines.join('\n') + '\n');
    expect(r.code).toBe(3);
    const rows = jsonl(r.stdout);
    expect(rows).toHaveLength(5);
    expect(rows.map((x) => x.verdict)).toEqual(['pass', 'error', 'cleaned', 'error', 'pass']);
    expect(rows.map((x) => x.id)).toEqual(['p1', 2, 'p2', 'x', 'p4']);
    expect(rows[1].error).toMatch(/^line 2 is not valid JSON/);
    expect(rows[3].error).toBe('line 4 has no "text" field; expected a string');
    expect(r.stderr).toMatch(/2 of 5 rows could not be processed/);
  });

  it('turns invalid UTF-8 into an error row for that line', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"id":1,"text":"Gr'),
      Buffer.from([0xfc]), // Latin-1 "ü": not UTF-8
      Buffer.from('\u00dfe aus M\u00fcnchen"}\n'.replace(/./gu, (c) => c)),
      Buffer.from(JSON.stringify({ id: 2, text: 'Grüße aus München' }) + '\n'),
    ]);
    const r = await runCli(['sanitize', ...base()], bytes);
    expect(r.code).toBe(3);
    const rows = jsonl(r.stdout);
    expect(rows[0]).toMatchObject({ id: 1, verdict: 'error' });
    expect(rows[0].error).toMatch(/line 1 is not valid UTF-8 text \(byte 0xfc at byte offset 18\)/);
    expect(rows[1]).toMatchObject({ id: 2, verdict: 'pass', cleaned: 'Grüße aus München' });
  });

  it('handles empty input, a BOM and CRLF line endings', async () => {
    const empty = await runCli(['sanitize', ...base()], '');
    expect(empty).toMatchObject({ code: 0, stdout: '' });
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${JSON.stringify(PROMPTS[0])}\r\n${JSON.stringify(PROMPTS[1])}\r\n`)]);
    const r = await runCli(['sanitize', ...base()], bom);
    expect(r.code).toBe(0);
    const rows = jsonl(r.stdout);
    expect(rows.map((x) => x.id)).toEqual(['p1', 'p2']);
    expect(rows[0].cleaned).toBe(PROMPTS[0].text);
  });

  it('sanitizes a 5 MB text row', async () => {
    const paragraph = 'The quarterly report covers revenue, churn and hiring plans for the next two quarters. ';
    let text = '';
    while (text.length < 5 * 1024 * 1024) text += paragraph;
    text += 'Questions to anna.lindqvist@example.se please.';
    const input = write('big.jsonl', JSON.stringify({ id: 'big', text }) + '\n');
    const r = await runCli(['sanitize', '-i', input, ...base()]);
    expect(r.code).toBe(0);
    const [row] = jsonl(r.stdout);
    expect(row.verdict).toBe('cleaned');
    expect(row.cleaned as string).toMatch(/Questions to \[EMAIL_\d+\] please\.$/);
    expect((row.cleaned as string).length).toBeGreaterThan(5 * 1024 * 1024);
  });

  it('sanitizes a CSV keeping every column and appending the result columns', async () => {
    const csv = [
      'ticket,customer,message,priority',
      'T-1,ACME,"Hello, my e-mail is ola.nordmann@example.no",high',
      'T-2,Globex,"Multi-line message:\nline two says ""thanks""",low',
      'T-3,Initech,How do I reset my password?,low',
    ].join('\r\n');
    const input = write('tickets.csv', csv + '\r\n');
    const output = join(files, 'tickets.clean.csv');
    const r = await runCli(['sanitize', '--input', input, '--output', output, ...base()]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/using column "message"/);
    const out = readFileSync(output, 'utf8');
    const rows = parse(out, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0])).toEqual(['ticket', 'customer', 'message', 'priority', 'cleaned', 'verdict', 'risk_before', 'risk_after', 'semantic', 'categories', 'findings', 'elapsed_ms', 'error']);
    expect(rows.map((x) => x.ticket)).toEqual(['T-1', 'T-2', 'T-3']);
    expect(rows[0].cleaned).toMatch(/^Hello, my e-mail is \[EMAIL_\d+\]$/);
    expect(JSON.parse(rows[0].categories)).toEqual(['pii']);
    expect(rows[1].message).toBe('Multi-line message:\nline two says "thanks"');
    expect(rows[1].verdict).toBe('pass');
    expect(rows[1].cleaned).toBe(rows[1].message);
    expect(rows[2].verdict).toBe('pass');
  });

  it('uses --column, and exits 2 naming the columns when it does not exist', async () => {
    const input = write('two-text.csv', 'text,reply\n"Thanks, see you","Mail me at p.rossi@example.it"\n');
    const chosen = await runCli(['sanitize', '-i', input, '--column', 'reply', ...base()]);
    expect(chosen.code).toBe(0);
    const [row] = parse(chosen.stdout, { columns: true }) as Record<string, string>[];
    expect(row.cleaned).toMatch(/^Mail me at \[EMAIL_\d+\]$/);
    const output = join(files, 'never.csv');
    const missing = await runCli(['sanitize', '-i', input, '-o', output, '--column', 'prompt', ...base()]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`diffguard: ${input} has no column "prompt"; its columns are: "text", "reply"\n`);
    expect(existsSync(output) || existsSync(`${output}.partial`)).toBe(false);
  });

  it('turns ragged CSV records into error rows and continues', async () => {
    const input = write('ragged.csv', 'id,text,lang\n1,Hola amigo,es\n2,only two\n3,Bonjour,fr,extra\n4,Ciao,it\n');
    const r = await runCli(['sanitize', '-i', input, ...base()]);
    expect(r.code).toBe(3);
    const rows = parse(r.stdout, { columns: true }) as Record<string, string>[];
    expect(rows.map((x) => x.id)).toEqual(['1', '2', '3', '4']);
    expect(rows.map((x) => x.verdict)).toEqual(['pass', 'error', 'error', 'pass']);
    expect(rows[1].error).toBe('record at line 3 has 2 fields, the header has 3');
    expect(rows[1].risk_before).toBe('');
  });

  it('detects a semicolon-separated CSV and writes the same delimiter back', async () => {
    const input = write('excel-de.csv', 'Nr;Text\n1;"Bitte an klaus.meyer@example.de senden; danke"\n');
    const r = await runCli(['sanitize', '-i', input, ...base()]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/semicolon-separated/);
    const [row] = parse(r.stdout, { columns: true, delimiter: ';' }) as Record<string, string>[];
    expect(row.cleaned).toMatch(/^Bitte an \[EMAIL_\d+\] senden; danke$/);
  });

  it('exits 2 with a clear message for a binary file given as CSV', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000100000001008060000001ff3ff61', 'hex');
    const input = write('photo.csv', png);
    const r = await runCli(['sanitize', '-i', input, ...base()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/photo\.csv looks like a binary file/);
    expect(r.stdout).toBe('');
  });

  it('exits 2 for a missing input file or an output folder that does not exist', async () => {
    const missing = await runCli(['sanitize', '-i', join(files, 'nope.jsonl'), ...base()]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*nope\.jsonl: no such file/);
    const input = write('one.jsonl', JSON.stringify(PROMPTS[0]) + '\n');
    const badOut = await runCli(['sanitize', '-i', input, '-o', join(files, 'no-such-dir', 'out.jsonl'), ...base()]);
    expect(badOut.code).toBe(2);
    expect(badOut.stderr).toMatch(/cannot write .*no-such-dir\/out\.jsonl/);
  });

  it('protects CSV output against formula injection unless --no-csv-protect', async () => {
    const input = write('formula.csv', 'text\n"=HYPERLINK(""http://evil.example"",""click"")"\n');
    const on = parse((await runCli(['sanitize', '-i', input, ...base()])).stdout, { columns: true }) as Record<string, string>[];
    expect(on[0].text.startsWith("'=HYPERLINK")).toBe(true);
    const off = parse((await runCli(['sanitize', '-i', input, '--no-csv-protect', ...base()])).stdout, { columns: true }) as Record<string, string>[];
    expect(off[0].text.startsWith('=HYPERLINK')).toBe(true);
  });

  it('writes CSV when the output file ends in .csv although the input is JSONL', async () => {
    const input = write('to-csv.jsonl', JSON.stringify(PROMPTS[1]) + '\n');
    const output = join(files, 'converted.csv');
    expect((await runCli(['sanitize', '-i', input, '-o', output, ...base()])).code).toBe(0);
    const [row] = parse(readFileSync(output, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(row).toMatchObject({ id: 'p2', text: PROMPTS[1].text, verdict: 'cleaned' });
  });

  it('applies --policy presets and policy files', async () => {
    const line = JSON.stringify({ id: 1, text: 'The build server at 10.20.30.40 is down, ask the Project Falcon team.' }) + '\n';
    const balanced = await runCli(['sanitize', '--policy', 'balanced', ...base()], line);
    expect(balanced.code).toBe(0);
    expect(jsonl(balanced.stdout)[0].cleaned).not.toContain('10.20.30.40');
    for (const preset of ['strict', 'permissive']) expect((await runCli(['sanitize', '--policy', preset, ...base()], line)).code).toBe(0);
    const policyPath = write('policy.json', JSON.stringify({ name: 'acme', extends: 'balanced', actions: { 'kind:ipv4': 'allow' }, denyList: ['Project Falcon'] }));
    const custom = jsonl((await runCli(['sanitize', '--policy', policyPath, ...base()], line)).stdout)[0];
    expect(custom.cleaned).toContain('10.20.30.40');
    expect(custom.cleaned).not.toContain('Project Falcon');
    const broken = write('broken-policy.json', '{"name": "x", "actions": {"pii": "shred"}}');
    const bad = await runCli(['sanitize', '--policy', broken, ...base()], line);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--policy .*broken-policy\.json/);
    const unknown = await runCli(['sanitize', '--policy', 'paranoid', ...base()], line);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/"paranoid" is none of these/);
  });

  it('prints the JSON result for --text', async () => {
    const r = await runCli(['sanitize', '--text', 'Ring me on +44 20 7946 0958 after 6pm', ...base()]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.verdict).toBe('cleaned');
    expect(result.cleaned).toMatch(/^Ring me on \[PHONE_\d+\] after 6pm$/);
    expect(result.findings[0]).toMatchObject({ kind: 'phone', start: 11, end: 27, text: '+44 20 7946 0958', });
    expect(result.findings[0].replacement).toMatch(/^\[PHONE_\d+\]$/);
  });

  it('restores placeholders from the vault after a sanitize run (text, JSONL and --text)', async () => {
    const dir = tempDir('dg-vault-');
    const text = 'Please send the contract to sofia.marin@example.es and call +34 612 345 678.';
    const s = await runCli(['sanitize', '--data-dir', dir, '--no-models'], JSON.stringify({ id: 1, text }) + '\n');
    const cleaned = jsonl(s.stdout)[0].cleaned as string;
    expect(cleaned).not.toContain('sofia.marin@example.es');
    const answer = `Sure. I will write to ${cleaned.match(/\[EMAIL_\d+\]/)?.[0]} today.\r\nAnd ${cleaned.match(/\[PHONE_\d+\]/)?.[0]} tomorrow; [NAME_9] is unknown.\n`;
    const restored = await runCli(['restore', '--data-dir', dir], answer);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toBe('Sure. I will write to sofia.marin@example.es today.\r\nAnd +34 612 345 678 tomorrow; [NAME_9] is unknown.\n');
    expect(restored.stderr).toMatch(/does not know 1 placeholder.*\[NAME_9\]/);
    const viaJsonl = await runCli(['restore', '--data-dir', dir, '--format', 'jsonl'], JSON.stringify({ id: 'a', text: cleaned }) + '\n');
    expect(jsonl(viaJsonl.stdout)[0]).toMatchObject({ id: 'a', text: cleaned, restored: text, restored_count: 2 });
    const one = await runCli(['restore', '--data-dir', dir, '--text', cleaned]);
    expect(one.stdout).toBe(text + '\n');
  });

  it('emits each JSONL result before stdin closes (streaming filter)', async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let received = '';
    stdout.on('data', (d: Buffer) => (received += d.toString('utf8')));
    const done = main(['sanitize', ...base()], { stdin, stdout, stderr });
    const waitLines = async (n: number): Promise<void> => {
      for (let i = 0; i < 1000 && received.split('\n').length - 1 < n; i++) await new Promise((r) => setTimeout(r, 5));
    };
    const arrivals: number[] = [];
    for (let i = 0; i < PROMPTS.length; i++) {
      stdin.write(JSON.stringify(PROMPTS[i]) + '\n');
      await waitLines(i + 1);
      arrivals.push(received.split('\n').length - 1);
    }
    // Every result was out while stdin was still open.
    expect(arrivals).toEqual([1, 2, 3, 4, 5]);
    stdin.end();
    expect(await done).toBe(0);
    expect(jsonl(received).map((x) => x.id)).toEqual(PROMPTS.map((p) => p.id));
  });
});
