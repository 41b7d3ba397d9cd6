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

const VIEW_KEY = 'diffguard.view';

function savedView(): View {
  try {
    return localStorage.getItem(VIEW_KEY) === 'history' ? 'history' : 'workbench';
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
          {(['workbench', 'history'] as const).map((v) => (
            <button key={v} type="button" role="tab" aria-selected={view === v} className={view === v ? 'tab active' : 'tab'} onClick={() => setView(v)} data-testid={`nav-${v}`}>
              {v === 'workbench' ? 'Workbench' : 'History'}
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
      </header>
      {startError ? (
        <div className="banner-error" role="alert" data-testid="start-error">
          {startError}
        </div>
      ) : null}
      <main className="content">
        {view === 'workbench' ? <WorkbenchPage initialPolicy={settings?.policy ?? 'balanced'} onPolicyChange={savePolicy} /> : <HistoryPage />}
      </main>
    </div>
  );
}
