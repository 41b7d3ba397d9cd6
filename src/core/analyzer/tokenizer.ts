/**
 * @file The analyzer's byte tokenizer ("utf8-bytes", see the model contract) and the offset
 * arithmetic between UTF-8 byte positions and UTF-16 offsets of the same string. Must stay
 * identical to training/diffguard_train/text.py (encode_bytes, windows); the parity test checks it.
 * Pure functions, no I/O.
 */

/** The tokenizer section of a model manifest. */
export type ByteTokenizerConfig = {
  byte_offset: number;
  pad_id: number;
  cls_id: number;
  sep_id: number;
  max_len: number;
  stride: number;
};

/** A string's UTF-8 bytes with, for every byte, the UTF-16 range of the character it belongs to. */
export type Utf8Text = {
  text: string;
  bytes: Uint8Array;
  /** charStart[b]: UTF-16 offset where the character containing byte b starts. */
  charStart: Int32Array;
  /** charEnd[b]: UTF-16 offset just after the character containing byte b. */
  charEnd: Int32Array;
};

/**
 * Encodes `text` as UTF-8 (a lone surrogate becomes U+FFFD, as TextEncoder does) and records
 * which UTF-16 character every byte came from.
 */
export function encodeUtf8(text: string): Utf8Text {
  const bytes = new Uint8Array(text.length * 3);
  const charStart = new Int32Array(text.length * 3);
  const charEnd = new Int32Array(text.length * 3);
  let n = 0;
  const push = (b: number, start: number, end: number): void => {
    bytes[n] = b;
    charStart[n] = start;
    charEnd[n] = end;
    n++;
  };
  for (let i = 0; i < text.length; ) {
    let cp = text.charCodeAt(i);
    let width = 1;
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
      const lo = text.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        cp = (cp - 0xd800) * 0x400 + (lo - 0xdc00) + 0x10000;
        width = 2;
      }
    }
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    const end = i + width;
    if (cp < 0x80) {
      push(cp, i, end);
    } else if (cp < 0x800) {
      push(0xc0 | (cp >> 6), i, end);
      push(0x80 | (cp & 0x3f), i, end);
    } else if (cp < 0x10000) {
      push(0xe0 | (cp >> 12), i, end);
      push(0x80 | ((cp >> 6) & 0x3f), i, end);
      push(0x80 | (cp & 0x3f), i, end);
    } else {
      push(0xf0 | (cp >> 18), i, end);
      push(0x80 | ((cp >> 12) & 0x3f), i, end);
      push(0x80 | ((cp >> 6) & 0x3f), i, end);
      push(0x80 | (cp & 0x3f), i, end);
    }
    i = end;
  }
  return { text, bytes: bytes.slice(0, n), charStart: charStart.slice(0, n), charEnd: charEnd.slice(0, n) };
}

/**
 * Maps a byte range [start, end) to the UTF-16 range of the characters it touches (a range that
 * cuts a multi-byte character is widened to the whole character).
 */
export function byteRangeToUtf16(t: Utf8Text, start: number, end: number): { start: number; end: number } {
  const n = t.bytes.length;
  const s = start >= n ? t.text.length : t.charStart[Math.max(0, start)];
  const e = end <= 0 ? 0 : end > n ? t.text.length : t.charEnd[end - 1];
  return { start: s, end: Math.max(s, e) };
}

/** One model window: `[CLS] bytes[start .. start+len) [SEP]` as ids. */
export type ByteWindow = {
  /** Byte offset of the window's first byte in the text. */
  start: number;
  /** Number of text bytes in the window (ids.length - 2). */
  length: number;
  ids: Int32Array;
};

/**
 * Splits bytes into windows of `max_len - 2` bytes starting every `stride` bytes, the last one
 * reaching the end; never truncates. Empty input gives one window `[CLS][SEP]`.
 */
export function byteWindows(bytes: Uint8Array, cfg: ByteTokenizerConfig): ByteWindow[] {
  const w = cfg.max_len - 2;
  const starts: number[] = [0];
  if (bytes.length > w) {
    for (let s = 0; s + w < bytes.length; ) {
      s += cfg.stride;
      starts.push(s);
    }
  }
  return starts.map((start) => {
    const length = Math.min(w, bytes.length - start);
    const ids = new Int32Array(length + 2);
    ids[0] = cfg.cls_id;
    for (let i = 0; i < length; i++) ids[i + 1] = bytes[start + i] + cfg.byte_offset;
    ids[length + 1] = cfg.sep_id;
    return { start, length, ids };
  });
}

/** Convenience: the windows of a string's UTF-8 bytes. */
export function tokenize(text: string, cfg: ByteTokenizerConfig): ByteWindow[] {
  return byteWindows(encodeUtf8(text).bytes, cfg);
}
