/**
 * @file `diffguard sanitize`: opens the input (JSONL or CSV), the engine (or a pool of batch
 * workers), and the output, then streams rows through the ordered pipeline. Owns the mapping of
 * failures to exit codes: unreadable input or usage → 2, rows with verdict error → 3, anything
 * else → 1. The output file appears under its name only when the run completes.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { PolicyName, SanitizeResult } from '../shared/result';
import { loadPolicyFile, openHost, defaultDataDir, type Host, type Policy } from '../core';
import { BatchPool, processChunk, runPipeline } from '../core/batch';
import { CsvFormatter, InputError, OutputError, formatJsonl, openCsv, prepareResume, readJsonlRows, type InputRow, type OutputSink } from '../core/io';
import { EXIT, UsageError, formatFromPath, type Format, type SanitizeArgs } from './args';
import { openInput, openOutput, say, type CliIO } from './io';
import { Progress, newTally, type Tally } from './progress';
import { batchWorkerPath, workerFactory } from './workers';

/** Rows per chunk handed to the engine: big enough to amortise, small enough to stream. */
const CHUNK_ROWS = 64;

/** Resolves --policy: a preset name, or a policy JSON file. */
export function resolvePolicyArg(value: string | null): PolicyName | Policy | undefined {
  if (value === null) return undefined;
  if (value === 'strict' || value === 'balanced' || value === 'permissive') return value;
  if (!existsSync(value)) {
    throw new UsageError(`--policy must be strict, balanced, permissive or a policy file; "${value}" is none of these (no such file)`);
  }
  try {
    return loadPolicyFile(value);
  } catch (error) {
    throw new UsageError(`--policy ${value}: ${(error as Error).message}`);
  }
}

function tallyResults(tally: Tally, rows: readonly InputRow[], results: readonly SanitizeResult[]): void {
  for (let i = 0; i < results.length; i++) {
    const r = results[i];
    tally.rows += 1;
    tally[r.verdict] += 1;
    if (r.verdict === 'error' && tally.errorSamples.length < 5) {
      tally.errorSamples.push(`row ${rows[i].index + 1}: ${r.error ?? 'unknown error'}`);
    }
  }
}

/** Runs `diffguard sanitize`; returns the exit code. */
export async function runSanitize(args: SanitizeArgs, io: CliIO): Promise<number> {
  const policy = resolvePolicyArg(args.policy);
  const dataDir = args.dataDir ?? defaultDataDir();
  const note = (m: string): void => {
    if (!args.quiet) say(io, m);
  };

  if (args.text !== null) {
    const host = await openEngineHost(args, dataDir, policy);
    try {
      const result = await host.engine.sanitize(args.text, { source: 'cli' });
      io.stdout.write(JSON.stringify(result, null, 2) + '\n');
      return result.verdict === 'error' ? EXIT.ROW_ERRORS : EXIT.OK;
    } finally {
      await host.close();
    }
  }

  const inputFormat: Format = args.format ?? formatFromPath(args.input) ?? 'jsonl';
  const outputFormat: Format = formatFromPath(args.output) ?? inputFormat;
  const { stream, what } = await openInput(args.input, io);

  // Read the CSV header (and check --column) before touching the database or the output.
  let rows: AsyncIterable<InputRow[]>;
  let header: string[] = ['id', 'text'];
  let delimiter = ',';
  if (inputFormat === 'csv') {
    const csv = await openCsv(stream, { what, column: args.column ?? undefined });
    csv.notes.forEach(note);
    rows = csv.rows;
    if (csv.header.length > 0) header = csv.header;
    delimiter = csv.delimiter;
  } else {
    rows = readJsonlRows(stream, { what, field: args.column ?? 'text' });
  }
  const csvOut = outputFormat === 'csv' ? new CsvFormatter({ header, delimiter, protect: args.csvProtect }) : null;

  // --resume: keep the complete rows of PATH.partial and skip that many input rows.
  let resumed: { rows: number; hasHeader: boolean } | null = null;
  if (args.resume && args.output !== null) {
    resumed = await prepareResume(`${args.output}.partial`, outputFormat);
    if (resumed === null) note(`nothing to resume (${args.output}.partial does not exist); starting from the first row`);
    else {
      note(`resuming after ${resumed.rows} rows already in ${args.output}.partial`);
      rows = skipRows(rows, resumed.rows);
    }
  }
  const format = (chunk: readonly InputRow[], results: readonly SanitizeResult[]): string =>
    csvOut ? csvOut.format(chunk, results) : formatJsonl(chunk, results);

  // Worker threads: as asked, else both cores when the models run (the analyzer is most of the
  // time; two workers measured 1.5x one on 2 cores), else this thread (the deterministic layers
  // alone are faster than the cost of starting workers).
  const threads = args.threads > 0 ? args.threads : args.models ? Math.min(2, availableParallelism()) : 1;
  const workerPath = threads > 1 ? batchWorkerPath() : null;
  if (threads > 1 && workerPath === null) note('the batch worker is not built (run `npm run build`); processing in this thread');
  // With workers, this thread only writes history and output: it does not load the models.
  const host = await openEngineHost({ ...args, models: args.models && workerPath === null }, dataDir, policy);
  let pool: BatchPool | null = null;
  let sink: OutputSink | null = null;
  let sinkOpening: Promise<OutputSink> | null = null;
  const getSink = (): Promise<OutputSink> => {
    sinkOpening ??= openOutput(args.output, io, { append: resumed !== null }).then(async (s) => {
      sink = s;
      if (csvOut && !resumed?.hasHeader) await s.write(csvOut.header());
      return s;
    });
    return sinkOpening;
  };
  const tally = newTally();
  const progress = new Progress(io.stderr, io.stderrIsTTY === true && !args.quiet);

  try {
    let process: (chunk: InputRow[]) => Promise<SanitizeResult[]>;
    let maxInFlight = 2;
    if (workerPath !== null) {
      pool = await BatchPool.start({
        size: threads,
        factory: workerFactory(workerPath),
        init: { dataDir, policy, useModels: args.models, semantic: args.semantic, threads: 1 },
        onLog: (level, m) => (level === 'info' ? undefined : note(m)),
      });
    }
    if (pool !== null) {
      const p = pool;
      maxInFlight = p.capacity;
      process = async (chunk) => {
        const results = await p.process(chunk.map((r) => (r.error !== undefined ? { text: null, error: r.error } : { text: r.text })));
        // Workers never write history; this thread is the single writer.
        if (host.history) {
          // Rows the engine never saw (unreadable, or lost with a crashed worker) are not history.
          const entries = chunk.flatMap((r, i) =>
            r.text !== null && Number.isFinite(results[i].risk_before) ? [{ source: 'cli' as const, text: r.text, result: results[i] }] : [],
          );
          if (entries.length > 0) host.history.addMany(entries);
        }
        return results;
      };
    } else {
      process = (chunk) => processChunk(host.engine, chunk.map((r) => (r.error !== undefined ? { text: null, error: r.error } : { text: r.text })), { source: 'cli' });
    }

    const stats = await runPipeline<InputRow, SanitizeResult>({
      source: rows,
      chunkSize: CHUNK_ROWS,
      maxInFlight,
      process,
      signal: io.signal,
      emit: async (chunk, results) => {
        tallyResults(tally, chunk, results);
        const out = await getSink();
        await out.write(format(chunk, results));
        progress.update(tally.rows);
      },
    });
    progress.done();
    const out = await getSink();
    if (stats.aborted) {
      const partial = await out.abort();
      say(io, `interrupted after ${tally.rows} rows${partial ? `; the rows done so far are in ${partial}` : ''}`);
      return 130;
    }
    await out.commit();
    summarize(io, args, tally, progress.elapsedSeconds(), inputFormat);
    return tally.error > 0 ? EXIT.ROW_ERRORS : EXIT.OK;
  } catch (error) {
    progress.done();
    const current = sink as OutputSink | null;
    const partial = current ? await current.abort() : null;
    const where = partial ? `; the ${tally.rows} rows written before the failure are in ${partial}` : tally.rows > 0 ? `; ${tally.rows} rows were written before the failure` : '';
    if (error instanceof InputError) {
      say(io, `${error.message}${where}`);
      return EXIT.USAGE;
    }
    if (error instanceof OutputError) {
      say(io, `${error.message}${where}`);
      // The output could not even be created (no such folder, no permission): a usage error.
      return current === null ? EXIT.USAGE : EXIT.INTERNAL;
    }
    throw error;
  } finally {
    await pool?.close();
    await host.close();
  }
}

/** Drops the first `n` rows of a chunked row stream (they are already in the partial output). */
async function* skipRows(rows: AsyncIterable<InputRow[]>, n: number): AsyncIterable<InputRow[]> {
  let seen = 0;
  for await (const chunk of rows) {
    if (seen >= n) {
      yield chunk;
      continue;
    }
    const keep = chunk.slice(Math.min(chunk.length, n - seen));
    seen += chunk.length - keep.length;
    if (keep.length > 0) yield keep;
  }
}

async function openEngineHost(args: SanitizeArgs, dataDir: string, policy: ReturnType<typeof resolvePolicyArg>): Promise<Host> {
  try {
    return await openHost({ dataDir, history: args.history, policy, useModels: args.models, semantic: args.semantic });
  } catch (error) {
    throw new HostError(`cannot open the DiffGuard data folder ${dataDir}: ${(error as Error).message}`);
  }
}

/** The engine or its database could not be opened (exit 1, with the reason). */
export class HostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HostError';
  }
}

function summarize(io: CliIO, args: SanitizeArgs, tally: Tally, seconds: number, inputFormat: Format): void {
  if (tally.error > 0) {
    // Errors are always reported: a person has to know that some rows were not cleaned.
    say(io, `${tally.error} of ${tally.rows} rows could not be processed (verdict "error"):`);
    for (const s of tally.errorSamples) io.stderr.write(`  ${s}\n`);
    if (tally.error > tally.errorSamples.length) io.stderr.write(`  … and ${tally.error - tally.errorSamples.length} more\n`);
  }
  if (args.quiet || io.stderrIsTTY !== true) return;
  const rate = seconds > 0 ? Math.round(tally.rows / seconds) : tally.rows;
  say(
    io,
    `${tally.rows} ${inputFormat === 'csv' ? 'records' : 'lines'}: ${tally.pass} pass, ${tally.cleaned} cleaned, ${tally.blocked} blocked, ${tally.error} error (${seconds.toFixed(1)} s, ${rate} rows/s)`,
  );
}
