/**
 * @file Composition shared by the two renderer hosts (Electron main and the HTTP host): read the
 * settings, open the engine (and history) once through src/core's `openHost`, and build the
 * handler map. Hosts only add their transport on top.
 */
import { defaultModelsDir, openHost } from '../core';
import type { KeyProvider } from '../core/vault';
import { createHandlers, type HandlerHost, type Handlers, type HistoryPort } from './handlers';
import { openSettingsStore, type SettingsStore } from './settings-store';
import { BatchService, builtWorkerScript, defaultWorkerCount } from './batch-service';
import type { BatchJob } from '../shared/ipc';

export type AppHostOptions = {
  dataDir: string;
  kind: 'electron' | 'http';
  keyProvider?: KeyProvider;
  /** Overrides the saved setting (e.g. `serve --no-history`). */
  history?: boolean;
  privacyMode?: boolean;
  useModels?: boolean;
  modelsDir?: string;
  /** Every batch job change (after each committed chunk); hosts throttle before pushing it. */
  onBatchProgress?: (job: BatchJob) => void;
  /** The native open dialog (Electron). */
  openFileDialog?: () => Promise<string | null>;
};

export type AppHost = {
  handlers: Handlers;
  settings: SettingsStore;
  batch: BatchService;
  close(): Promise<void>;
};

/** The settings' provider choice as onnxruntime understands it on this platform. */
export function providerFor(choice: 'auto' | 'cpu' | 'gpu', platform: NodeJS.Platform = process.platform): 'auto' | 'cpu' | 'cuda' | 'dml' | 'coreml' {
  if (choice !== 'gpu') return choice;
  return platform === 'darwin' ? 'coreml' : platform === 'win32' ? 'dml' : 'cuda';
}

/** Worker threads for batch jobs when the worker is built and `$DIFFGUARD_BATCH_WORKERS` is not 0. */
function batchWorkers(options: AppHostOptions, semantic: boolean): { script: string; size: number; useModels?: boolean; modelsDir?: string; semantic: boolean } | undefined {
  const script = builtWorkerScript();
  const env = process.env.DIFFGUARD_BATCH_WORKERS;
  if (!script || env === '0') return undefined;
  const size = env && Number.isInteger(Number(env)) && Number(env) > 0 ? Math.min(Number(env), 8) : defaultWorkerCount();
  return { script, size, useModels: options.useModels, modelsDir: options.modelsDir, semantic };
}

/** `$DIFFGUARD_BATCH_CHUNK_DELAY_MS`: a pause after each batch chunk so end-to-end tests can catch a job mid-way. */
function chunkDelayFromEnv(): number {
  const n = Number(process.env.DIFFGUARD_BATCH_CHUNK_DELAY_MS ?? 0);
  return Number.isFinite(n) && n > 0 ? Math.min(n, 10_000) : 0;
}

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
    provider: providerFor(saved.provider),
    semantic: saved.semanticHead,
  });
  if (opened.history && saved.retentionDays != null) {
    try {
      opened.history.applyRetention(saved.retentionDays);
    } catch (err) {
      console.warn('[diffguard] retention not applied:', err instanceof Error ? err.message : err);
    }
  }
  const batch = new BatchService({
    dataDir: options.dataDir,
    engine: opened.engine,
    onProgress: options.onBatchProgress,
    chunkDelayMs: chunkDelayFromEnv(),
    workers: batchWorkers(options, saved.semanticHead),
  });
  const host: HandlerHost = {
    engine: opened.engine,
    history: opened.history satisfies HistoryPort | null,
    settings,
    kind: options.kind,
    dataDir: options.dataDir,
    privacyMode,
    source: 'workbench',
    batch,
    openFileDialog: options.openFileDialog,
    modelsDir: options.modelsDir ?? defaultModelsDir(),
    clearVault: () => batch.clearVault(),
    requestedProvider: saved.provider,
  };
  return {
    handlers: createHandlers(host),
    settings,
    batch,
    close: async () => {
      await batch.close().catch(() => undefined);
      await opened.close();
    },
  };
}
