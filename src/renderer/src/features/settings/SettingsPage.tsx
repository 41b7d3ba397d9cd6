/**
 * @file The settings view: the policy (preset, action per category, thresholds, allow- and
 * deny-lists, the placeholder format), the engine (execution provider asked for, the one in use
 * and why it differs; model versions and their model cards), data (folder, history, privacy mode,
 * retention, theme, clearing the vault). Every change is saved at once through `settings:set`;
 * settings fixed by an admin policy file are shown locked (and refused by the host anyway).
 */
import { useEffect, useState } from 'react';
import type { InvokeOutput, ModelInfo, Settings } from '../../../../shared/ipc';
import { api } from '../../lib/api';
import { categoryLabel } from '../../lib/format';

type Props = { settings: Settings | null; info: InvokeOutput<'engine:info'> | null; onSettings: (s: Settings) => void };

const CATEGORIES = ['pii', 'secret', 'obfuscation', 'jailbreak', 'injection', 'harmful'] as const;
const ACTIONS = ['block', 'remove', 'redact', 'allow'] as const;
const THRESHOLD_KEYS = ['jailbreak', 'injection', 'harmful', 'pii'] as const;

const lines = (s: string): string[] => [...new Set(s.split('\n').map((l) => l.trim()).filter(Boolean))];

function Locked({ on }: { on: boolean }): React.JSX.Element | null {
  if (!on) return null;
  return (
    <span className="lock" title="Set by your administrator" data-testid="setting-locked">
      <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden focusable="false">
        <path d="M4.5 7V5a3.5 3.5 0 0 1 7 0v2M3.5 7h9v7h-9z" fill="none" stroke="currentColor" strokeWidth="1.4" />
      </svg>
      Locked
    </span>
  );
}

export function SettingsPage({ settings, info, onSettings }: Props): React.JSX.Element {
  const [status, setStatus] = useState<{ kind: 'saved' | 'error'; text: string } | null>(null);
  const [models, setModels] = useState<ModelInfo[] | null>(null);
  const [allow, setAllow] = useState('');
  const [deny, setDeny] = useState('');
  const [confirmVault, setConfirmVault] = useState(false);
  const locked = new Set(info?.host?.lockedSettings ?? []);

  useEffect(() => {
    void api.invoke('models:list', {}).then((r) => setModels(r.ok ? r.value : []));
  }, []);
  useEffect(() => {
    if (!settings) return;
    setAllow(settings.allowList.join('\n'));
    setDeny(settings.denyList.join('\n'));
  }, [settings]);
  useEffect(() => {
    if (status?.kind !== 'saved') return;
    const t = setTimeout(() => setStatus(null), 1800);
    return () => clearTimeout(t);
  }, [status]);

  if (!settings) {
    return (
      <div className="placeholder-panel" data-testid="settings-loading">
        <div className="spinner" aria-hidden />
        Loading settings…
      </div>
    );
  }

  async function save(patch: Partial<Settings>, what: string): Promise<void> {
    const before = settings!;
    onSettings({ ...before, ...patch }); // shown at once; reverted if the host refuses
    const r = await api.invoke('settings:set', patch);
    if (r.ok) {
      onSettings(r.value);
      setStatus({ kind: 'saved', text: `${what} saved` });
    } else {
      onSettings(before);
      setStatus({ kind: 'error', text: r.error.message });
    }
  }

  async function clearVault(): Promise<void> {
    setConfirmVault(false);
    const r = await api.invoke('vault:clear', {});
    setStatus(r.ok ? { kind: 'saved', text: `Vault cleared (${r.value.cleared} placeholders forgotten)` } : { kind: 'error', text: r.error.message });
  }

  const analyzer = info?.analyzer ?? null;
  return (
    <div className="settings" data-testid="settings-page">
      <div className="settings-status" aria-live="polite" data-testid="settings-status">
        {status ? <span className={status.kind === 'error' ? 'error-note' : 'saved-note'}>{status.text}</span> : null}
      </div>
      {info?.host?.adminPolicy ? (
        <p className="admin-note" data-testid="admin-note">
          Some settings are set by your administrator ({info.host.adminPolicy}) and are locked.
        </p>
      ) : null}

      <section className="card" aria-labelledby="policy-title">
        <header className="card-header">
          <h2 id="policy-title">Policy</h2>
        </header>
        <div className="settings-body">
          <div className="setting">
            <label htmlFor="preset">Preset</label>
            <select id="preset" value={settings.policy} disabled={locked.has('policy')} onChange={(e) => void save({ policy: e.target.value as Settings['policy'] }, 'Preset')} data-testid="settings-preset">
              <option value="strict">Strict</option>
              <option value="balanced">Balanced</option>
              <option value="permissive">Permissive</option>
            </select>
            <Locked on={locked.has('policy')} />
          </div>
          <fieldset className="setting-group" disabled={locked.has('categoryActions')}>
            <legend>
              Action per category <Locked on={locked.has('categoryActions')} />
            </legend>
            <div className="category-grid">
              {CATEGORIES.map((c) => (
                <label key={c} className="setting-inline">
                  <span>{categoryLabel(c)}</span>
                  <select
                    value={settings.categoryActions[c] ?? ''}
                    onChange={(e) => {
                      const next = { ...settings.categoryActions };
                      if (e.target.value) next[c] = e.target.value as (typeof ACTIONS)[number];
                      else delete next[c];
                      void save({ categoryActions: next }, `${categoryLabel(c)} action`);
                    }}
                    data-testid={`action-${c}`}
                  >
                    <option value="">Preset default</option>
                    {ACTIONS.map((a) => (
                      <option key={a} value={a}>
                        {a[0]!.toUpperCase() + a.slice(1)}
                      </option>
                    ))}
                  </select>
                </label>
              ))}
            </div>
          </fieldset>
          <fieldset className="setting-group" disabled={locked.has('thresholds')}>
            <legend>
              Thresholds (model scores from which a category counts; empty = the model&apos;s calibrated value) <Locked on={locked.has('thresholds')} />
            </legend>
            <div className="category-grid">
              {THRESHOLD_KEYS.map((k) => (
                <label key={k} className="setting-inline">
                  <span>{categoryLabel(k)}</span>
                  <input
                    type="number"
                    min={0}
                    max={1}
                    step={0.05}
                    defaultValue={settings.thresholds[k] ?? ''}
                    placeholder="auto"
                    onBlur={(e) => {
                      const v = e.target.value === '' ? null : Number(e.target.value);
                      if (v !== null && (!Number.isFinite(v) || v < 0 || v > 1)) {
                        setStatus({ kind: 'error', text: 'A threshold is a number between 0 and 1.' });
                        return;
                      }
                      if ((settings.thresholds[k] ?? null) === v) return;
                      const next = { ...settings.thresholds };
                      if (v === null) delete next[k];
                      else next[k] = v;
                      void save({ thresholds: next }, `${categoryLabel(k)} threshold`);
                    }}
                    data-testid={`threshold-${k}`}
                  />
                </label>
              ))}
            </div>
          </fieldset>
          <div className="lists">
            <label className="setting-list">
              <span>
                Allow-list <span className="muted small">(one per line; never flagged)</span> <Locked on={locked.has('allowList')} />
              </span>
              <textarea className="editor editor-small" value={allow} disabled={locked.has('allowList')} onChange={(e) => setAllow(e.target.value)} onBlur={() => void save({ allowList: lines(allow) }, 'Allow-list')} data-testid="allow-list" spellCheck={false} />
            </label>
            <label className="setting-list">
              <span>
                Deny-list <span className="muted small">(one per line; always redacted as [CUSTOM_N])</span> <Locked on={locked.has('denyList')} />
              </span>
              <textarea className="editor editor-small" value={deny} disabled={locked.has('denyList')} onChange={(e) => setDeny(e.target.value)} onBlur={() => void save({ denyList: lines(deny) }, 'Deny-list')} data-testid="deny-list" spellCheck={false} />
            </label>
          </div>
          <p className="muted small">
            Placeholders look like <code>[EMAIL_1]</code>, <code>[PHONE_2]</code>, <code>[CARD_1]</code>, <code>[SECRET_1]</code>, <code>[CUSTOM_1]</code>: a type and a number; the same value gets the same placeholder, and the vault maps them back.
          </p>
        </div>
      </section>

      <section className="card" aria-labelledby="engine-title">
        <header className="card-header">
          <h2 id="engine-title">Engine and models</h2>
        </header>
        <div className="settings-body">
          <div className="setting">
            <label htmlFor="provider">Execution provider</label>
            <select id="provider" value={settings.provider} disabled={locked.has('provider')} onChange={(e) => void save({ provider: e.target.value as Settings['provider'] }, 'Execution provider')} data-testid="settings-provider">
              <option value="auto">Automatic</option>
              <option value="cpu">CPU</option>
              <option value="gpu">GPU</option>
            </select>
            <Locked on={locked.has('provider')} />
            <span className="muted small">Applies the next time the engine starts.</span>
          </div>
          <label className="check">
            <input type="checkbox" checked={settings.semanticHead} disabled={locked.has('semanticHead')} onChange={(e) => void save({ semanticHead: e.target.checked }, 'Semantic harm head')} data-testid="semantic-head" />
            Semantic harm head: a sentence encoder that recognises more harmful requests by meaning (on validation 35% blocked instead of 25%, with benign look-alikes blocked at 4.1% instead of 2.6%), and a third opinion on jailbreaks and injected instructions; batch cleaning runs about 20% slower. Applies the next time the engine starts. <Locked on={locked.has('semanticHead')} />
          </label>
          <dl className="facts" data-testid="engine-facts">
            <div>
              <dt>Engine</dt>
              <dd>{info?.version ?? '—'}</dd>
            </div>
            <div>
              <dt>In use</dt>
              <dd data-testid="provider-in-use">{analyzer ? `${analyzer.name} ${analyzer.version} on ${analyzer.provider}` : 'No model loaded: deterministic layers only'}</dd>
            </div>
            <div>
              <dt>Semantic harm head</dt>
              <dd data-testid="semantic-in-use">{info?.semantic ? `on: ${info.semantic.version}${info.semantic.fused ? ', fused with the analyzer and the lexical head' : ''}` : 'off'}</dd>
            </div>
            {analyzer?.fallbackReason ? (
              <div>
                <dt>Fallback</dt>
                <dd>{analyzer.fallbackReason}</dd>
              </div>
            ) : null}
            {info?.degraded.length ? (
              <div>
                <dt>Why</dt>
                <dd data-testid="degraded">{info.degraded.join(' ')}</dd>
              </div>
            ) : null}
          </dl>
          <h3 className="subhead">Models</h3>
          {models === null ? (
            <p className="empty-note">Loading…</p>
          ) : models.length === 0 ? (
            <p className="empty-note" data-testid="models-empty">
              No models installed{info?.host?.modelsDir ? ` in ${info.host.modelsDir}` : ''}.
            </p>
          ) : (
            <ul className="model-list" data-testid="model-list">
              {models.map((m) => (
                <li key={m.name}>
                  <strong>{m.name}</strong>{' '}
                  <span className="muted small">
                    {m.current ? `version ${m.current}` : 'no version selected'}
                    {m.versions.length > 1 ? ` · ${m.versions.length} versions` : ''}
                  </span>
                  {m.card ? (
                    <details>
                      <summary>Model card</summary>
                      <pre className="model-card">{m.card}</pre>
                    </details>
                  ) : (
                    <span className="muted small"> · no model card</span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </div>
      </section>

      <section className="card" aria-labelledby="data-title">
        <header className="card-header">
          <h2 id="data-title">Data and privacy</h2>
        </header>
        <div className="settings-body">
          <dl className="facts">
            <div>
              <dt>Data folder</dt>
              <dd>
                <code data-testid="data-dir">{info?.host?.dataDir ?? '—'}</code>
              </dd>
            </div>
          </dl>
          <label className="check">
            <input type="checkbox" checked={settings.privacyMode} disabled={locked.has('privacyMode')} onChange={(e) => void save({ privacyMode: e.target.checked }, 'Privacy mode')} data-testid="privacy-mode" />
            Privacy mode: history keeps scores and findings but no text (takes effect now) <Locked on={locked.has('privacyMode')} />
          </label>
          <label className="check">
            <input type="checkbox" checked={settings.history} disabled={locked.has('history')} onChange={(e) => void save({ history: e.target.checked }, 'History')} data-testid="history-enabled" />
            Keep a history of runs (applies the next time the app starts) <Locked on={locked.has('history')} />
          </label>
          <div className="setting">
            <label htmlFor="retention">Keep history for</label>
            <select
              id="retention"
              value={settings.retentionDays === null ? '' : String(settings.retentionDays)}
              disabled={locked.has('retentionDays')}
              onChange={(e) => void save({ retentionDays: e.target.value ? Number(e.target.value) : null }, 'Retention')}
              data-testid="retention"
            >
              <option value="">Forever</option>
              {[7, 30, 90, 365].map((d) => (
                <option key={d} value={d}>
                  {d} days
                </option>
              ))}
            </select>
            <Locked on={locked.has('retentionDays')} />
          </div>
          <div className="setting">
            <label htmlFor="theme">Theme</label>
            <select id="theme" value={settings.theme} disabled={locked.has('theme')} onChange={(e) => void save({ theme: e.target.value as Settings['theme'] }, 'Theme')} data-testid="settings-theme">
              <option value="system">Follow the system</option>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
            </select>
          </div>
          <div className="setting">
            <span>Vault</span>
            {confirmVault ? (
              <span className="row">
                <button type="button" className="button button-danger button-small" onClick={() => void clearVault()} data-testid="confirm-clear-vault">
                  Forget all placeholders
                </button>
                <button type="button" className="button button-ghost button-small" onClick={() => setConfirmVault(false)}>
                  Cancel
                </button>
              </span>
            ) : (
              <button type="button" className="button button-secondary button-small" onClick={() => setConfirmVault(true)} data-testid="clear-vault">
                Clear vault…
              </button>
            )}
            <span className="muted small">Answers with earlier placeholders can no longer be restored.</span>
          </div>
        </div>
      </section>
    </div>
  );
}
