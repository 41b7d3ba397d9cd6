/**
 * @file Resuming an interrupted run. Output rows are written in input order, one per input row,
 * so the complete rows at the start of `<output>.partial` say exactly how many input rows are
 * done. This module counts them and cuts off a row that was only partly written when the process
 * died (kill -9, power loss), so the resumed run appends without losing or duplicating a row.
 */
import { createReadStream, promises as fs } from 'node:fs';

export type PartialProgress = {
  /** Complete result rows in the file (for CSV, not counting the header). */
  rows: number;
  /** Byte length of the complete part; anything after it is a torn row. */
  bytes: number;
  /** For CSV: whether the header line is complete. */
  hasHeader: boolean;
};

/**
 * Scans a partial output file. JSONL rows end at a newline; CSV records end at a newline outside
 * double quotes (the writer quotes every field that contains a newline). Returns null when the
 * file does not exist.
 */
export async function scanPartial(path: string, format: 'jsonl' | 'csv'): Promise<PartialProgress | null> {
  try {
    await fs.access(path);
  } catch {
    return null;
  }
  let records = 0;
  let bytes = 0;
  let offset = 0;
  let inQuotes = false;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (format === 'csv' && b === 0x22) inQuotes = !inQuotes;
      else if (b === 0x0a && !inQuotes) {
        records++;
        bytes = offset + i + 1;
      }
    }
    offset += chunk.length;
  }
  if (format === 'csv') return { rows: Math.max(0, records - 1), bytes, hasHeader: records > 0 };
  return { rows: records, bytes, hasHeader: false };
}

/** Cuts the torn tail off a partial file and returns its progress (null when there is no file). */
export async function prepareResume(path: string, format: 'jsonl' | 'csv'): Promise<PartialProgress | null> {
  const progress = await scanPartial(path, format);
  if (progress === null) return null;
  const { size } = await fs.stat(path);
  if (size !== progress.bytes) await fs.truncate(path, progress.bytes);
  return progress;
}
