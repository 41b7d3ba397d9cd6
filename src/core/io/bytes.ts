/**
 * @file Byte sources for the readers: turns a Node stream (or any async iterable of chunks) into
 * Buffers, checks the start of the input (binary, UTF-16, compressed) and strips a UTF-8 BOM.
 */
import { checkTextStart, stripUtf8Bom } from './sniff';

/** Anything the readers can consume: a Node Readable, a web stream adapter, an array in tests. */
export type ByteInput = AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer | Uint8Array | string>;

function toBuffer(chunk: Buffer | Uint8Array | string): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * Yields the input as Buffers, after checking its first bytes with `checkTextStart` (throws an
 * `InputError`) and removing a UTF-8 byte-order mark. Waits for at least 4 bytes (or the end)
 * before checking, so a pipe that writes tiny chunks is still sniffed correctly.
 * @param what how to name the input in error messages
 */
export async function* textBytes(input: ByteInput, what: string): AsyncGenerator<Buffer> {
  let head: Buffer[] = [];
  let headLength = 0;
  let checked = false;
  for await (const raw of input as AsyncIterable<Buffer | Uint8Array | string>) {
    const chunk = toBuffer(raw);
    if (chunk.length === 0) continue;
    if (checked) {
      yield chunk;
      continue;
    }
    head.push(chunk);
    headLength += chunk.length;
    if (headLength < 4) continue;
    const first = head.length === 1 ? head[0] : Buffer.concat(head, headLength);
    head = [];
    checked = true;
    checkTextStart(first, what);
    const body = stripUtf8Bom(first);
    if (body.length > 0) yield body;
  }
  if (!checked && headLength > 0) {
    const first = Buffer.concat(head, headLength);
    checkTextStart(first, what);
    const body = stripUtf8Bom(first);
    if (body.length > 0) yield body;
  }
}
