/**
 * @file Public surface of redaction: building the cleaned text from edits, choosing placeholders
 * through the vault, and restoring placeholders to their values.
 */
export { applyEdits, DEFAULT_REDACTION } from './apply-edits';
export type { TextEdit } from './apply-edits';
export { restorePlaceholders } from './restore';
export { assignPlaceholders, placeholderTypeOf } from './assign';
