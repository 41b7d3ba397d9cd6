/**
 * @file The workbench: paste a prompt, pick a policy, sanitize (button or Ctrl/Cmd+Enter), and
 * review the verdict, gauges, diff and findings (highlighted in place in the editor); undo or
 * re-apply single edits; copy the cleaned text with placeholders or restored; restore
 * placeholders in an answer.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { PolicyName, SanitizeResult } from '../../../../shared/result';
import { api } from '../../lib/api';
import { ResultView } from '../../components/ResultView';
import { PolicySwitch } from './PolicySwitch';
import { RestorePanel } from './RestorePanel';
import { FindingHighlights } from './FindingHighlights';
import { appliedEdits, restoredEdits, withUndone } from '../../lib/edits';

const EXAMPLE =
  'Hi, please draft a polite reminder to our customer Dana Whitfield (dana.whitfield@example.com, +1 415 555 0132) that invoice #48213 for $1,250.00 is overdue. She paid last time with card 4111 1111 1111 1111.';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
export const SANITIZE_SHORTCUT = isMac ? '⌘↵' : 'Ctrl+Enter';

type Run = { text: string; policy: PolicyName; result: SanitizeResult };

type Props = { initialPolicy: PolicyName; onPolicyChange: (p: PolicyName) => void };

export function WorkbenchPage({ initialPolicy, onPolicyChange }: Props): React.JSX.Element {
  const [text, setText] = useState('');
  const [policy, setPolicy] = useState<PolicyName>(initialPolicy);
  const [run, setRun] = useState<Run | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const requestSeq = useRef(0);
  const [undone, setUndone] = useState<ReadonlySet<number>>(new Set());
  const [undoCleaned, setUndoCleaned] = useState<string | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [restoreState, setRestoreState] = useState<'idle' | 'copied' | 'failed'>('idle');

  useEffect(() => setPolicy(initialPolicy), [initialPolicy]);

  const sanitize = useCallback(
    async (input: string, withPolicy: PolicyName) => {
      if (!input.trim()) {
        setError('Paste or type a prompt first.');
        return;
      }
      const seq = ++requestSeq.current;
      setBusy(true);
      setError(null);
      const r = await api.invoke('engine:sanitize', { text: input, policy: withPolicy });
      if (seq !== requestSeq.current) return;
      setBusy(false);
      if (r.ok) {
        setRun({ text: input, policy: withPolicy, result: r.value });
        setUndone(new Set());
        setUndoCleaned(null);
      } else setError(r.error.message);
    },
    [],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && document.activeElement?.closest('[data-testid="restore-panel"]') == null) {
        e.preventDefault();
        void sanitize(inputRef.current?.value ?? '', policy);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [sanitize, policy]);

  function changePolicy(p: PolicyName): void {
    setPolicy(p);
    onPolicyChange(p);
    if (run && run.text === text) void sanitize(text, p);
  }

  const stale = run !== null && (run.text !== text || run.policy !== policy);

  // Undo / re-apply: the host rebuilds the cleaned text from the edits still applied.
  useEffect(() => {
    if (!run || undone.size === 0) {
      setUndoCleaned(null);
      return;
    }
    let cancelled = false;
    void api.invoke('engine:apply', { text: run.text, edits: appliedEdits(run.result.findings, undone) }).then((r) => {
      if (cancelled) return;
      if (r.ok) setUndoCleaned(r.value.cleaned);
      else setError(r.error.message);
    });
    return () => {
      cancelled = true;
    };
  }, [run, undone]);

  const shown = useMemo(
    () => (run && undone.size > 0 && undoCleaned !== null ? withUndone(run.result, undone, undoCleaned) : (run?.result ?? null)),
    [run, undone, undoCleaned],
  );

  function toggle(i: number): void {
    setUndone((prev) => {
      const next = new Set(prev);
      if (next.has(i)) next.delete(i);
      else next.add(i);
      return next;
    });
  }

  useEffect(() => {
    if (restoreState === 'idle') return;
    const t = setTimeout(() => setRestoreState('idle'), 1600);
    return () => clearTimeout(t);
  }, [restoreState]);

  async function copyRestored(): Promise<void> {
    if (!run) return;
    const r = await api.invoke('engine:apply', { text: run.text, edits: restoredEdits(run.result.findings, undone) });
    if (!r.ok) {
      setRestoreState('failed');
      return;
    }
    await navigator.clipboard.writeText(r.value.cleaned).then(
      () => setRestoreState('copied'),
      () => setRestoreState('failed'),
    );
  }

  const highlight = run !== null && run.text === text && run.result.findings.length > 0;

  return (
    <div className="workbench" data-testid="workbench">
      <div className="workbench-input">
        <section className="card input-card" aria-labelledby="input-title">
          <header className="card-header row-between">
            <h2 id="input-title">Prompt</h2>
            <PolicySwitch value={policy} onChange={changePolicy} disabled={busy} />
          </header>
          <div className="editor-wrap">
            <textarea
              ref={inputRef}
              className={highlight ? 'editor editor-under' : 'editor'}
              value={text}
              onChange={(e) => setText(e.target.value)}
              onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
              placeholder="Paste the prompt you are about to send to a language model…"
              aria-label="Prompt to sanitize"
              aria-describedby={highlight ? 'highlight-note' : undefined}
              data-testid="prompt-input"
              spellCheck={false}
            />
            {highlight && run ? <FindingHighlights text={run.text} findings={run.result.findings} scrollTop={scrollTop} onFocusEditor={() => inputRef.current?.focus()} /> : null}
          </div>
          {highlight ? (
            <p id="highlight-note" className="sr-only">
              {run?.result.findings.length} findings are highlighted in the prompt; the findings list below the result describes each.
            </p>
          ) : null}
          <footer className="row-between">
            <span className="muted small" aria-live="polite">
              {text.length.toLocaleString()} characters
              {stale && run ? ' · edited since the last run' : ''}
            </span>
            <div className="row">
              {!text ? (
                <button type="button" className="button button-ghost" onClick={() => setText(EXAMPLE)} data-testid="example-button">
                  Try an example
                </button>
              ) : null}
              <button type="button" className="button button-primary" onClick={() => void sanitize(text, policy)} disabled={busy} data-testid="sanitize-button" aria-keyshortcuts="Control+Enter Meta+Enter">
                {busy ? 'Sanitizing…' : 'Sanitize'}
                <kbd>{SANITIZE_SHORTCUT}</kbd>
              </button>
            </div>
          </footer>
        </section>
        <RestorePanel />
      </div>
      <div className="workbench-output" aria-live="polite" aria-busy={busy}>
        {error ? (
          <div className="error-note" role="alert" data-testid="workbench-error">
            {error}
          </div>
        ) : null}
        {run ? (
          <div className={busy ? 'dim' : ''}>
            <ResultView
              original={run.text}
              result={shown ?? run.result}
              onUseSuggestion={(s) => setText(s)}
              undone={undone}
              onToggle={run.result.verdict === 'blocked' ? undefined : toggle}
              actions={
                run.result.findings.some((f) => f.action === 'redact') ? (
                  <button type="button" className="button button-secondary" onClick={() => void copyRestored()} data-testid="copy-restored" title="The cleaned text with the original values instead of placeholders (removals kept)">
                    <span aria-live="polite">{restoreState === 'copied' ? 'Copied ✓' : restoreState === 'failed' ? 'Copy failed' : 'Copy restored'}</span>
                  </button>
                ) : null
              }
            />
          </div>
        ) : busy ? (
          <div className="placeholder-panel" data-testid="workbench-loading">
            <div className="spinner" aria-hidden />
            Analysing…
          </div>
        ) : (
          <div className="placeholder-panel" data-testid="workbench-empty">
            <div className="placeholder-art" aria-hidden>
              ⇄
            </div>
            <h3>Nothing sanitized yet</h3>
            <p className="muted">
              Paste a prompt and press <kbd>{SANITIZE_SHORTCUT}</kbd>. The cleaned text, what changed and why appear here. Nothing leaves this machine.
            </p>
          </div>
        )}
      </div>
    </div>
  );
}
