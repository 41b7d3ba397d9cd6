/**
 * @file Splits a byte stream into lines without ever decoding a partial character and without
 * holding more than one line (bounded by `maxLineBytes`) in memory. Each line is decoded on its
 * own with a fatal UTF-8 decoder, so invalid bytes turn into an error for that line instead of
 * silently becoming U+FFFD. Lines are yielded in batches: all the complete lines of one input
 * chunk at once, so a consumer can process them together yet never waits for more input than a
 * line needs (what makes the CLI usable as a streaming filter).
 */
import { MAX_ROW_BYTES } from './types';

/** One line of input. `text` excludes the line ending; `error` is set instead when it cannot be read. */
export type Line = {
  /** 1-based line number. */
  line: number;
  text: string | null;
  /** Why the line could not be read (invalid UTF-8, too long). */
  error?: string;
  /** The line ending that followed it: '\n', '\r\n', or '' for a last line without one. */
  eol: '' | '\n' | '\r\n';
};

export type LineOptions = {
  /** Longest accepted line in bytes; longer lines become error lines (their bytes are dropped). */
  maxLineBytes?: number;
  /**
   * Blank lines (empty or whitespace only) are held back until a non-blank line follows and
   * dropped at the end of the input, so a trailing newline or blank tail yields no rows.
   */
  dropTrailingBlank?: boolean;
};

const NEWLINE = 0x0a;

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round(n / (1024 * 1024))} MiB` : `${Math.round(n / 1024)} KiB`;
}

/**
 * Splits `chunks` (already BOM-stripped Buffers) into lines.
 * @returns batches of lines, in order; never an empty batch
 */
export async function* readLines(chunks: AsyncIterable<Buffer>, options: LineOptions = {}): AsyncGenerator<Line[]> {
  const maxLineBytes = options.maxLineBytes ?? MAX_ROW_BYTES;
  const dropTrailingBlank = options.dropTrailingBlank ?? false;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let parts: Buffer[] = [];
  let partsLength = 0;
  let tooLong = false;
  let lineNo = 0;
  let heldBlank: Line[] = [];

  const finish = (tail: Buffer, eol: Line['eol']): Line => {
    lineNo += 1;
    if (tooLong || partsLength + tail.length > maxLineBytes) {
      parts = [];
      partsLength = 0;
      tooLong = false;
      return {
        line: lineNo,
        text: null,
        eol,
        error: `line ${lineNo} is longer than the ${formatBytes(maxLineBytes)} limit for one row; it was skipped`,
      };
    }
    let bytes = parts.length === 0 ? tail : Buffer.concat([...parts, tail], partsLength + tail.length);
    parts = [];
    partsLength = 0;
    let ending = eol;
    if (eol === '\n' && bytes.length > 0 && bytes[bytes.length - 1] === 0x0d) {
      bytes = bytes.subarray(0, bytes.length - 1);
      ending = '\r\n';
    }
    try {
      return { line: lineNo, text: decoder.decode(bytes), eol: ending };
    } catch {
      return {
        line: lineNo,
        text: null,
        eol: ending,
        error: `line ${lineNo} is not valid UTF-8 text (${describeBadByte(bytes)}); convert the input to UTF-8`,
      };
    }
  };

  const emit = (batch: Line[], line: Line): void => {
    if (!dropTrailingBlank) {
      batch.push(line);
      return;
    }
    if (line.error === undefined && line.text !== null && line.text.trim() === '') {
      heldBlank.push(line);
      return;
    }
    if (heldBlank.length > 0) {
      batch.push(...heldBlank);
      heldBlank = [];
    }
    batch.push(line);
  };

  for await (const chunk of chunks) {
    const batch: Line[] = [];
    let pos = 0;
    while (pos < chunk.length) {
      const nl = chunk.indexOf(NEWLINE, pos);
      if (nl === -1) {
        const rest = chunk.subarray(pos);
        if (tooLong || partsLength + rest.length > maxLineBytes) {
          // Drop the bytes of an over-long line as they arrive: memory stays bounded.
          tooLong = true;
          parts = [];
          partsLength = 0;
        } else {
          // Copy: the caller may reuse the chunk's memory.
          parts.push(Buffer.from(rest));
          partsLength += rest.length;
        }
        break;
      }
      emit(batch, finish(chunk.subarray(pos, nl), '\n'));
      pos = nl + 1;
    }
    if (batch.length > 0) yield batch;
  }
  if (partsLength > 0 || tooLong) {
    const batch: Line[] = [];
    emit(batch, finish(Buffer.alloc(0), ''));
    if (batch.length > 0) yield batch;
  }
}

/** Names the first byte that is not valid UTF-8, for error messages. */
function describeBadByte(bytes: Buffer): string {
  // Binary search for the longest prefix that is valid UTF-8 (a cut inside a character is fine
  // with `stream: true`); validity of prefixes is monotone. Fresh decoder per probe: no state.
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  // `lo` bytes decode when the last character may be incomplete. If it is incomplete, the bad
  // sequence starts at that character's lead byte; otherwise the byte at `lo` is the bad one.
  let at = lo;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, lo));
  } catch {
    while (at > 0 && (bytes[at - 1] & 0xc0) === 0x80) at--;
    if (at > 0) at--;
  }
  at = Math.min(at, bytes.length - 1);
  return `byte 0x${bytes[at].toString(16).padStart(2, '0')} at byte offset ${at}`;
}
