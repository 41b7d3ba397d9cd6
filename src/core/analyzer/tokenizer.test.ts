import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byteRangeToUtf16, byteWindows, encodeUtf8, tokenize } from './tokenizer';

const CFG = { byte_offset: 4, pad_id: 0, cls_id: 1, sep_id: 2, max_len: 512, stride: 384 };
const SMALL = { ...CFG, max_len: 10, stride: 6 }; // windows of 8 bytes, overlap 2

describe('encodeUtf8', () => {
  it('agrees with TextEncoder on any string, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        expect(Array.from(encodeUtf8(s).bytes)).toEqual(Array.from(new TextEncoder().encode(s)));
      }),
    );
  });

  it('records the UTF-16 character of every byte', () => {
    const t = encodeUtf8('é🦖a');
    // é = 2 bytes (UTF-16 0..1), 🦖 = 4 bytes (UTF-16 1..3), a = 1 byte (3..4)
    expect(Array.from(t.charStart)).toEqual([0, 0, 1, 1, 1, 1, 3]);
    expect(Array.from(t.charEnd)).toEqual([1, 1, 3, 3, 3, 3, 4]);
  });
});

describe('byteRangeToUtf16', () => {
  const t = encodeUtf8('Zoë lives at 🏠 12 Rue Neuve');
  it('maps whole characters exactly', () => {
    const bytes = new TextEncoder().encode('Zoë').length;
    expect(byteRangeToUtf16(t, 0, bytes)).toEqual({ start: 0, end: 3 });
  });
  it('widens a range that cuts a multi-byte character', () => {
    const houseByte = new TextEncoder().encode('Zoë lives at ').length;
    const r = byteRangeToUtf16(t, houseByte + 1, houseByte + 2);
    expect(t.text.slice(r.start, r.end)).toBe('🏠');
  });
});

describe('tokenize / byteWindows', () => {
  it('wraps the UTF-8 bytes in CLS/SEP with byte ids offset by 4', () => {
    const [w] = tokenize('Hé', CFG);
    expect(Array.from(w.ids)).toEqual([1, 0x48 + 4, 0xc3 + 4, 0xa9 + 4, 2]);
    expect(w.start).toBe(0);
    expect(w.length).toBe(3);
  });

  it('gives one [CLS][SEP] window for empty text', () => {
    expect(tokenize('', CFG).map((w) => Array.from(w.ids))).toEqual([[1, 2]]);
  });

  it('keeps a text of exactly max_len - 2 bytes in one window', () => {
    expect(byteWindows(new Uint8Array(510), CFG)).toHaveLength(1);
    expect(byteWindows(new Uint8Array(511), CFG)).toHaveLength(2);
  });

  it('splits long texts into overlapping windows that cover every byte (never truncates)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 60 }), (bytes) => {
        const windows = byteWindows(bytes, SMALL);
        const covered = new Uint8Array(bytes.length);
        windows.forEach((w, k) => {
          expect(w.start).toBe(k * SMALL.stride);
          expect(w.length).toBeLessThanOrEqual(SMALL.max_len - 2);
          expect(w.ids[0]).toBe(1);
          expect(w.ids[w.ids.length - 1]).toBe(2);
          for (let i = 0; i < w.length; i++) {
            expect(w.ids[i + 1]).toBe(bytes[w.start + i] + 4);
            covered[w.start + i] = 1;
          }
        });
        expect(covered.every((c) => c === 1)).toBe(true);
        // The last window reaches the end, and no window is redundant.
        const last = windows[windows.length - 1];
        expect(last.start + last.length).toBe(bytes.length);
        if (windows.length > 1) expect(windows[windows.length - 2].start + SMALL.max_len - 2).toBeLessThan(bytes.length);
      }),
    );
  });

  it('splits a 1,520-byte e-mail into 4 windows of the real config', () => {
    const text = 'Dear team, please find the quarterly report attached. '.repeat(30).slice(0, 1520);
    expect(text.length).toBe(1520);
    const windows = tokenize(text, CFG);
    expect(windows.map((w) => [w.start, w.length])).toEqual([
      [0, 510],
      [384, 510],
      [768, 510],
      [1152, 368],
    ]);
  });
});
