/**
 * @file The invisible-character removal set shared with the Python training pipeline
 * (training/ must strip exactly the same code points, so keep this list and its order stable).
 * Owns classification of one code point; it does not scan text (normalize.ts does).
 */

/** Kind of an invisible character, used as the `kind` of its obfuscation detection. */
export type InvisibleKind = 'zero_width' | 'bidi_control' | 'unicode_tag' | 'variation_selector';

/** One inclusive code-point range removed by normalization. */
export type InvisibleRange = { readonly from: number; readonly to: number; readonly kind: InvisibleKind };

/**
 * Every code point that normalize() removes, as inclusive ranges. The Python training pipeline uses
 * exactly this set; change both together.
 */
export const INVISIBLE_RANGES: readonly InvisibleRange[] = [
  { from: 0x200b, to: 0x200f, kind: 'zero_width' },
  { from: 0x2060, to: 0x2064, kind: 'zero_width' },
  { from: 0xfeff, to: 0xfeff, kind: 'zero_width' },
  { from: 0x180e, to: 0x180e, kind: 'zero_width' },
  { from: 0x00ad, to: 0x00ad, kind: 'zero_width' },
  { from: 0x202a, to: 0x202e, kind: 'bidi_control' },
  { from: 0x2066, to: 0x2069, kind: 'bidi_control' },
  { from: 0xe0000, to: 0xe007f, kind: 'unicode_tag' },
  { from: 0xfe00, to: 0xfe0f, kind: 'variation_selector' },
  { from: 0xe0100, to: 0xe01ef, kind: 'variation_selector' },
];

/** Returns the invisible kind of a code point, or null when it is kept. */
export function invisibleKind(cp: number): InvisibleKind | null {
  // Fast path: nothing below U+00AD and nothing in U+00AE..U+180D is in the set.
  if (cp < 0xad || (cp > 0xad && cp < 0x180e)) return null;
  for (const r of INVISIBLE_RANGES) {
    if (cp >= r.from && cp <= r.to) return r.kind;
  }
  return null;
}
