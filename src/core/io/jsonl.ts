/**
 * @file JSONL input and output for batch sanitizing. Input: one JSON object per line with a
 * string `text` (and optionally an `id`). A line that cannot be read or parsed becomes an error
 * row in its place, so the output always has one line per input line, in order. Output: one JSON
 * object per row with the fields of PRODUCT.md's command-line contract.
 */
import type { SanitizeResult } from '../../shared/result';
import { textBytes, type ByteInput } from './bytes';
import { readLines } from './lines';
import type { InputRow } from './types';
import { MAX_ROW_BYTES } from './types';

export type JsonlReadOptions = {
  /** Name of the input in messages (a path or "stdin"). */
  what?: string;
  /** Longest accepted line in bytes (default `MAX_ROW_BYTES`). */
  maxLineBytes?: number;
  /** The field holding the text (default `text`). */
  field?: string;
};

/**
 * Parses one JSONL line into a row. Never throws: problems become `error`.
 * @param index 0-based row position
 * @param line 1-based line number
 */
export function parseJsonlLine(text: string, index: number, line: number, field = 'text'): InputRow {
  const base = { index, line, id: line, text: null } satisfies InputRow;
  const name = JSON.stringify(field);
  if (text.trim() === '') return { ...base, error: `line ${line} is empty; expected a JSON object with a ${name} field` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ...base, error: `line ${line} is not valid JSON (${(err as Error).message})` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ...base, error: `line ${line} is not a JSON object; expected {"id": ..., ${name}: "..."}` };
  }
  const record = value as Record<string, unknown>;
  const id = record.id === undefined ? line : record.id;
  const fieldValue = record[field];
  if (typeof fieldValue !== 'string') {
    const why = fieldValue === undefined ? `has no ${name} field` : `has a ${name} field of type ${fieldValue === null ? 'null' : Array.isArray(fieldValue) ? 'array' : typeof fieldValue}`;
    return { ...base, id, error: `line ${line} ${why}; expected a string` };
  }
  return { index, line, id, text: fieldValue };
}

/**
 * Reads JSONL rows from a byte stream, in batches (the complete lines of each input chunk).
 * Throws `InputError` only when the input as a whole is unusable (binary, UTF-16).
 */
export async function* readJsonlRows(input: ByteInput, options: JsonlReadOptions = {}): AsyncGenerator<InputRow[]> {
  const what = options.what ?? 'input';
  let index = 0;
  for await (const lines of readLines(textBytes(input, what), {
    maxLineBytes: options.maxLineBytes ?? MAX_ROW_BYTES,
    dropTrailingBlank: true,
  })) {
    const rows: InputRow[] = [];
    for (const l of lines) {
      rows.push(
        l.text === null
          ? { index, line: l.line, id: l.line, text: null, error: l.error ?? `line ${l.line} could not be read` }
          : parseJsonlLine(l.text, index, l.line, options.field),
      );
      index += 1;
    }
    yield rows;
  }
}

const score = (n: number): number | null => (Number.isFinite(n) ? n : null);

/** The output object for one row (field order as in the contract). */
export function jsonlRecord(row: InputRow, result: SanitizeResult): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: row.id,
    text: row.text,
    cleaned: result.cleaned,
    verdict: result.verdict,
    risk_before: score(result.risk_before),
    risk_after: score(result.risk_after),
    semantic: score(result.semantic),
    categories: result.categories,
    findings: result.findings,
    elapsed_ms: result.elapsed_ms,
  };
  if (result.suggestion !== undefined) out.suggestion = result.suggestion;
  if (result.verdict === 'error' || result.error !== undefined) out.error = result.error ?? 'unknown error';
  return out;
}

/** Serialises rows and results as JSONL (one line each, newline-terminated). */
export function formatJsonl(rows: readonly InputRow[], results: readonly SanitizeResult[]): string {
  let s = '';
  for (let i = 0; i < rows.length; i++) s += JSON.stringify(jsonlRecord(rows[i], results[i])) + '\n';
  return s;
}
