/**
 * @file The vault port: placeholder ↔ value memory used for redaction and restore.
 */

/**
 * Remembers which value each placeholder stands for. Placeholders are `[TYPE_N]`, numbered per type;
 * the same (type, value) always gets the same placeholder within a vault session. A persisted vault
 * is one long session; `clear()` forgets everything and starts a new one (numbering restarts at 1).
 */
export interface Vault {
  /** The placeholder for `value` of `type` (e.g. `EMAIL`), creating one if the value is new. */
  placeholderFor(type: string, value: string): string;
  /** The value behind a canonical placeholder such as `[EMAIL_1]`, or undefined when unknown. */
  lookup(placeholder: string): string | undefined;
  /** Forgets every entry and starts a new session. */
  clear(): void;
  /** Number of remembered values. */
  size(): number;
}
