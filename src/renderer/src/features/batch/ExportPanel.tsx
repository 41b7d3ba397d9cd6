/**
 * @file Export of a batch job: CSV (every input column plus the result columns, as the CLI writes
 * it), JSONL, or an HTML review report of the flagged rows. Formula-injection protection for CSV is
 * on by default; a UTF-8 BOM helps spreadsheet programs detect the encoding.
 */
import { useState } from 'react';
import { api } from '../../lib/api';
import { download } from '../../lib/download';

export function ExportPanel({ jobId }: { jobId: string }): React.JSX.Element {
  const [protect, setProtect] = useState(true);
  const [bom, setBom] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function run(format: 'csv' | 'jsonl' | 'html'): Promise<void> {
    setBusy(format);
    setError(null);
    const r = await api.invoke('batch:export', { jobId, format, protect, bom });
    setBusy(null);
    if (r.ok) download(r.value.filename, r.value.mime, r.value.content);
    else setError(r.error.message);
  }

  return (
    <section className="card" aria-labelledby="export-title" data-testid="batch-export">
      <header className="card-header">
        <h3 id="export-title">Export</h3>
      </header>
      <div className="export-body">
        <div className="row wrap">
          <button type="button" className="button button-primary button-small" onClick={() => void run('csv')} disabled={busy !== null} data-testid="export-csv">
            {busy === 'csv' ? 'Exporting…' : 'CSV'}
          </button>
          <button type="button" className="button button-secondary button-small" onClick={() => void run('jsonl')} disabled={busy !== null} data-testid="export-jsonl">
            {busy === 'jsonl' ? 'Exporting…' : 'JSONL'}
          </button>
          <button type="button" className="button button-secondary button-small" onClick={() => void run('html')} disabled={busy !== null} data-testid="export-html">
            {busy === 'html' ? 'Exporting…' : 'Review report (HTML)'}
          </button>
        </div>
        <label className="check">
          <input type="checkbox" checked={protect} onChange={(e) => setProtect(e.target.checked)} data-testid="export-protect" />
          Protect against formula injection (cells starting with = + - @ are prefixed with ')
        </label>
        <label className="check">
          <input type="checkbox" checked={bom} onChange={(e) => setBom(e.target.checked)} data-testid="export-bom" />
          Add a UTF-8 byte order mark (for Excel)
        </label>
        {error ? (
          <p className="error-note" role="alert">
            {error}
          </p>
        ) : null}
      </div>
    </section>
  );
}
