/**
 * @file Puts remembered values back in place of placeholders (typically in an LLM's answer).
 * Accepts the canonical `[EMAIL_1]` and, conservatively, forms a model may have reformatted:
 * other case, a space or hyphen instead of the underscore, spaces inside the brackets, markdown
 * escapes (`\[EMAIL\_1\]`) and the bare `EMAIL_1`. A reformatted or bare form is replaced only when
 * the vault knows the placeholder; only canonical unknown placeholders are reported as unknown.
 */
import type { RestoreResult } from '../engine/types';
import { formatPlaceholder, normalisePlaceholderType } from '../vault/placeholder';
import type { Vault } from '../vault/types';

const SEP = String.raw`(?:\\?_|[ -])`;
const BRACKETED = String.raw`\\?\[[ \t]*([A-Za-z][A-Za-z0-9]*(?:${SEP}[A-Za-z0-9]+)*?)${SEP}?(\d{1,9})[ \t]*\\?\]`;
// Bare form: upper case with underscores only, not touching other word characters or brackets.
const BARE = String.raw`(?<![A-Za-z0-9_\[\\])([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)_(\d{1,9})(?![A-Za-z0-9_\]])`;
const PLACEHOLDER_RE = new RegExp(`${BRACKETED}|${BARE}`, 'g');

/**
 * Replaces the placeholders in `text` with the values `vault` remembers.
 * `restored` counts replaced occurrences; `unknown` lists, once each and in order of appearance,
 * canonical placeholders (`[TYPE_N]`) the vault does not know. Everything else is left untouched.
 */
export function restorePlaceholders(text: string, vault: Pick<Vault, 'lookup'>): RestoreResult {
  let restored = 0;
  const unknown = new Set<string>();
  const out = text.replace(PLACEHOLDER_RE, (match: string, bType?: string, bNum?: string, rType?: string, rNum?: string) => {
    const isBare = rType !== undefined;
    const type = normalisePlaceholderType((isBare ? rType : bType) ?? '');
    const n = Number(isBare ? rNum : bNum);
    if (!Number.isSafeInteger(n) || n < 1) return match;
    const canonical = formatPlaceholder(type, n);
    const value = vault.lookup(canonical);
    if (value !== undefined) {
      restored++;
      return value;
    }
    if (!isBare && match === canonical) unknown.add(canonical);
    return match;
  });
  return { text: out, restored, unknown: [...unknown] };
}
