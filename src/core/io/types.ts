/**
 * @file Row types shared by the streaming readers, the writers and the batch pipeline.
 * A reader turns bytes into `InputRow`s (one per input record, in input order, including rows
 * that could not be read, which carry `error`); the pipeline pairs each with a `SanitizeResult`.
 */
import type { SanitizeResult } from '../../shared/result';

/** One record read from the input, in input order. */
export type InputRow = {
  /** 0-based position of the row in the input (and in the output). */
  index: number;
  /** 1-based line of the input where the record starts (CSV: where the error was seen for error rows). */
  line: number;
  /** JSONL: the `id` of the object (the line number when absent). CSV: the 1-based record number. */
  id: unknown;
  /** The text to sanitize; null when the row could not be read. */
  text: string | null;
  /** CSV only: the record's fields, aligned to the header (padded with '' or truncated). */
  fields?: readonly string[];
  /** Why the row could not be read; the row becomes a verdict `error` row. */
  error?: string;
};

/** A fatal problem with the input as a whole (binary file, wrong encoding, unknown column). */
export class InputError extends Error {
  /** Stable code: BINARY, ENCODING, COLUMN, EMPTY_HEADER, TOO_LONG, IO. */
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'InputError';
    this.code = code;
  }
}

/** The per-row limit: a line (JSONL) or record (CSV) longer than this many bytes becomes an error row. */
export const MAX_ROW_BYTES = 16 * 1024 * 1024;

/**
 * The result row for a record that could not be processed. Scores are NaN here and are written
 * as null (JSONL) or empty cells (CSV) so that an unprocessed row never looks like a safe one.
 */
export function errorResult(message: string): SanitizeResult {
  return {
    verdict: 'error',
    cleaned: '',
    findings: [],
    categories: [],
    risk_before: Number.NaN,
    risk_after: Number.NaN,
    semantic: Number.NaN,
    elapsed_ms: 0,
    error: message,
  };
}
