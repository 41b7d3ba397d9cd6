/**
 * @file The findings of one run as a table: type and category, the original text, what was done
 * (with the placeholder), and the score. Hovering a row shows the detector's reason.
 */
import type { Finding } from '../../../shared/result';
import { ACTION_LABELS, categoryBase, categoryLabel, findingType, percent } from '../lib/format';

type Props = { findings: Finding[]; privacy?: boolean };

export function FindingsList({ findings, privacy = false }: Props): React.JSX.Element {
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
        </tr>
      </thead>
      <tbody>
        {findings.map((f, i) => (
          <tr key={`${f.start}-${f.end}-${i}`} data-testid="finding-row" data-kind={f.kind} data-category={f.category} title={f.reason ?? undefined}>
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
          </tr>
        ))}
      </tbody>
    </table>
  );
}
