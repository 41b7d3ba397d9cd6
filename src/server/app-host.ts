/**
 * @file Composition shared by the two renderer hosts (Electron main and the HTTP host): read the
 * settings, open the engine (and history) once through src/core's `openHost`, and build the
 * handler map. Hosts only add their transport on top.
 */
import { openHost } from '../core';
import type { KeyProvider } from '../core/vault';
import { createHandlers, type HandlerHost, type Handlers, type HistoryPort } from './handlers';
import { openSettingsStore, type SettingsStore } from './settings-store';

export type AppHostOptions = {
  dataDir: string;
  kind: 'electron' | 'http';
  keyProvider?: KeyProvider;
  /** Overrides the saved setting (e.g. `serve --no-history`). */
  history?: boolean;
  privacyMode?: boolean;
  useModels?: boolean;
  modelsDir?: string;
};

export type AppHost = {
  handlers: Handlers;
  settings: SettingsStore;
  close(): Promise<void>;
};

/** Opens the engine and builds the handlers for one host. */
export async function openAppHost(options: AppHostOptions): Promise<AppHost> {
  const settings = openSettingsStore(options.dataDir);
  const saved = settings.get();
  const historyOn = options.history ?? saved.history;
  const privacyMode = options.privacyMode ?? saved.privacyMode;
  const opened = await openHost({
    dataDir: options.dataDir,
    history: historyOn,
    privacyMode,
    keyProvider: options.keyProvider,
    useModels: options.useModels,
    modelsDir: options.modelsDir,
    policy: saved.policy,
  });
  if (opened.history && saved.retentionDays != null) {
    try {
      opened.history.applyRetention(saved.retentionDays);
    } catch (err) {
      console.warn('[diffguard] retention not applied:', err instanceof Error ? err.message : err);
    }
  }
  const host: HandlerHost = {
    engine: opened.engine,
    history: opened.history satisfies HistoryPort | null,
    settings,
    kind: options.kind,
    dataDir: options.dataDir,
    privacyMode,
    source: 'workbench',
  };
  return { handlers: createHandlers(host), settings, close: () => opened.close() };
}
