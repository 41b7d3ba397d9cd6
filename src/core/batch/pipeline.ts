/**
 * @file The ordered streaming pipeline: rows in batches → chunks → a processor (the engine in
 * process, or the worker pool) → the writer, in input order. Memory is bounded: at most
 * `maxInFlight` chunks are being processed or waiting to be written, and the source is not read
 * further until one of them has been written (back-pressure from the writer reaches the reader).
 * Each chunk is written as soon as it and every chunk before it are done, even while the source
 * is still waiting for input, so the CLI works as a line-in/line-out filter.
 */

export type PipelineOptions<I, O> = {
  /** Input rows in batches (e.g. the complete lines of each input chunk). */
  source: AsyncIterable<I[]>;
  /** Largest chunk handed to `process` (default 64). */
  chunkSize?: number;
  /** Most chunks processing or waiting to be written at once (default 2). */
  maxInFlight?: number;
  /** Processes one chunk; must resolve with one output per input, in order. */
  process: (chunk: I[]) => Promise<O[]>;
  /** Writes one processed chunk; called strictly in input order, one at a time. */
  emit: (chunk: I[], results: O[]) => Promise<void>;
  /** Stops reading when aborted; chunks already started are still written. */
  signal?: AbortSignal;
};

export type PipelineStats = {
  rows: number;
  chunks: number;
  /** True when the run stopped early because `signal` was aborted. */
  aborted: boolean;
};

/**
 * Runs the pipeline to the end of the source.
 * @throws the first error from `process`, `emit` or the source; nothing is written after it
 */
export async function runPipeline<I, O>(options: PipelineOptions<I, O>): Promise<PipelineStats> {
  const chunkSize = Math.max(1, options.chunkSize ?? 64);
  const maxInFlight = Math.max(1, options.maxInFlight ?? 2);
  const stats: PipelineStats = { rows: 0, chunks: 0, aborted: false };
  let failure: { error: unknown } | null = null;
  let tail: Promise<void> = Promise.resolve();
  const inFlight: Promise<void>[] = [];

  const dispatch = (chunk: I[]): void => {
    const processed = options.process(chunk);
    // Keep a rejection from being reported as unhandled before its turn to be written comes.
    processed.catch(() => undefined);
    tail = tail.then(async () => {
      if (failure !== null) return;
      try {
        const results = await processed;
        if (results.length !== chunk.length) {
          throw new Error(`internal error: a chunk of ${chunk.length} rows produced ${results.length} results`);
        }
        await options.emit(chunk, results);
        stats.rows += chunk.length;
        stats.chunks += 1;
      } catch (error) {
        failure ??= { error };
      }
    });
    inFlight.push(tail);
  };

  const waitForSlot = async (): Promise<void> => {
    while (inFlight.length >= maxInFlight) await inFlight.shift();
  };

  try {
    for await (const batch of options.source) {
      for (let i = 0; i < batch.length; i += chunkSize) {
        if (failure !== null) break;
        await waitForSlot();
        if (failure !== null) break;
        dispatch(batch.slice(i, i + chunkSize));
      }
      if (failure !== null) break;
      if (options.signal?.aborted) {
        stats.aborted = true;
        break;
      }
    }
  } catch (error) {
    failure ??= { error };
  }
  await tail;
  if (failure !== null) throw failure.error;
  return stats;
}
