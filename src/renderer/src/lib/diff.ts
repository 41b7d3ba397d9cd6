/**
 * @file Word-level diff between a prompt and its cleaned version, as segments the views render.
 * When the cleaned text is exactly the original with the findings' edits applied (the
 * deterministic path), segments follow the findings, so a redaction is one `redacted` segment
 * (value → placeholder) and a removal one `removed` segment. Otherwise (a rewrite changed more),
 * the `diff` package's word diff is used, and a removal directly followed by a placeholder is
 * shown as a redaction.
 */
import { diffWords } from 'diff';
import type { Finding } from '../../../shared/result';

export type DiffSegment =
  | { kind: 'equal'; text: string }
  | { kind: 'removed'; text: string; category?: string }
  | { kind: 'added'; text: string }
  | { kind: 'redacted'; text: string; replacement: string; category?: string };

const PLACEHOLDER = /\[[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_\d+\]/;

/** Findings that changed the text, in order, without overlaps. */
function appliedEdits(findings: Finding[]): Finding[] {
  const edits = findings
    .filter((f) => (f.action === 'redact' || f.action === 'remove') && f.replacement !== null && f.end > f.start)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Finding[] = [];
  let last = -1;
  for (const f of edits) {
    if (f.start >= last) {
      out.push(f);
      last = f.end;
    }
  }
  return out;
}

function fromFindings(original: string, cleaned: string, findings: Finding[]): DiffSegment[] | null {
  const edits = appliedEdits(findings);
  const segments: DiffSegment[] = [];
  let pos = 0;
  let rebuilt = '';
  for (const f of edits) {
    if (f.end > original.length) return null;
    if (f.start > pos) {
      segments.push({ kind: 'equal', text: original.slice(pos, f.start) });
      rebuilt += original.slice(pos, f.start);
    }
    const text = original.slice(f.start, f.end);
    const replacement = f.replacement ?? '';
    if (replacement === '') segments.push({ kind: 'removed', text, category: f.category });
    else segments.push({ kind: 'redacted', text, replacement, category: f.category });
    rebuilt += replacement;
    pos = f.end;
  }
  if (pos < original.length) {
    segments.push({ kind: 'equal', text: original.slice(pos) });
    rebuilt += original.slice(pos);
  }
  return rebuilt === cleaned ? segments : null;
}

function fromWordDiff(original: string, cleaned: string): DiffSegment[] {
  const parts = diffWords(original, cleaned);
  const segments: DiffSegment[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    const next = parts[i + 1];
    if (p.removed && next?.added && PLACEHOLDER.test(next.value)) {
      segments.push({ kind: 'redacted', text: p.value, replacement: next.value });
      i++;
    } else if (p.removed) segments.push({ kind: 'removed', text: p.value });
    else if (p.added) segments.push({ kind: 'added', text: p.value });
    else segments.push({ kind: 'equal', text: p.value });
  }
  return segments;
}

/** Builds the diff segments of `original` → `cleaned`. */
export function buildDiff(original: string, cleaned: string, findings: Finding[]): DiffSegment[] {
  if (original === cleaned) return original ? [{ kind: 'equal', text: original }] : [];
  return fromFindings(original, cleaned, findings) ?? fromWordDiff(original, cleaned);
}

/** Counts of each kind of change, for summaries. */
export function diffStats(segments: DiffSegment[]): { removed: number; added: number; redacted: number } {
  const s = { removed: 0, added: 0, redacted: 0 };
  for (const seg of segments) if (seg.kind !== 'equal') s[seg.kind]++;
  return s;
}
