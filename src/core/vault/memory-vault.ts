/**
 * @file An in-memory vault: for tests, and for hosts where the user turned persistence off.
 * Nothing is written anywhere; everything is lost when the process ends.
 */
import { formatPlaceholder, normalisePlaceholderType, parsePlaceholder } from './placeholder';
import type { Vault } from './types';

/** Creates an empty vault held in process memory. */
export function createMemoryVault(): Vault {
  const byValue = new Map<string, string>();
  const byPlaceholder = new Map<string, string>();
  const counters = new Map<string, number>();
  return {
    placeholderFor(type, value) {
      const t = normalisePlaceholderType(type);
      const key = `${t}\u0000${value}`;
      const known = byValue.get(key);
      if (known !== undefined) return known;
      const n = (counters.get(t) ?? 0) + 1;
      counters.set(t, n);
      const placeholder = formatPlaceholder(t, n);
      byValue.set(key, placeholder);
      byPlaceholder.set(placeholder, value);
      return placeholder;
    },
    lookup(placeholder) {
      return parsePlaceholder(placeholder) ? byPlaceholder.get(placeholder) : undefined;
    },
    clear() {
      byValue.clear();
      byPlaceholder.clear();
      counters.clear();
    },
    size() {
      return byPlaceholder.size;
    },
  };
}
