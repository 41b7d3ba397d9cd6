/**
 * @file Output sinks with back-pressure and clear failure: writes wait for 'drain', a write
 * error (disk full, closed pipe, read-only folder) surfaces as an `OutputError` at the next write
 * instead of crashing the process, and a file target is written to `<path>.partial` and renamed
 * into place only when the run completes, so an interrupted run never leaves a file that looks
 * complete.
 */
import { createWriteStream, promises as fs } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Writing the output failed (ENOSPC, EPIPE, EACCES …). */
export class OutputError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'OutputError';
    this.code = code;
  }
}

/** A writable target for results. */
export interface OutputSink {
  /** Writes `text`, waiting for the stream to drain when its buffer is full. */
  write(text: string): Promise<void>;
  /** Flushes and, for a file, renames `<path>.partial` to its final name. */
  commit(): Promise<void>;
  /** Closes after a failure; a file target keeps its `.partial` name (returned). */
  abort(): Promise<string | null>;
  /** Where the output goes, for messages. */
  readonly name: string;
}

/** Resolves when `stream` drains, closes or fails (the failure itself is reported by the caller). */
function drained(stream: Writable): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
    stream.on('error', done);
  });
}

/** Wraps a stream the caller owns (stdout): never closes it. */
export function streamSink(stream: Writable, name = 'stdout'): OutputSink {
  let failure: Error | null = null;
  const onError = (err: Error): void => {
    failure ??= err;
  };
  stream.on('error', onError);
  const check = (): void => {
    if (failure !== null) {
      const code = (failure as NodeJS.ErrnoException).code ?? 'EIO';
      throw new OutputError(code, `cannot write to ${name}: ${failure.message}`);
    }
  };
  return {
    name,
    async write(text: string): Promise<void> {
      check();
      if (!stream.write(text)) await drained(stream);
      check();
    },
    async commit(): Promise<void> {
      check();
      stream.off('error', onError);
    },
    async abort(): Promise<string | null> {
      stream.off('error', onError);
      return null;
    },
  };
}

/**
 * Opens a file target. Regular files are written to `<path>.partial` and renamed on commit;
 * other targets (a FIFO, /dev/stdout) are written directly.
 */
export async function fileSink(path: string, options: { append?: boolean } = {}): Promise<OutputSink> {
  let direct = false;
  try {
    const st = await fs.stat(path);
    direct = !st.isFile();
  } catch {
    direct = false;
  }
  const target = direct ? path : `${path}.partial`;
  const stream = createWriteStream(target, { flags: options.append ? 'a' : 'w' });
  try {
    await once(stream, 'open');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new OutputError(e.code ?? 'EIO', `cannot write ${path}: ${e.message}`);
  }
  const inner = streamSink(stream, path);
  const close = async (): Promise<void> => {
    if (stream.closed) return;
    const done = once(stream, 'close').catch(() => undefined);
    stream.end();
    await done;
  };
  return {
    name: path,
    write: (text) => inner.write(text),
    async commit(): Promise<void> {
      await inner.commit().catch(async (err) => {
        await close();
        throw err;
      });
      let failure: Error | null = null;
      stream.once('error', (err) => (failure = err));
      await close();
      if (failure !== null) {
        const f = failure as NodeJS.ErrnoException;
        throw new OutputError(f.code ?? 'EIO', `cannot write ${path}: ${f.message}`);
      }
      if (!direct) await fs.rename(target, path);
    },
    async abort(): Promise<string | null> {
      await inner.abort();
      stream.on('error', () => {});
      await close();
      return direct ? null : target;
    },
  };
}
