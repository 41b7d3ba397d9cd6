/**
 * @file `diffguard restore`: puts the values the vault remembers back in place of placeholders
 * ([EMAIL_1] …). Plain text is restored line by line as it streams (an LLM's answer piped in);
 * JSONL and CSV rows get the restored text in added fields/columns. Never logs to history.
 */
import { stringify } from 'csv-stringify/sync';
import { defaultDataDir, openHost, type Host } from '../core';
import type { RestoreResult } from '../core';
import {
  InputError,
  OutputError,
  openCsv,
  protectCell,
  readJsonlRows,
  readLines,
  textBytes,
  type InputRow,
  type OutputSink,
} from '../core/io';
import { EXIT, formatFromPath, type RestoreArgs } from './args';
import { openInput, openOutput, say, type CliIO } from './io';
import { HostError } from './sanitize';

/** Runs `diffguard restore`; returns the exit code. */
export async function runRestore(args: RestoreArgs, io: CliIO): Promise<number> {
  const dataDir = args.dataDir ?? defaultDataDir();
  if (args.text !== null) {
    const host = await openVault(dataDir);
    try {
      const r = host.engine.restore(args.text);
      io.stdout.write(r.text + (r.text.endsWith('\n') ? '' : '\n'));
      reportUnknown(io, r.unknown);
      return EXIT.OK;
    } finally {
      await host.close();
    }
  }
  const format = args.format ?? formatFromPath(args.input) ?? 'text';
  const { stream, what } = await openInput(args.input, io);
  let csv: Awaited<ReturnType<typeof openCsv>> | null = null;
  if (format === 'csv') csv = await openCsv(stream, { what, column: args.column ?? undefined });
  const host = await openVault(dataDir);
  let sink: OutputSink | null = null;
  let errors = 0;
  const unknown = new Set<string>();
  const restore = (text: string): RestoreResult => {
    const r = host.engine.restore(text);
    r.unknown.forEach((u) => unknown.add(u));
    return r;
  };
  try {
    sink = await openOutput(args.output, io);
    if (format === 'text') {
      for await (const lines of readLines(textBytes(stream, what))) {
        let out = '';
        for (const l of lines) {
          if (l.text === null) {
            errors += 1;
            say(io, l.error ?? `line ${l.line} could not be read`);
            continue;
          }
          out += restore(l.text).text + l.eol;
        }
        await sink.write(out);
      }
    } else if (format === 'jsonl') {
      for await (const rows of readJsonlRows(stream, { what, field: args.column ?? 'text' })) {
        let out = '';
        for (const row of rows) {
          if (row.text === null) {
            errors += 1;
            out += JSON.stringify({ id: row.id, text: null, restored: null, error: row.error }) + '\n';
            continue;
          }
          const r = restore(row.text);
          out += JSON.stringify({ id: row.id, text: row.text, restored: r.text, restored_count: r.restored, unknown: r.unknown }) + '\n';
        }
        await sink.write(out);
      }
    } else if (csv !== null) {
      const protect = (cells: string[]): string[] => (args.csvProtect ? cells.map(protectCell) : cells);
      const taken = new Set(csv.header);
      const extra = ['restored', 'restored_count', 'unknown', 'error'].map((c) => (taken.has(c) ? `diffguard_${c}` : c));
      if (csv.header.length > 0) await sink.write(stringify([protect([...csv.header, ...extra])], { delimiter: csv.delimiter }));
      for await (const rows of csv.rows) {
        const records = rows.map((row: InputRow) => {
          const fields = [...(row.fields ?? [])];
          if (row.text === null) {
            errors += 1;
            return protect([...fields, '', '', '', row.error ?? 'unreadable record']);
          }
          const r = restore(row.text);
          return protect([...fields, r.text, String(r.restored), r.unknown.join(' '), '']);
        });
        await sink.write(stringify(records, { delimiter: csv.delimiter }));
      }
    }
    await sink.commit();
    reportUnknown(io, [...unknown]);
    if (errors > 0) say(io, `${errors} row${errors === 1 ? '' : 's'} could not be read`);
    return errors > 0 ? EXIT.ROW_ERRORS : EXIT.OK;
  } catch (error) {
    const partial = sink ? await (sink as OutputSink).abort() : null;
    if (error instanceof InputError || error instanceof OutputError) {
      say(io, `${error.message}${partial ? ` (partial output in ${partial})` : ''}`);
      return error instanceof InputError || sink === null ? EXIT.USAGE : EXIT.INTERNAL;
    }
    throw error;
  } finally {
    await host.close();
  }
}

async function openVault(dataDir: string): Promise<Host> {
  try {
    return await openHost({ dataDir, history: false, useModels: false });
  } catch (error) {
    throw new HostError(`cannot open the DiffGuard vault in ${dataDir}: ${(error as Error).message}`);
  }
}

function reportUnknown(io: CliIO, unknown: string[]): void {
  if (unknown.length === 0) return;
  const shown = unknown.slice(0, 10).join(', ');
  say(io, `the vault does not know ${unknown.length} placeholder${unknown.length === 1 ? '' : 's'} (left as is): ${shown}${unknown.length > 10 ? ', …' : ''}`);
}
