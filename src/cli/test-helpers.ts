/**
 * @file Helpers for the CLI tests: run `main()` with in-memory streams, and count history rows
 * in a data folder's real SQLite database.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { main } from './main';

export type RunResult = { code: number; stdout: string; stderr: string };

/** Runs the CLI in-process. `stdin` may be a string, a Buffer or a stream. */
export async function runCli(argv: string[], stdin: string | Buffer | Readable = ''): Promise<RunResult> {
  const out = new PassThrough();
  const err = new PassThrough();
  const o: Buffer[] = [];
  const e: Buffer[] = [];
  out.on('data', (d: Buffer) => o.push(d));
  err.on('data', (d: Buffer) => e.push(d));
  const input = typeof stdin === 'string' || Buffer.isBuffer(stdin) ? Readable.from([Buffer.from(stdin)]) : stdin;
  const code = await main(argv, { stdin: input, stdout: out, stderr: err, stderrIsTTY: false });
  return { code, stdout: Buffer.concat(o).toString('utf8'), stderr: Buffer.concat(e).toString('utf8') };
}

/** A fresh temporary folder. */
export function tempDir(prefix = 'dg-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Number of history rows logged from `source` in a data folder (0 when there is no database). */
export function historyCount(dataDir: string, source = 'cli'): number {
  const path = join(dataDir, 'diffguard.db');
  if (!existsSync(path)) return 0;
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM history WHERE source = ?').get(source) as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Parses JSONL output. */
export function jsonl(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
