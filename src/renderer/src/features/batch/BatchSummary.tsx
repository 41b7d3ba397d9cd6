/**
 * @file What a batch job found: counts by verdict and category, the risk histogram and the most
 * common finding types. Works on a finished job and on the rows done so far of a stopped one.
 */
import type { BatchSummary as Summary } from '../../../../shared/ipc';
import { categoryBase, categoryLabel } from '../../lib/format';
import { RiskHistogram } from './RiskHistogram';

const VERDICTS = [
  ['pass', 'Passed'],
  ['cleaned', 'Cleaned'],
  ['blocked', 'Blocked'],
  ['error', 'Errors'],
] as const;

export function BatchSummary({ summary }: { summary: Summary }): React.JSX.Element {
  const nf = new Intl.NumberFormat();
  return (
    <section className="card" aria-labelledby="batch-summary-title" data-testid="batch-summary">
      <header className="card-header">
        <h3 id="batch-summary-title">
          Summary <span className="count">{nf.format(summary.rows)} rows</span>
        </h3>
      </header>
      <div className="summary-grid">
        <div>
          <h4 className="subhead">By verdict</h4>
          <ul className="verdict-counts">
            {VERDICTS.map(([v, label]) => (
              <li key={v} className={`vcount vcount-${v}`} data-testid={`count-${v}`} data-count={summary.byVerdict[v]}>
                <span className="vcount-number">{nf.format(summary.byVerdict[v])}</span>
                <span className="muted small">{label}</span>
              </li>
            ))}
          </ul>
          <h4 className="subhead">By category</h4>
          {summary.byCategory.length === 0 ? (
            <p className="empty-note">No categories: nothing was found.</p>
          ) : (
            <ul className="chip-list" data-testid="category-counts">
              {summary.byCategory.map((c) => (
                <li key={c.category}>
                  <span className={`chip cat-${categoryBase(c.category)}`}>{categoryLabel(c.category)}</span> <strong>{nf.format(c.count)}</strong>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div>
          <h4 className="subhead">Risk</h4>
          <RiskHistogram bins={summary.riskHistogram} />
        </div>
        <div>
          <h4 className="subhead">Most common findings</h4>
          {summary.topKinds.length === 0 ? (
            <p className="empty-note">No findings.</p>
          ) : (
            <ol className="top-kinds" data-testid="top-kinds">
              {summary.topKinds.map((k) => (
                <li key={k.kind}>
                  <code>{k.kind}</code> <span className="muted">× {nf.format(k.count)}</span>
                </li>
              ))}
            </ol>
          )}
        </div>
      </div>
    </section>
  );
}
