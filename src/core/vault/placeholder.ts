/**
 * @file The placeholder format `[TYPE_N]`: normalising a detector's type name and parsing and
 * formatting canonical placeholders. Pure functions, shared by the vaults and src/core/redact.
 */

const CANONICAL_RE = /^\[([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)_([1-9][0-9]*)\]$/;

/**
 * Normalises a placeholder type to upper-case letters, digits and single underscores
 * (`credit card` → `CREDIT_CARD`). A type that has no letter to start with becomes `REDACTED`.
 */
export function normalisePlaceholderType(type: string): string {
  const t = type
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return /^[A-Z]/.test(t) ? t : 'REDACTED';
}

/** `[TYPE_N]` for an already normalised type. */
export function formatPlaceholder(type: string, n: number): string {
  return `[${type}_${n}]`;
}

/** Splits a canonical placeholder `[TYPE_N]` into its parts, or undefined when it is not one. */
export function parsePlaceholder(placeholder: string): { type: string; n: number } | undefined {
  const m = CANONICAL_RE.exec(placeholder);
  if (!m) return undefined;
  const n = Number(m[2]);
  return Number.isSafeInteger(n) ? { type: m[1]!, n } : undefined;
}
