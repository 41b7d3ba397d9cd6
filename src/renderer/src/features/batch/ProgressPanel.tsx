/**
 * @file A running (or stopped) batch job: progress bar with rows done, rows per second and time
 * left, and the pause / resume / cancel controls. Fixed-size layout so numbers changing ten times
 * a second never move anything.
 */
import type { BatchJob } from '../../../../shared/ipc';

type Props = {
  job: BatchJob;
  busy: boolean;
  onPause: () => void;
  onResume: () => void;
  onCancel: () => void;
};

/** "1 min 5 s", "12 s", "—". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

const STATE_LABELS: Record<BatchJob['state'], string> = {
  running: 'Running',
  paused: 'Paused',
  cancelled: 'Cancelled',
  done: 'Done',
  failed: 'Failed',
};

export function ProgressPanel({ job, busy, onPause, onResume, onCancel }: Props): React.JSX.Element {
  const pct = job.total ? Math.min(100, (job.done / job.total) * 100) : job.state === 'done' ? 100 : 0;
  const nf = new Intl.NumberFormat();
  return (
    <section className="card batch-progress" aria-labelledby="batch-progress-title" data-testid="batch-progress" data-state={job.state}>
      <header className="card-header row-between">
        <h3 id="batch-progress-title">
          {job.name} <span className={`state-chip state-${job.state}`} data-testid="batch-state">{STATE_LABELS[job.state]}</span>
        </h3>
        <div className="row">
          {job.state === 'running' ? (
            <button type="button" className="button button-secondary button-small" onClick={onPause} disabled={busy} data-testid="batch-pause">
              Pause
            </button>
          ) : null}
          {job.state === 'paused' || job.state === 'failed' ? (
            <button type="button" className="button button-primary button-small" onClick={onResume} disabled={busy} data-testid="batch-resume">
              Resume
            </button>
          ) : null}
          {job.state === 'running' || job.state === 'paused' || job.state === 'failed' ? (
            <button type="button" className="button button-danger button-small" onClick={onCancel} disabled={busy} data-testid="batch-cancel">
              Cancel
            </button>
          ) : null}
        </div>
      </header>
      <div
        className="progress-track"
        role="progressbar"
        aria-label="Rows processed"
        aria-valuemin={0}
        aria-valuemax={job.total ?? undefined}
        aria-valuenow={job.done}
        aria-valuetext={job.total ? `${job.done} of ${job.total} rows` : `${job.done} rows`}
      >
        <span className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
      <dl className="progress-stats">
        <div>
          <dt>Rows done</dt>
          <dd data-testid="batch-done" data-done={job.done}>
            {nf.format(job.done)}
            {job.total !== null ? ` / ${nf.format(job.total)}` : ''}
          </dd>
        </div>
        <div>
          <dt>Rows per second</dt>
          <dd data-testid="batch-rate">{job.state === 'running' && job.rowsPerSecond > 0 ? nf.format(Math.round(job.rowsPerSecond)) : '—'}</dd>
        </div>
        <div>
          <dt>Time left</dt>
          <dd data-testid="batch-eta">{job.state === 'running' ? formatDuration(job.secondsLeft) : '—'}</dd>
        </div>
      </dl>
      {job.error ? (
        <p className="error-note" role="alert">
          {job.error}
        </p>
      ) : null}
    </section>
  );
}
