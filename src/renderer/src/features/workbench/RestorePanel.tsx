/**
 * @file Restore panel: paste an LLM's answer that contains placeholders and get it back with the
 * original values from the local vault.
 */
import { useState } from 'react';
import type { InvokeOutput } from '../../../../shared/ipc';
import { api } from '../../lib/api';
import { CopyButton } from '../../components/CopyButton';

export function RestorePanel(): React.JSX.Element {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<InvokeOutput<'engine:restore'> | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function restore(): Promise<void> {
    if (!text.trim()) return;
    setBusy(true);
    setError(null);
    const r = await api.invoke('engine:restore', { text });
    setBusy(false);
    if (r.ok) setResult(r.value);
    else {
      setResult(null);
      setError(r.error.message);
    }
  }

  return (
    <section className="card restore" aria-labelledby="restore-title" data-testid="restore-panel">
      <header className="card-header">
        <h3 id="restore-title">Restore placeholders</h3>
        <p className="muted small">Paste the model's answer; placeholders such as [EMAIL_1] are replaced with your original values, locally.</p>
      </header>
      <textarea
        className="editor editor-small"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void restore();
          }
        }}
        placeholder="e.g. I have emailed [EMAIL_1] with the details."
        aria-label="Text with placeholders"
        data-testid="restore-input"
        spellCheck={false}
      />
      <div className="row">
        <button type="button" className="button" onClick={() => void restore()} disabled={busy || !text.trim()} data-testid="restore-button">
          {busy ? 'Restoring…' : 'Restore'}
        </button>
        {result ? (
          <span className="muted small" data-testid="restore-summary">
            {result.restored} restored{result.unknown.length ? `; unknown: ${result.unknown.join(', ')}` : ''}
          </span>
        ) : null}
      </div>
      {error ? (
        <p className="error-note" role="alert">
          {error}
        </p>
      ) : null}
      {result ? (
        <div className="output-box">
          <div className="text-block" data-testid="restore-output">
            {result.text}
          </div>
          <CopyButton text={result.text} label="Copy restored" testId="copy-restored" />
        </div>
      ) : null}
    </section>
  );
}
