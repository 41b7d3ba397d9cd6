/**
 * @file The findings of one run as a table: type and category, the original text, what was done
 * (with the placeholder), and the score. Hovering a row shows the detector's reason. With
 * `onToggle`, each edit that changed the text can be undone (kept as is) or re-applied.
 */
import type { Finding } from '../../../shared/result';
import { ACTION_LABELS, categoryBase, categoryLabel, findingType, percent } from '../lib/format';

type Props = {
  findings: Finding[];
  privacy?: boolean;
  /** Indexes of findings whose edit the user undid. */
  undone?: ReadonlySet<number>;
  /** Undo / re-apply the edit of finding `index`; shows the column when given. */
  onToggle?: (index: number) => void;
};

const undoable = (f: Finding): boolean => f.action === 'redact' || f.action === 'remove';

export function FindingsList({ findings, privacy = false, undone, onToggle }: Props): React.JSX.Element {
  if (findings.length === 0) {
    return (
      <p className="empty-note" data-testid="findings-empty">
        No findings: nothing personal, secret, hidden or risky was detected.
      </p>
    );
  }
  return (
    <table className="findings" data-testid="findings-list" aria-label={`${findings.length} findings`}>
      <thead>
        <tr>
          <th scope="col">Type</th>
          <th scope="col">Text</th>
          <th scope="col">Action</th>
          <th scope="col" className="num">Score</th>
          {onToggle ? (
            <th scope="col">
              <span className="sr-only">Undo</span>
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {findings.map((f, i) => (
          <tr
            key={`${f.start}-${f.end}-${i}`}
            data-testid="finding-row"
            data-kind={f.kind}
            data-category={f.category}
            data-undone={undone?.has(i) ? 'true' : undefined}
            className={undone?.has(i) ? 'finding-undone' : undefined}
            title={f.reason ?? undefined}
          >
            <td>
              <div className="finding-type">
                <span className={`chip cat-${categoryBase(f.category)}`}>{findingType(f)}</span>
                <span className="muted small">{categoryLabel(f.category)}</span>
              </div>
            </td>
            <td className="finding-text">
              {privacy || !f.text ? <span className="muted">(not stored)</span> : <code>{f.text}</code>}
            </td>
            <td>
              <span className={`action action-${f.action}`}>{ACTION_LABELS[f.action]}</span>
              {f.replacement ? <code className="placeholder">{f.replacement}</code> : null}
            </td>
            <td className="num">
              <span className="score-bar" aria-hidden>
                <span style={{ width: percent(f.score) }} />
              </span>
              <span>{percent(f.score)}</span>
            </td>
            {onToggle ? (
              <td className="undo-cell">
                {undoable(f) || undone?.has(i) ? (
                  <button
                    type="button"
                    className="button button-ghost button-small"
                    onClick={() => onToggle(i)}
                    aria-pressed={undone?.has(i) ?? false}
                    aria-label={`${undone?.has(i) ? 'Re-apply the edit' : 'Undo the edit'} of ${findingType(f)}`}
                    data-testid="finding-undo"
                  >
                    {undone?.has(i) ? 'Re-apply' : 'Undo'}
                  </button>
                ) : null}
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
