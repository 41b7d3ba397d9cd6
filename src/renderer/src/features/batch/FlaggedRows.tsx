/**
 * @file The flagged rows of a batch job (every verdict but "pass"), paged; opening a row shows
 * its verdict, diff and findings with the same components as the workbench.
 */
import { useEffect, useState } from 'react';
import type { BatchRow } from '../../../../shared/ipc';
import type { SanitizeResult } from '../../../../shared/result';
import { api } from '../../lib/api';
import { preview } from '../../lib/format';
import { ResultView } from '../../components/ResultView';

const PAGE = 20;

/** Error rows carry null scores over the wire; the result view wants numbers. */
const toResult = (r: BatchRow['result']): SanitizeResult => ({
  ...r,
  risk_before: r.risk_before ?? 0,
  risk_after: r.risk_after ?? 0,
  semantic: r.semantic ?? 0,
});

export function FlaggedRows({ jobId, version }: { jobId: string; version: number }): React.JSX.Element {
  const [page, setPage] = useState(0);
  const [data, setData] = useState<{ rows: BatchRow[]; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<number | null>(null);

  useEffect(() => {
    let cancelled = false;
    void api.invoke('batch:rows', { jobId, flaggedOnly: true, limit: PAGE, offset: page * PAGE }).then((r) => {
      if (cancelled) return;
      if (r.ok) {
        setData(r.value);
        setError(null);
      } else setError(r.error.message);
    });
    return () => {
      cancelled = true;
    };
  }, [jobId, page, version]);

  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE)) : 1;
  return (
    <section className="card" aria-labelledby="flagged-title" data-testid="flagged-rows">
      <header className="card-header row-between">
        <h3 id="flagged-title">
          Flagged rows <span className="count">{data?.total ?? '…'}</span>
        </h3>
        {data && data.total > PAGE ? (
          <div className="row pager">
            <button type="button" className="button button-ghost button-small" disabled={page === 0} onClick={() => setPage(page - 1)}>
              Previous
            </button>
            <span className="muted small">
              Page {page + 1} of {pages}
            </span>
            <button type="button" className="button button-ghost button-small" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>
              Next
            </button>
          </div>
        ) : null}
      </header>
      {error ? (
        <p className="error-note" role="alert">
          {error}
        </p>
      ) : !data ? (
        <p className="empty-note">Loading…</p>
      ) : data.rows.length === 0 ? (
        <p className="empty-note" data-testid="flagged-empty">
          No flagged rows: every row passed unchanged.
        </p>
      ) : (
        <ul className="flagged-list">
          {data.rows.map((row) => (
            <li key={row.index} className={open === row.index ? 'flagged open' : 'flagged'}>
              <button
                type="button"
                className="flagged-head"
                aria-expanded={open === row.index}
                onClick={() => setOpen(open === row.index ? null : row.index)}
                data-testid="flagged-row"
                data-verdict={row.result.verdict}
              >
                <span className="muted small mono">#{row.index + 1}</span>
                <span className={`state-chip verdict-chip-${row.result.verdict}`}>{row.result.verdict}</span>
                <span className="flagged-text">{preview(row.text, 140)}</span>
              </button>
              {open === row.index ? (
                <div className="flagged-detail" data-testid="flagged-detail">
                  <ResultView original={row.text} result={toResult(row.result)} />
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
