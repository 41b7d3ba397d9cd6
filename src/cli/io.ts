/**
 * @file The CLI's view of the process: its streams, environment and interrupt signal, injected
 * so `main()` can be driven from tests, plus the helpers that open inputs and outputs with
 * errors a person can act on.
 */
import { createReadStream, promises as fs } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { fileSink, InputError, streamSink, type OutputSink } from '../core/io';

/** Streams and settings of one CLI invocation. */
export type CliIO = {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  /** Draw progress on stderr (true when stderr is a terminal). */
  stderrIsTTY?: boolean;
  /** Aborted on SIGINT/SIGTERM: stop reading, write what is done, keep the .partial file. */
  signal?: AbortSignal;
};

/** Opens the input named on the command line (null or '-' = stdin). */
export async function openInput(path: string | null, io: CliIO): Promise<{ stream: Readable; what: string }> {
  if (path === null || path === '-') {
    if ((io.stdin as Readable & { isTTY?: boolean }).isTTY === true) {
      say(io, 'reading from the terminal: type or paste input, then press Ctrl-D (or pass --input FILE; see --help)');
    }
    return { stream: io.stdin, what: 'stdin' };
  }
  let stat;
  try {
    stat = await fs.stat(path);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new InputError('IO', e.code === 'ENOENT' ? `cannot read ${path}: no such file` : `cannot read ${path}: ${e.message}`);
  }
  if (stat.isDirectory()) throw new InputError('IO', `cannot read ${path}: it is a folder`);
  const stream = createReadStream(path, { highWaterMark: 64 * 1024 });
  try {
    await new Promise<void>((resolve, reject) => {
      stream.once('ready', () => resolve());
      stream.once('error', reject);
    });
    return { stream, what: path };
  } catch (error) {
    throw new InputError('IO', `cannot read ${path}: ${(error as Error).message}`);
  }
}

/** Opens the output named on the command line (null or '-' = stdout). */
export async function openOutput(path: string | null, io: CliIO, options: { append?: boolean } = {}): Promise<OutputSink> {
  if (path === null || path === '-') return streamSink(io.stdout, 'stdout');
  return fileSink(path, options);
}

/** Writes one line to stderr, prefixed with the program name. */
export function say(io: CliIO, message: string): void {
  io.stderr.write(`diffguard: ${message}\n`);
}
