/**
 * @file Undo / re-apply of single edits in the workbench, as pure functions over one result: which
 * findings can be undone, the edits still applied, the result as shown once some are undone (the
 * cleaned text itself is rebuilt by the host's `engine:apply`, the same code that built it), and
 * the edits for "copy restored" (placeholders back to their values, removals kept).
 */
import type { Finding, SanitizeResult } from '../../../shared/result';

export type EditSpec = Pick<Finding, 'start' | 'end' | 'action' | 'replacement'>;

/** A finding whose edit changed the text (redacted or removed) can be undone. */
export function isUndoable(f: Finding): boolean {
  return f.action === 'redact' || f.action === 'remove';
}

const spec = (f: Finding): EditSpec => ({ start: f.start, end: f.end, action: f.action, replacement: f.replacement });

/** The edits still applied once the findings at `undone` (indexes into `findings`) are undone. */
export function appliedEdits(findings: readonly Finding[], undone: ReadonlySet<number>): EditSpec[] {
  return findings.flatMap((f, i) => (isUndoable(f) && !undone.has(i) ? [spec(f)] : []));
}

/** Edits for the restored copy: removals stay applied, redactions show their original value. */
export function restoredEdits(findings: readonly Finding[], undone: ReadonlySet<number>): EditSpec[] {
  return findings.flatMap((f, i) => (f.action === 'remove' && !undone.has(i) ? [spec(f)] : []));
}

/**
 * The result as shown with some edits undone: the new cleaned text, the undone findings reported
 * as kept (`flag`), the risk after at least the highest score of what was put back, and the
 * verdict `pass` when nothing is left changed.
 */
export function withUndone(result: SanitizeResult, undone: ReadonlySet<number>, cleaned: string): SanitizeResult {
  if (undone.size === 0) return result;
  let risk = result.risk_after;
  const findings = result.findings.map((f, i) => {
    if (!undone.has(i) || !isUndoable(f)) return f;
    risk = Math.max(risk, f.score);
    return { ...f, action: 'flag' as const, replacement: null, reason: `Kept by you (was ${f.action === 'redact' ? 'redacted' : 'removed'})${f.reason ? `. ${f.reason}` : ''}` };
  });
  const anyApplied = findings.some(isUndoable);
  return { ...result, cleaned, findings, risk_after: Math.min(1, risk), verdict: result.verdict === 'cleaned' && !anyApplied ? 'pass' : result.verdict };
}
