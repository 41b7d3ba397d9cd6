/**
 * @file CSV input and output for batch sanitizing, streaming with csv-parse/csv-stringify.
 * Input: a header row, then records; quotes and embedded newlines per RFC 4180; the delimiter is
 * detected from the header line (comma, semicolon, tab, pipe). The text column is chosen by name
 * or guessed. A record that cannot be parsed, has the wrong number of fields or is not UTF-8
 * becomes an error row in its place; the rest of the file is still processed. Output: every input
 * column, then the result columns, with formula-injection protection by default.
 */
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import type { SanitizeResult } from '../../shared/result';
import { textBytes, type ByteInput } from './bytes';
import { protectCell } from './csv-protect';
import { delimiterName, detectDelimiter } from './sniff';
import { InputError, MAX_ROW_BYTES, type InputRow } from './types';

/** Column names tried, in order, when no `--column` is given. */
export const TEXT_COLUMN_NAMES = ['text', 'prompt', 'message', 'content', 'body'] as const;

/** The columns appended to every output row. */
export const RESULT_COLUMNS = [
  'cleaned',
  'verdict',
  'risk_before',
  'risk_after',
  'semantic',
  'categories',
  'findings',
  'elapsed_ms',
  'error',
] as const;

export type CsvOpenOptions = {
  /** Name of the input in messages (a path or "stdin"). */
  what?: string;
  /** The text column's name (exact, or case-insensitive when unambiguous). */
  column?: string;
  /** Longest accepted record in bytes (default `MAX_ROW_BYTES`); longer is a fatal `InputError`. */
  maxRecordBytes?: number;
  /** How many records to look at when guessing the text column (default 50). */
  guessRows?: number;
};

/** An opened CSV input: its header, the chosen column, and the rows still to read. */
export type CsvSource = {
  /** Header names in input order; empty for an empty input. */
  header: string[];
  delimiter: string;
  /** Index of the text column in `header` (-1 for an empty input). */
  textColumn: number;
  /** Human-readable notes for stderr (column guessed, delimiter detected). */
  notes: string[];
  /** The data rows, in batches, in input order. */
  rows: AsyncGenerator<InputRow[]>;
};

type Entry =
  | { kind: 'record'; fields: Buffer[]; endLine: number }
  | { kind: 'skip'; message: string; line: number; records: number };

const countNewlines = (fields: Buffer[]): number => {
  let n = 0;
  for (const f of fields) for (let i = f.indexOf(0x0a); i !== -1; i = f.indexOf(0x0a, i + 1)) n++;
  return n;
};

/**
 * Opens a CSV input: reads the header and the first records (to guess the column), checks the
 * requested column, and returns the remaining rows as a stream.
 * @throws InputError when the input is binary/not UTF-8, the header is unusable, or the
 *   requested column does not exist (the message names the available columns)
 */
export async function openCsv(input: ByteInput, options: CsvOpenOptions = {}): Promise<CsvSource> {
  const what = options.what ?? 'input';
  const maxRecordBytes = options.maxRecordBytes ?? MAX_ROW_BYTES;
  const guessRows = options.guessRows ?? 50;
  const bytes = textBytes(input, what)[Symbol.asyncIterator]();
  const decoder = new TextDecoder('utf-8', { fatal: true });

  // Gather enough bytes to see the whole header line, then detect the delimiter from it.
  const pending: Buffer[] = [];
  let pendingLength = 0;
  let ended = false;
  while (!ended) {
    const next = await bytes.next();
    if (next.done) {
      ended = true;
      break;
    }
    pending.push(next.value);
    pendingLength += next.value.length;
    if (next.value.includes(0x0a) || pendingLength >= 1024 * 1024) break;
  }
  if (pendingLength === 0) {
    return { header: [], delimiter: ',', textColumn: -1, notes: [`${what} is empty; nothing to do`], rows: (async function* () {})() };
  }
  const headText = Buffer.concat(pending, pendingLength).toString('utf8');
  const delimiter = detectDelimiter(headText);
  const notes: string[] = [];
  if (delimiter !== ',') notes.push(`detected ${delimiterName(delimiter)}-separated values in ${what}`);

  const queue: Entry[] = [];
  let fatal: Error | null = null;
  let lastEndLine = 0;
  const parser = parse({
    encoding: null,
    delimiter,
    // Both line endings, even mixed in one file (csv-parse would otherwise lock onto the first).
    record_delimiter: ['\r\n', '\n'],
    relax_column_count: true,
    // A double quote inside an unquoted field (`He said "hi"`) is kept literally, as Excel and
    // Python's csv module do. A quoted field that is never closed is still an error.
    relax_quotes: true,
    skip_records_with_error: true,
    skip_empty_lines: true,
    max_record_size: maxRecordBytes,
    on_record: (record, info) => {
      // With `encoding: null` the fields are Buffers (decoded below, strictly, per record).
      queue.push({ kind: 'record', fields: record as unknown as Buffer[], endLine: info.lines });
      lastEndLine = info.lines;
      return null;
    },
    on_skip: (err) => {
      if (err === undefined) return;
      if (err.code === 'CSV_MAX_RECORD_SIZE') {
        const e = err as unknown as { lines?: number };
        fatal = new InputError(
          'TOO_LONG',
          `${what}: the record ending near line ${e.lines ?? '?'} is longer than ${Math.round(maxRecordBytes / (1024 * 1024))} MiB (an unbalanced quote?); stopped reading`,
        );
        throw err;
      }
      const e = err as unknown as { lines?: number; records?: number };
      const line = e.lines ?? 0;
      const records = e.records ?? 0;
      const last = queue[queue.length - 1];
      // One malformed record can raise several errors (one per bad quote): report it once.
      if (last !== undefined && last.kind === 'skip' && last.line === line && last.records === records) return;
      const message =
        err.code === 'CSV_QUOTE_NOT_CLOSED'
          ? `a quoted field that starts after line ${lastEndLine} is never closed, so the rest of the input (lines ${lastEndLine + 1}–${line}) could not be split into records`
          : readableCsvError(err.message);
      queue.push({ kind: 'skip', message, line, records });
    },
  });
  // Errors are captured synchronously above; this listener only keeps the stream from throwing.
  parser.on('error', () => {});

  const feed = (buf: Buffer | null): void => {
    if (buf === null) parser.end();
    else parser.write(buf);
    if (fatal !== null) throw fatal;
  };
  for (const b of pending) feed(b);
  if (ended) feed(null);

  /** Pulls input until `queue` has at least `n` entries or the input ends. */
  const fill = async (n: number): Promise<void> => {
    while (queue.length < n && !ended) {
      const next = await bytes.next();
      if (next.done) {
        ended = true;
        feed(null);
      } else feed(next.value);
    }
  };

  await fill(1);
  const first = queue.shift();
  if (first === undefined) {
    return { header: [], delimiter, textColumn: -1, notes: [...notes, `${what} has no header row; nothing to do`], rows: (async function* () {})() };
  }
  if (first.kind === 'skip') throw new InputError('HEADER', `${what}: the header row could not be parsed (${first.message})`);
  let header: string[];
  try {
    header = first.fields.map((f) => decoder.decode(f));
  } catch {
    throw new InputError('ENCODING', `${what} is not UTF-8 text (its header row has invalid bytes); convert it to UTF-8`);
  }
  await fill(guessRows);
  const textColumn = chooseColumn(header, options.column, queue, notes, what);

  let index = 0;
  let recordNo = 0;
  const toRow = (entry: Entry): InputRow => {
    recordNo += 1;
    const id = recordNo;
    if (entry.kind === 'skip') {
      return { index: index++, line: entry.line, id, text: null, fields: header.map(() => ''), error: `record at line ${entry.line} could not be parsed: ${entry.message}` };
    }
    const line = entry.endLine - countNewlines(entry.fields);
    let fields: string[];
    try {
      fields = entry.fields.map((f) => decoder.decode(f));
    } catch {
      const lossy = entry.fields.map((f) => f.toString('utf8'));
      return { index: index++, line, id, text: null, fields: align(lossy, header.length), error: `record at line ${line} is not valid UTF-8 text; convert the input to UTF-8` };
    }
    if (fields.length !== header.length) {
      return {
        index: index++,
        line,
        id,
        text: null,
        fields: align(fields, header.length),
        error: `record at line ${line} has ${fields.length} field${fields.length === 1 ? '' : 's'}, the header has ${header.length}`,
      };
    }
    return { index: index++, line, id, text: fields[textColumn], fields };
  };

  async function* rows(): AsyncGenerator<InputRow[]> {
    for (;;) {
      if (queue.length > 0) {
        const batch = queue.splice(0, queue.length).map(toRow);
        yield batch;
        continue;
      }
      if (ended) return;
      const next = await bytes.next();
      if (next.done) {
        ended = true;
        feed(null);
      } else feed(next.value);
    }
  }

  return { header, delimiter, textColumn, notes, rows: rows() };
}

/** csv-parse prints Buffer fields as JSON ({"type":"Buffer","data":[…]}); show their text instead. */
function readableCsvError(message: string): string {
  return message.replace(/\{"type":"Buffer","data":\[([0-9,]*)\]\}/g, (_m, bytes: string) =>
    JSON.stringify(Buffer.from(bytes ? bytes.split(',').map(Number) : []).toString('utf8')),
  );
}

function align(fields: string[], n: number): string[] {
  if (fields.length === n) return fields;
  if (fields.length > n) return fields.slice(0, n);
  return [...fields, ...Array.from({ length: n - fields.length }, () => '')];
}

function chooseColumn(header: string[], requested: string | undefined, sample: Entry[], notes: string[], what: string): number {
  const list = header.map((h) => JSON.stringify(h)).join(', ');
  if (requested !== undefined) {
    const exact = header.indexOf(requested);
    if (exact !== -1) return exact;
    const folded = header.flatMap((h, i) => (h.trim().toLowerCase() === requested.trim().toLowerCase() ? [i] : []));
    if (folded.length === 1) return folded[0];
    throw new InputError('COLUMN', `${what} has no column ${JSON.stringify(requested)}; its columns are: ${list}`);
  }
  for (const name of TEXT_COLUMN_NAMES) {
    const i = header.findIndex((h) => h.trim().toLowerCase() === name);
    if (i !== -1) {
      if (name !== 'text' || header[i] !== 'text') notes.push(`using column ${JSON.stringify(header[i])} of ${what} as the text (choose another with --column)`);
      return i;
    }
  }
  // No conventional name: the column with the longest average text in the first records.
  const totals = header.map(() => 0);
  let n = 0;
  for (const e of sample) {
    if (e.kind !== 'record') continue;
    n++;
    e.fields.forEach((f, i) => {
      if (i < totals.length) totals[i] += f.length;
    });
  }
  let best = 0;
  for (let i = 1; i < totals.length; i++) if (totals[i] > totals[best]) best = i;
  if (header.length > 1) {
    notes.push(
      `${what} has no column named ${TEXT_COLUMN_NAMES.join('/')}; using ${JSON.stringify(header[best])}, the column with the longest text${n > 0 ? ` in the first ${n} records` : ''} (choose another with --column; columns: ${list})`,
    );
  }
  return best;
}

export type CsvFormatOptions = {
  /** The input's header; the output repeats it before the result columns. */
  header: readonly string[];
  /** Output delimiter (default ','). */
  delimiter?: string;
  /** Formula-injection protection (default true). */
  protect?: boolean;
};

/**
 * Formats result rows as CSV: every input column, then `RESULT_COLUMNS` (each renamed to
 * `diffguard_<name>` if the input already has a column of that name).
 */
export class CsvFormatter {
  readonly columns: string[];
  private readonly delimiter: string;
  private readonly protect: boolean;

  constructor(options: CsvFormatOptions) {
    this.delimiter = options.delimiter ?? ',';
    this.protect = options.protect ?? true;
    const taken = new Set(options.header);
    this.columns = [...options.header, ...RESULT_COLUMNS.map((c) => (taken.has(c) ? `diffguard_${c}` : c))];
  }

  /** The header line (with its newline). */
  header(): string {
    return this.line([this.columns]);
  }

  /** The CSV lines for `rows`; `fields` of JSONL rows are taken as [id, text]. */
  format(rows: readonly InputRow[], results: readonly SanitizeResult[]): string {
    const records: string[][] = [];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      const r = results[i];
      const fields = row.fields ?? [row.id === null || row.id === undefined ? '' : typeof row.id === 'string' ? row.id : JSON.stringify(row.id), row.text ?? ''];
      const num = (n: number): string => (Number.isFinite(n) ? String(n) : '');
      records.push([
        ...fields,
        r.cleaned,
        r.verdict,
        num(r.risk_before),
        num(r.risk_after),
        num(r.semantic),
        JSON.stringify(r.categories),
        JSON.stringify(r.findings),
        String(r.elapsed_ms),
        r.error ?? '',
      ]);
    }
    return this.line(records);
  }

  private line(records: string[][]): string {
    const cells = this.protect ? records.map((r) => r.map(protectCell)) : records;
    return stringify(cells, { delimiter: this.delimiter, eof: true });
  }
}
