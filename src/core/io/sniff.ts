/**
 * @file Looks at the first bytes of an input before parsing: refuses binary, compressed and
 * UTF-16/32 files with a clear message, strips a UTF-8 byte-order mark, and guesses the CSV
 * delimiter from the header line. Pure functions over buffers; no I/O.
 */
import { InputError } from './types';

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Number of leading bytes inspected by `checkTextStart`. */
export const SNIFF_BYTES = 8192;

/**
 * Throws an `InputError` when the start of a file is clearly not UTF-8 text: NUL bytes, a
 * gzip/zip/PDF signature, or a UTF-16/UTF-32 byte-order mark.
 * @param head the first bytes of the input (up to `SNIFF_BYTES`)
 * @param what how to name the input in messages, e.g. `input.csv`
 */
export function checkTextStart(head: Buffer, what: string): void {
  if (head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) {
    throw new InputError('ENCODING', `${what} is UTF-16 encoded; convert it to UTF-8 (for example: iconv -f UTF-16 -t UTF-8).`);
  }
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    throw new InputError('BINARY', `${what} is gzip-compressed; decompress it first (for example: gunzip -c FILE | diffguard sanitize ...).`);
  }
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    throw new InputError('BINARY', `${what} is a ZIP archive (an .xlsx workbook?); export it as CSV (UTF-8) first.`);
  }
  if (head.length >= 5 && head.subarray(0, 5).toString('latin1') === '%PDF-') {
    throw new InputError('BINARY', `${what} is a PDF document, not CSV or JSONL text.`);
  }
  const nul = head.subarray(0, SNIFF_BYTES).indexOf(0);
  if (nul !== -1) {
    throw new InputError('BINARY', `${what} looks like a binary file (it contains a NUL byte at offset ${nul}); expected UTF-8 CSV or JSONL text.`);
  }
}

/** Returns `buf` without a leading UTF-8 byte-order mark. */
export function stripUtf8Bom(buf: Buffer): Buffer {
  return buf.length >= 3 && buf.subarray(0, 3).equals(UTF8_BOM) ? buf.subarray(3) : buf;
}

/** Delimiters that `detectDelimiter` considers, in order of preference on ties. */
export const DELIMITER_CANDIDATES = [',', ';', '\t', '|'] as const;

/**
 * Guesses the delimiter of a CSV from its first line: the candidate that occurs most often
 * outside double quotes. Returns ',' when none occurs (a one-column file).
 */
export function detectDelimiter(head: string): string {
  const counts = new Map<string, number>(DELIMITER_CANDIDATES.map((d) => [d, 0]));
  let quoted = false;
  for (let i = 0; i < head.length; i++) {
    const ch = head[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ',';
  let bestCount = 0;
  for (const d of DELIMITER_CANDIDATES) {
    const c = counts.get(d) ?? 0;
    if (c > bestCount) {
      best = d;
      bestCount = c;
    }
  }
  return best;
}

/** A printable name for a delimiter, for messages. */
export function delimiterName(d: string): string {
  return d === '\t' ? 'tab' : d === ';' ? 'semicolon' : d === '|' ? 'pipe' : 'comma';
}
