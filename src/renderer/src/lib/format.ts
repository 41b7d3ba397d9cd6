/**
 * @file Display helpers: labels for categories, kinds and actions, percentages, dates.
 */
import type { Finding } from '../../../shared/result';

const CATEGORY_LABELS: Record<string, string> = {
  pii: 'Personal data',
  secret: 'Secret',
  obfuscation: 'Hidden characters',
  jailbreak: 'Jailbreak',
  injection: 'Injected instruction',
  harmful: 'Harmful request',
};

/** "Personal data", "Harmful request: cyber attack", … */
export function categoryLabel(category: string): string {
  const [base, sub] = category.split(':');
  const label = CATEGORY_LABELS[base] ?? base;
  return sub ? `${label}: ${sub.replace(/_/g, ' ')}` : label;
}

/** The base category, used for colours (`harmful:hate` → `harmful`). */
export function categoryBase(category: string): string {
  return category.split(':')[0];
}

/** The type shown for a finding: the placeholder's type when redacted (EMAIL, CARD), else the kind. */
export function findingType(f: Finding): string {
  const m = f.replacement ? /^\[([A-Z][A-Z0-9_]*?)_\d+\]$/.exec(f.replacement) : null;
  return m ? m[1] : f.kind.toUpperCase();
}

export const ACTION_LABELS: Record<Finding['action'], string> = {
  redact: 'Redacted',
  remove: 'Removed',
  block: 'Blocked',
  flag: 'Flagged',
};

export function percent(v: number): string {
  return `${Math.round(v * 100)}%`;
}

export function formatDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** Shortens a text for one-line previews. */
export function preview(text: string, max = 120): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
