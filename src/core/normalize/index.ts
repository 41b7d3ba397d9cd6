/**
 * @file Public surface of the normalize stage (see normalize.ts).
 */
export { normalize } from './normalize';
export { INVISIBLE_RANGES, invisibleKind, type InvisibleKind, type InvisibleRange } from './invisible';
export { toOriginalSpan } from './offsets';
export { foldForAnalysis, HOMOGLYPHS } from './fold';
export { decodeEmbedded, isReadableText, ENCODED_SCORE, MIN_BASE64_LENGTH, MIN_HEX_DIGITS, WHOLE_TEXT_ENCODINGS } from './decode';
