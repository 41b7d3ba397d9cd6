/**
 * @file The verdict of a run in one sentence: passed unchanged, cleaned (what changed), blocked
 * (why), or an error; with the engine's "did you mean" suggestion when it offers one.
 */
import type { SanitizeResult } from '../../../shared/result';
import { ACTION_LABELS, categoryLabel, findingType } from '../lib/format';

type Props = { result: Pick<SanitizeResult, 'verdict' | 'findings' | 'categories' | 'suggestion' | 'error'>; onUseSuggestion?: (text: string) => void };

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** One sentence describing what changed, e.g. "Redacted 2 items (EMAIL, CARD) and removed 1 hidden character." */
export function describeChanges(findings: Props['result']['findings']): string {
  const byAction = new Map<string, Set<string>>();
  const counts = new Map<string, number>();
  for (const f of findings) {
    if (f.action === 'flag' || f.action === 'block') continue;
    const types = byAction.get(f.action) ?? new Set<string>();
    types.add(findingType(f));
    byAction.set(f.action, types);
    counts.set(f.action, (counts.get(f.action) ?? 0) + 1);
  }
  const parts: string[] = [];
  for (const [action, types] of byAction) {
    const n = counts.get(action) ?? 0;
    parts.push(`${ACTION_LABELS[action as 'redact' | 'remove'].toLowerCase()} ${n} ${n === 1 ? 'item' : 'items'} (${[...types].join(', ')})`);
  }
  if (parts.length === 0) return 'The text was rewritten.';
  const sentence = list(parts);
  return `${sentence[0].toUpperCase()}${sentence.slice(1)}.`;
}

export function VerdictBanner({ result, onUseSuggestion }: Props): React.JSX.Element {
  const { verdict } = result;
  let title: string;
  let detail: string;
  if (verdict === 'pass') {
    title = 'Passed unchanged';
    detail = result.findings.length ? `Nothing needed changing; ${result.findings.length} item(s) flagged for your review.` : 'Nothing personal, secret, hidden or risky was found. Safe to send as is.';
  } else if (verdict === 'cleaned') {
    title = 'Cleaned';
    detail = describeChanges(result.findings);
  } else if (verdict === 'blocked') {
    const cats = result.categories.length ? list(result.categories.map(categoryLabel)) : 'a blocked category';
    title = 'Blocked';
    detail = `This request was not cleaned because it falls under ${cats}.`;
  } else {
    title = 'Could not process';
    detail = result.error ?? 'The engine returned an error for this text.';
  }
  return (
    <div className={`verdict verdict-${verdict}`} role="status" data-testid="verdict-banner" data-verdict={verdict}>
      <span className="verdict-icon" aria-hidden>
        {verdict === 'pass' ? '✓' : verdict === 'cleaned' ? '✎' : verdict === 'blocked' ? '⊘' : '!'}
      </span>
      <div>
        <strong className="verdict-title">{title}</strong>
        <span className="verdict-detail">{detail}</span>
        {result.suggestion ? (
          <span className="verdict-suggestion" data-testid="verdict-suggestion">
            Did you mean: “{result.suggestion}”
            {onUseSuggestion ? (
              <button type="button" className="link-button" onClick={() => onUseSuggestion(result.suggestion ?? '')}>
                Use it
              </button>
            ) : null}
          </span>
        ) : null}
      </div>
    </div>
  );
}
