/**
 * @file Sanitizes one chunk of rows with an engine: the unit of work of both the in-process
 * pipeline and a batch worker. Pure apart from the engine call; never throws. Rows that could
 * not be read become verdict `error` rows; if the engine fails on the chunk, each row is retried
 * alone so that one bad row cannot take its neighbours down with it.
 */
import type { SanitizeResult } from '../../shared/result';
import type { Engine, SanitizeOptions } from '../engine/types';
import { errorResult } from '../io/types';

/** What a chunk carries per row: the text, or why the row could not be read. */
export type ChunkRow = { text: string | null; error?: string };

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Sanitizes `rows` and returns one result per row, in order.
 * @param options passed to `engine.sanitizeMany` (policy, source for history)
 */
export async function processChunk(
  engine: Pick<Engine, 'sanitizeMany'>,
  rows: readonly ChunkRow[],
  options: SanitizeOptions = {},
): Promise<SanitizeResult[]> {
  const results: (SanitizeResult | null)[] = rows.map((r) =>
    r.error !== undefined || r.text === null ? errorResult(r.error ?? 'row has no text') : null,
  );
  const todo: number[] = [];
  results.forEach((r, i) => {
    if (r === null) todo.push(i);
  });
  if (todo.length === 0) return results as SanitizeResult[];
  const texts = todo.map((i) => rows[i].text as string);
  try {
    const out = await engine.sanitizeMany(texts, options);
    if (out.length !== texts.length) throw new Error(`engine returned ${out.length} results for ${texts.length} texts`);
    todo.forEach((i, k) => (results[i] = out[k]));
  } catch {
    // Isolate the failure: one row at a time.
    for (const i of todo) {
      try {
        const [one] = await engine.sanitizeMany([rows[i].text as string], options);
        results[i] = one ?? errorResult('engine returned no result for this row');
      } catch (error) {
        results[i] = errorResult(`internal error while sanitizing this row: ${message(error)}`);
      }
    }
  }
  return results as SanitizeResult[];
}
