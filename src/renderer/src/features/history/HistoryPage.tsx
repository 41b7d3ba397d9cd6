/**
 * @file History: runs with full-text search, filters (verdict, category, source, date range),
 * sorting and paging; a detail view with the same diff, findings and gauges as the workbench;
 * delete one / delete all, and export (JSONL or CSV).
 */
import { useState } from 'react';
import type { HistoryEntry } from '../../../../shared/ipc';
import { api } from '../../lib/api';
import { categoryBase, categoryLabel, formatDate, preview } from '../../lib/format';
import { ResultView } from '../../components/ResultView';
import { download } from '../../lib/download';
import { EMPTY_QUERY, PAGE_SIZE, useHistoryEntry, useHistoryList, type HistoryQuery } from './useHistory';

const VERDICT_LABEL: Record<HistoryEntry['verdict'], string> = { pass: 'Passed', cleaned: 'Cleaned', blocked: 'Blocked', error: 'Error' };

function Row({ entry, selected, onSelect }: { entry: HistoryEntry; selected: boolean; onSelect: () => void }): React.JSX.Element {
  return (
    <li>
      <button type="button" className={`history-row${selected ? ' selected' : ''}`} onClick={onSelect} aria-current={selected ? 'true' : undefined} data-testid="history-row" data-id={entry.id}>
        <span className="row-between">
          <span className={`verdict-chip verdict-chip-${entry.verdict}`}>{VERDICT_LABEL[entry.verdict]}</span>
          <span className="muted small">{formatDate(entry.createdAt)}</span>
        </span>
        <span className="history-preview">{entry.text !== null ? preview(entry.text) : <em className="muted">Text not stored (privacy mode)</em>}</span>
        <span className="history-meta">
          {entry.categories.slice(0, 4).map((c) => (
            <span key={c} className={`chip chip-small cat-${categoryBase(c)}`}>
              {categoryLabel(c)}
            </span>
          ))}
          <span className="muted small">
            {entry.findings.length} finding{entry.findings.length === 1 ? '' : 's'} · {entry.source}
          </span>
        </span>
      </button>
    </li>
  );
}

const VERDICT_OPTIONS = ['pass', 'cleaned', 'blocked', 'error'] as const;
const CATEGORY_OPTIONS = ['pii', 'secret', 'obfuscation', 'jailbreak', 'injection', 'harmful'] as const;
const SOURCE_OPTIONS = ['workbench', 'http', 'cli', 'batch'] as const;
const SORTS: { value: string; label: string; sort: HistoryQuery['sort']; order: HistoryQuery['order'] }[] = [
  { value: 'new', label: 'Newest first', sort: 'created_at', order: 'desc' },
  { value: 'old', label: 'Oldest first', sort: 'created_at', order: 'asc' },
  { value: 'risk', label: 'Highest risk first', sort: 'risk_before', order: 'desc' },
  { value: 'after', label: 'Highest risk after', sort: 'risk_after', order: 'desc' },
  { value: 'verdict', label: 'By verdict', sort: 'verdict', order: 'asc' },
];

export function HistoryPage(): React.JSX.Element {
  const [query, setQueryState] = useState<HistoryQuery>(EMPTY_QUERY);
  /** Any change of the query but the page goes back to the first page. */
  const update = (patch: Partial<HistoryQuery>): void => setQueryState((q) => ({ ...q, page: 0, ...patch }));
  const [selected, setSelected] = useState<number | null>(null);
  const [confirmAll, setConfirmAll] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const list = useHistoryList(query);
  const detail = useHistoryEntry(selected);

  async function exportAs(format: 'jsonl' | 'csv'): Promise<void> {
    const r = await api.invoke('history:export', { format });
    if (r.ok) {
      setExportError(null);
      download(r.value.filename, r.value.mime, r.value.content);
    } else setExportError(r.error.message);
  }

  const rows = list.page?.rows ?? [];
  return (
    <div className="history" data-testid="history">
      <aside className="history-list card" aria-label="Runs">
        <div className="history-tools">
          <input type="search" className="search" placeholder="Search original and cleaned text…" value={query.text} onChange={(e) => update({ text: e.target.value })} aria-label="Search history" data-testid="history-search" />
          <div className="filters" role="group" aria-label="Filters">
            <select aria-label="Verdict" value={query.verdict ?? ''} onChange={(e) => update({ verdict: (e.target.value || undefined) as HistoryQuery['verdict'] })} data-testid="filter-verdict">
              <option value="">Any verdict</option>
              {VERDICT_OPTIONS.map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
            <select aria-label="Category" value={query.category ?? ''} onChange={(e) => update({ category: e.target.value || undefined })} data-testid="filter-category">
              <option value="">Any category</option>
              {CATEGORY_OPTIONS.map((c) => (
                <option key={c} value={c}>
                  {categoryLabel(c)}
                </option>
              ))}
            </select>
            <select aria-label="Source" value={query.source ?? ''} onChange={(e) => update({ source: e.target.value || undefined })} data-testid="filter-source">
              <option value="">Any source</option>
              {SOURCE_OPTIONS.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
            <select
              aria-label="Sort"
              value={SORTS.find((o) => o.sort === query.sort && o.order === query.order)?.value ?? 'new'}
              onChange={(e) => {
                const o = SORTS.find((x) => x.value === e.target.value) ?? SORTS[0]!;
                update({ sort: o.sort, order: o.order });
              }}
              data-testid="history-sort"
            >
              {SORTS.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
            <label className="date-field">
              <span className="muted small">From</span>
              <input type="date" value={query.fromDate ?? ''} onChange={(e) => update({ fromDate: e.target.value || undefined })} data-testid="filter-from" />
            </label>
            <label className="date-field">
              <span className="muted small">To</span>
              <input type="date" value={query.toDate ?? ''} onChange={(e) => update({ toDate: e.target.value || undefined })} data-testid="filter-to" />
            </label>
            {JSON.stringify({ ...query, page: 0 }) !== JSON.stringify(EMPTY_QUERY) ? (
              <button type="button" className="button button-ghost button-small" onClick={() => setQueryState(EMPTY_QUERY)} data-testid="filter-clear">
                Clear
              </button>
            ) : null}
          </div>
          <div className="row-between">
            <span className="muted small" data-testid="history-count">
              {list.page ? `${list.page.total} run${list.page.total === 1 ? '' : 's'}` : ' '}
            </span>
            <div className="row">
              <button type="button" className="button button-ghost button-small" onClick={() => void exportAs('jsonl')} disabled={!rows.length}>
                Export JSONL
              </button>
              <button type="button" className="button button-ghost button-small" onClick={() => void exportAs('csv')} disabled={!rows.length}>
                Export CSV
              </button>
              {confirmAll ? (
                <span className="confirm">
                  <button
                    type="button"
                    className="button button-danger button-small"
                    data-testid="confirm-delete-all"
                    onClick={() => {
                      setConfirmAll(false);
                      setSelected(null);
                      void list.removeAll();
                    }}
                  >
                    Delete all
                  </button>
                  <button type="button" className="button button-ghost button-small" onClick={() => setConfirmAll(false)}>
                    Cancel
                  </button>
                </span>
              ) : (
                <button type="button" className="button button-ghost button-small" onClick={() => setConfirmAll(true)} disabled={!rows.length} data-testid="delete-all">
                  Delete all…
                </button>
              )}
            </div>
          </div>
        </div>
        {list.error || exportError ? (
          <p className="error-note" role="alert" data-testid="history-error">
            {list.error ?? exportError}
          </p>
        ) : null}
        {list.loading && !list.page ? (
          <div className="placeholder-panel small-panel">
            <div className="spinner" aria-hidden />
            Loading history…
          </div>
        ) : rows.length === 0 && !list.error ? (
          <div className="placeholder-panel small-panel" data-testid="history-empty">
            {query.text.trim() ? `No runs match “${query.text.trim()}”.` : JSON.stringify({ ...query, page: 0 }) !== JSON.stringify(EMPTY_QUERY) ? 'No runs match these filters.' : 'No runs yet. Sanitized prompts appear here.'}
          </div>
        ) : (
          <ul className="history-rows" aria-busy={list.loading}>
            {rows.map((e) => (
              <Row key={e.id} entry={e} selected={e.id === selected} onSelect={() => setSelected(e.id)} />
            ))}
          </ul>
        )}
        {list.page && list.page.total > PAGE_SIZE ? (
          <nav className="row-between pager history-pager" aria-label="Pages">
            <button type="button" className="button button-ghost button-small" disabled={query.page === 0} onClick={() => setQueryState((q) => ({ ...q, page: q.page - 1 }))} data-testid="history-prev">
              ← Newer
            </button>
            <span className="muted small" data-testid="history-page">
              Page {query.page + 1} of {Math.ceil(list.page.total / PAGE_SIZE)}
            </span>
            <button
              type="button"
              className="button button-ghost button-small"
              disabled={(query.page + 1) * PAGE_SIZE >= list.page.total}
              onClick={() => setQueryState((q) => ({ ...q, page: q.page + 1 }))}
              data-testid="history-next"
            >
              Older →
            </button>
          </nav>
        ) : null}
      </aside>
      <section className="history-detail" aria-label="Run detail" data-testid="history-detail">
        {selected === null ? (
          <div className="placeholder-panel">
            <h3>Select a run</h3>
            <p className="muted">Pick a run on the left to see its diff, findings and scores.</p>
          </div>
        ) : detail.loading && !detail.entry ? (
          <div className="placeholder-panel">
            <div className="spinner" aria-hidden />
            Loading…
          </div>
        ) : detail.error || !detail.entry ? (
          <p className="error-note" role="alert">
            {detail.error ?? 'Not found.'}
          </p>
        ) : (
          <>
            <div className="row-between detail-head">
              <div>
                <h2>Run #{detail.entry.id}</h2>
                <p className="muted small">
                  {formatDate(detail.entry.createdAt)} · {detail.entry.source}
                  {detail.entry.policy ? ` · ${detail.entry.policy} policy` : ''} · {Math.round(detail.entry.elapsed_ms)} ms
                </p>
              </div>
              <button
                type="button"
                className="button button-danger"
                data-testid="delete-run"
                onClick={() => {
                  const id = detail.entry!.id;
                  setSelected(null);
                  void list.remove(id);
                }}
              >
                Delete
              </button>
            </div>
            <ResultView original={detail.entry.text} result={{ ...detail.entry, cleaned: detail.entry.cleaned ?? '', suggestion: detail.entry.suggestion ?? undefined, error: detail.entry.error ?? undefined }} />
          </>
        )}
      </section>
    </div>
  );
}
