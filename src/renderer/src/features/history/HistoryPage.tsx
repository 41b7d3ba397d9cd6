/**
 * @file History: recent runs with full-text search, a detail view with the same diff, findings
 * and gauges as the workbench, delete one / delete all, and export (JSONL or CSV).
 */
import { useState } from 'react';
import type { HistoryEntry } from '../../../../shared/ipc';
import { api } from '../../lib/api';
import { categoryBase, categoryLabel, formatDate, preview } from '../../lib/format';
import { ResultView } from '../../components/ResultView';
import { useHistoryEntry, useHistoryList } from './useHistory';

const VERDICT_LABEL: Record<HistoryEntry['verdict'], string> = { pass: 'Passed', cleaned: 'Cleaned', blocked: 'Blocked', error: 'Error' };

function download(filename: string, mime: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

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

export function HistoryPage(): React.JSX.Element {
  const [query, setQuery] = useState('');
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
          <input type="search" className="search" placeholder="Search original and cleaned text…" value={query} onChange={(e) => setQuery(e.target.value)} aria-label="Search history" data-testid="history-search" />
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
            {query.trim() ? `No runs match “${query.trim()}”.` : 'No runs yet. Sanitized prompts appear here.'}
          </div>
        ) : (
          <ul className="history-rows" aria-busy={list.loading}>
            {rows.map((e) => (
              <Row key={e.id} entry={e} selected={e.id === selected} onSelect={() => setSelected(e.id)} />
            ))}
          </ul>
        )}
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
