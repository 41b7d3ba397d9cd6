/**
 * @file The batch view: drop a CSV anywhere on the view (or choose one: a file picker, and in the
 * desktop app the native dialog or File → Open CSV…), preview its first rows, pick the text
 * column (guessed as the CLI does), start; follow the job's progress with pause / resume /
 * cancel; when it stops, the summary, the flagged rows with their diffs, and the exports.
 * Earlier jobs (including ones interrupted by a quit) are listed and can be reopened or resumed.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BatchJob, BatchPreview, BatchSummary as Summary } from '../../../../shared/ipc';
import type { PolicyName } from '../../../../shared/result';
import { api, transport, uploadFile, watchBatchJob } from '../../lib/api';
import { formatDate } from '../../lib/format';
import { BatchSummary } from './BatchSummary';
import { ExportPanel } from './ExportPanel';
import { FlaggedRows } from './FlaggedRows';
import { ProgressPanel } from './ProgressPanel';

type Props = { policy: PolicyName };

/** The CLI's notes, minus the hint about its --column flag (the picker above replaces it). */
export function uiNote(note: string): string {
  return note.replace(/\s*\((?:choose|pick) another with --column[^)]*\)/, '').replace(/;\s*$/, '');
}

export function BatchPage({ policy }: Props): React.JSX.Element {
  const [dragging, setDragging] = useState(false);
  const [loading, setLoading] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [preview, setPreview] = useState<BatchPreview | null>(null);
  const [column, setColumn] = useState(0);
  const [job, setJob] = useState<BatchJob | null>(null);
  const [busy, setBusy] = useState(false);
  const [summary, setSummary] = useState<Summary | null>(null);
  const [jobs, setJobs] = useState<BatchJob[] | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const dragDepth = useRef(0);

  const refreshJobs = useCallback(() => {
    void api.invoke('batch:list', {}).then((r) => setJobs(r.ok ? r.value : []));
  }, []);
  useEffect(refreshJobs, [refreshJobs]);

  const openPreview = useCallback(async (fileId: string) => {
    setLoading('Reading the file…');
    setError(null);
    const r = await api.invoke('batch:preview', { fileId });
    setLoading(null);
    if (!r.ok) {
      setError(r.error.message);
      return;
    }
    if (r.value.header.length === 0) {
      setError(`${r.value.name} is empty: there is nothing to clean.`);
      return;
    }
    setJob(null);
    setSummary(null);
    setPreview(r.value);
    setColumn(Math.max(0, r.value.textColumn));
  }, []);

  useEffect(() => api.on('batch:fileOpened', (f) => void openPreview(f.fileId)), [openPreview]);

  async function takeFile(file: File): Promise<void> {
    setLoading(`Uploading ${file.name}…`);
    setError(null);
    const r = await uploadFile(file);
    setLoading(null);
    if (!r.ok) setError(r.error.message);
    else await openPreview(r.value.fileId);
  }

  async function nativeDialog(): Promise<void> {
    const r = await api.invoke('dialog:openFile', {});
    if (!r.ok) setError(r.error.message);
    else if (r.value) await openPreview(r.value.fileId);
  }

  async function start(): Promise<void> {
    if (!preview) return;
    setBusy(true);
    const r = await api.invoke('batch:start', { fileId: preview.fileId, textColumn: column, policy });
    setBusy(false);
    if (!r.ok) {
      setError(r.error.message);
      return;
    }
    setPreview(null);
    setJob(r.value);
  }

  // Follow the open job while it can still change.
  const jobId = job?.jobId ?? null;
  useEffect(() => {
    if (!jobId) return;
    return watchBatchJob(jobId, (j) => setJob(j));
  }, [jobId]);

  // Summary of a stopped job, refreshed when it stops.
  const state = job?.state;
  const done = job?.done;
  useEffect(() => {
    if (!jobId || state === 'running') return;
    let cancelled = false;
    void api.invoke('batch:summary', { jobId }).then((r) => {
      if (!cancelled && r.ok) setSummary(r.value);
    });
    refreshJobs();
    return () => {
      cancelled = true;
    };
  }, [jobId, state, done, refreshJobs]);

  async function control(kind: 'batch:pause' | 'batch:resume' | 'batch:cancel'): Promise<void> {
    if (!job) return;
    setBusy(true);
    const r = await api.invoke(kind, { jobId: job.jobId });
    setBusy(false);
    if (r.ok) {
      if (kind === 'batch:resume') setSummary(null);
      setJob(r.value);
    } else setError(r.error.message);
  }

  function onDrop(e: React.DragEvent): void {
    e.preventDefault();
    dragDepth.current = 0;
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file) void takeFile(file);
  }

  return (
    <div
      className={dragging ? 'batch dragging' : 'batch'}
      data-testid="batch-page"
      onDragEnter={(e) => {
        if (!e.dataTransfer.types.includes('Files')) return;
        dragDepth.current += 1;
        setDragging(true);
      }}
      onDragLeave={() => {
        dragDepth.current = Math.max(0, dragDepth.current - 1);
        if (dragDepth.current === 0) setDragging(false);
      }}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes('Files')) e.preventDefault();
      }}
      onDrop={onDrop}
    >
      <input
        ref={inputRef}
        type="file"
        accept=".csv,.tsv,.txt,text/csv"
        className="sr-only"
        tabIndex={-1}
        aria-hidden
        data-testid="batch-file-input"
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) void takeFile(f);
        }}
      />
      <section className="card drop-zone" aria-labelledby="drop-title" data-testid="drop-zone">
        <div className="drop-inner">
          <svg viewBox="0 0 24 24" width="28" height="28" aria-hidden focusable="false" className="drop-icon">
            <path d="M12 16V4m0 0-4 4m4-4 4 4M4 16v3a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-3" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
          <div>
            <h2 id="drop-title" className="drop-title">
              {dragging ? 'Drop the CSV to preview it' : 'Clean a CSV file'}
            </h2>
            <p className="muted small">Drop a CSV anywhere here, or choose one. Nothing leaves this machine.</p>
          </div>
          <div className="row">
            <button type="button" className="button button-primary" onClick={() => inputRef.current?.click()} data-testid="batch-choose">
              Choose file…
            </button>
            {transport === 'electron' ? (
              <button type="button" className="button button-secondary" onClick={() => void nativeDialog()} data-testid="batch-open-dialog">
                Open…
              </button>
            ) : null}
          </div>
        </div>
        {loading ? (
          <p className="muted small" role="status" data-testid="batch-loading">
            <span className="spinner" aria-hidden /> {loading}
          </p>
        ) : null}
        {error ? (
          <p className="error-note" role="alert" data-testid="batch-error">
            {error}
          </p>
        ) : null}
      </section>

      {preview ? (
        <section className="card" aria-labelledby="preview-title" data-testid="batch-preview">
          <header className="card-header row-between">
            <h3 id="preview-title">
              {preview.name} <span className="count">first {preview.rows.length} rows</span>
            </h3>
            <div className="row">
              <label className="field-inline">
                <span>Text column</span>
                <select value={column} onChange={(e) => setColumn(Number(e.target.value))} data-testid="batch-column">
                  {preview.header.map((h, i) => (
                    <option key={i} value={i}>
                      {h || `(column ${i + 1})`}
                      {i === preview.textColumn ? ' — guessed' : ''}
                    </option>
                  ))}
                </select>
              </label>
              <button type="button" className="button button-secondary" onClick={() => setPreview(null)}>
                Discard
              </button>
              <button type="button" className="button button-primary" onClick={() => void start()} disabled={busy} data-testid="batch-start">
                Start cleaning
              </button>
            </div>
          </header>
          {preview.notes.length ? <p className="muted small notes">{preview.notes.map(uiNote).join(' · ')}</p> : null}
          <div className="table-scroll">
            <table className="preview-table">
              <thead>
                <tr>
                  {preview.header.map((h, i) => (
                    <th key={i} scope="col" className={i === column ? 'picked' : undefined}>
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((r, ri) => (
                  <tr key={ri}>
                    {preview.header.map((_, i) => (
                      <td key={i} className={i === column ? 'picked' : undefined}>
                        {r[i] ?? ''}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      {job ? (
        <ProgressPanel job={job} busy={busy} onPause={() => void control('batch:pause')} onResume={() => void control('batch:resume')} onCancel={() => void control('batch:cancel')} />
      ) : null}
      {job && summary && job.state !== 'running' ? (
        <>
          <BatchSummary summary={summary} />
          <FlaggedRows jobId={job.jobId} version={job.done} />
          <ExportPanel jobId={job.jobId} />
        </>
      ) : null}

      {!job && !preview ? (
        <section className="card" aria-labelledby="jobs-title" data-testid="batch-jobs">
          <header className="card-header">
            <h3 id="jobs-title">Recent jobs</h3>
          </header>
          {jobs === null ? (
            <p className="empty-note">Loading…</p>
          ) : jobs.length === 0 ? (
            <p className="empty-note" data-testid="batch-jobs-empty">
              No batch jobs yet. Results, checkpoints and exports of each job are kept in the local database.
            </p>
          ) : (
            <ul className="job-list">
              {jobs.map((j) => (
                <li key={j.jobId}>
                  <button type="button" className="job-item" onClick={() => setJob(j)} data-testid="batch-job-item" data-state={j.state}>
                    <span className="job-name">{j.name}</span>
                    <span className={`state-chip state-${j.state}`}>{j.state}</span>
                    <span className="muted small">
                      {j.done.toLocaleString()}
                      {j.total !== null ? ` / ${j.total.toLocaleString()}` : ''} rows · {formatDate(j.createdAt)}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
      {job && job.state !== 'running' ? (
        <div className="row">
          <button type="button" className="button button-ghost button-small" onClick={() => { setJob(null); setSummary(null); refreshJobs(); }} data-testid="batch-back">
            ← All jobs
          </button>
        </div>
      ) : null}
    </div>
  );
}
