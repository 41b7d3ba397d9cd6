/**
 * @file The application shell: header with the view tabs, engine status, theme, and the current
 * view. Sets `data-ready="true"` on the root once the first settings/info load has finished, so
 * end-to-end tests wait on a fact instead of sleeping.
 */
import { useEffect, useState } from 'react';
import type { InvokeOutput, Settings, View } from '../../shared/ipc';
import type { PolicyName } from '../../shared/result';
import { api, transport } from './lib/api';
import { WorkbenchPage } from './features/workbench/WorkbenchPage';
import { HistoryPage } from './features/history/HistoryPage';
import { BatchPage } from './features/batch/BatchPage';
import { SettingsPage } from './features/settings/SettingsPage';
import { ViewSchema } from '../../shared/ipc';
import { ShortcutHelp } from './components/ShortcutHelp';

const VIEW_KEY = 'diffguard.view';
const VIEW_LABELS: Record<View, string> = { workbench: 'Workbench', batch: 'Batch', history: 'History', settings: 'Settings' };

function savedView(): View {
  try {
    const parsed = ViewSchema.safeParse(localStorage.getItem(VIEW_KEY));
    return parsed.success ? parsed.data : 'workbench';
  } catch {
    return 'workbench';
  }
}

export function App(): React.JSX.Element {
  const [view, setView] = useState<View>(savedView);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [info, setInfo] = useState<InvokeOutput<'engine:info'> | null>(null);
  const [startError, setStartError] = useState<string | null>(null);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    let cancelled = false;
    void Promise.all([api.invoke('settings:get', {}), api.invoke('engine:info', {})]).then(([s, i]) => {
      if (cancelled) return;
      if (s.ok) setSettings(s.value);
      if (i.ok) setInfo(i.value);
      const err = !s.ok ? s.error : !i.ok ? i.error : null;
      setStartError(err ? err.message : null);
      setReady(true);
    });
    return () => {
      cancelled = true;
    };
  }, []);

  useEffect(() => api.on('app:navigate', ({ view: v }) => setView(v)), []);
  const [help, setHelp] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const el = e.target as HTMLElement | null;
      const typing = !!el && (el.tagName === 'TEXTAREA' || el.tagName === 'INPUT' || el.tagName === 'SELECT' || el.isContentEditable);
      if (e.key === '?' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        setHelp(true);
      } else if (e.altKey && !e.ctrlKey && !e.metaKey && /^Digit[1-4]$/.test(e.code)) {
        e.preventDefault();
        setView(ViewSchema.options[Number(e.code.slice(5)) - 1]!);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    try {
      localStorage.setItem(VIEW_KEY, view);
    } catch {
      /* storage unavailable: the view is simply not remembered */
    }
  }, [view]);

  useEffect(() => {
    const theme = settings?.theme ?? 'system';
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
  }, [settings?.theme]);

  function savePolicy(policy: PolicyName): void {
    void api.invoke('settings:set', { policy }).then((r) => {
      if (r.ok) setSettings(r.value);
    });
  }

  const degraded = info?.degraded ?? [];
  return (
    <div className="app" data-testid="app" data-ready={ready ? 'true' : 'false'} data-view={view}>
      <header className="topbar">
        <div className="brand">
          <svg className="logo" viewBox="0 0 24 24" width="22" height="22" aria-hidden focusable="false">
            <path d="M12 2 4 5v6c0 5 3.4 9.3 8 11 4.6-1.7 8-6 8-11V5l-8-3Z" fill="currentColor" opacity=".18" />
            <path d="M12 2 4 5v6c0 5 3.4 9.3 8 11 4.6-1.7 8-6 8-11V5l-8-3Z" fill="none" stroke="currentColor" strokeWidth="1.6" />
            <path d="m8.5 12 2.4 2.4 4.6-4.8" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
          <span className="brand-name">DiffGuard</span>
        </div>
        <nav className="tabs" role="tablist" aria-label="Views">
          {ViewSchema.options.map((v) => (
            <button key={v} type="button" role="tab" aria-selected={view === v} className={view === v ? 'tab active' : 'tab'} onClick={() => setView(v)} data-testid={`nav-${v}`}>
              {VIEW_LABELS[v]}
            </button>
          ))}
        </nav>
        <div className="status" data-testid="engine-status">
          <span className={`dot ${startError ? 'dot-bad' : degraded.length ? 'dot-warn' : 'dot-good'}`} aria-hidden />
          <span className="muted small" title={degraded.join('\n') || undefined}>
            {!ready ? 'Starting…' : startError ? 'Engine unavailable' : info?.analyzer ? `Engine ${info.version} · ${info.analyzer.name} on ${info.analyzer.provider}` : `Engine ${info?.version ?? ''} · deterministic layers`}
            {' · '}
            {transport === 'electron' ? 'desktop' : 'local host'} · offline
          </span>
        </div>
        <button type="button" className="button button-ghost button-small help-button" onClick={() => setHelp(true)} aria-label="Keyboard shortcuts" aria-keyshortcuts="?" data-testid="help-button">
          ?
        </button>
      </header>
      {startError ? (
        <div className="banner-error" role="alert" data-testid="start-error">
          {startError}
        </div>
      ) : null}
      {help ? <ShortcutHelp onClose={() => setHelp(false)} /> : null}
      <main className="content">
        {view === 'workbench' ? (
          <WorkbenchPage initialPolicy={settings?.policy ?? 'balanced'} onPolicyChange={savePolicy} />
        ) : view === 'batch' ? (
          <BatchPage policy={settings?.policy ?? 'balanced'} />
        ) : view === 'history' ? (
          <HistoryPage />
        ) : (
          <SettingsPage settings={settings} info={info} onSettings={setSettings} />
        )}
      </main>
    </div>
  );
}
