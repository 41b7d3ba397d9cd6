/**
 * @file Mapping spans of normalized text back to the user's original characters.
 * Owns only offset arithmetic over a NormalizedText's `toOriginal` map.
 */
import type { NormalizedText } from '../engine/types';
import { invisibleKind } from './invisible';

/**
 * Maps a span [start, end) of `n.text` to the smallest span of `n.original` that produced it.
 * Invisible characters that were removed right after the span are not included, so
 * `original.slice(span.start, span.end)` is exactly what the user typed for those characters.
 */
export function toOriginalSpan(
  n: Pick<NormalizedText, 'original' | 'toOriginal'>,
  start: number,
  end: number,
): { start: number; end: number } {
  const map = n.toOriginal;
  const s = map[start];
  let e = end <= start ? s : map[end];
  // Removed invisible characters between the last kept character and the next one belong to
  // neither; trim them from the end.
  while (e > s) {
    const lo = n.original.charCodeAt(e - 1);
    let cp = lo;
    let w = 1;
    if (lo >= 0xdc00 && lo <= 0xdfff && e - 2 >= s) {
      const hi = n.original.charCodeAt(e - 2);
      if (hi >= 0xd800 && hi <= 0xdbff) {
        cp = (hi - 0xd800) * 0x400 + (lo - 0xdc00) + 0x10000;
        w = 2;
      }
    }
    if (invisibleKind(cp) === null) break;
    e -= w;
  }
  return { start: s, end: e };
}
