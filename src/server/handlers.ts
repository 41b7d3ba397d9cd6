/**
 * @file The IPC handlers shared by both hosts (Electron main and the local HTTP host). Each
 * handler validates its payload with the channel's schema from src/shared/ipc.ts, calls the
 * engine / history / settings, and returns a `Result`: errors are data, never thrown across the
 * boundary. The handler map is a mapped type over the channel list, so a missing or extra
 * handler fails the typecheck.
 */
import { Writable } from 'node:stream';
import type { z } from 'zod';
import {
  ERROR_CODES,
  HistoryEntrySchema,
  parseInvokeInput,
  type AppError,
  type HistoryEntry,
  type invokeContract,
  type InvokeChannel,
  type InvokeOutput,
  type Result,
  type Settings,
} from '../shared/ipc';
import type { Engine, SanitizeOptions } from '../core/engine/types';
import { applyEdits } from '../core/redact';
import { resolvePolicy, type Policy } from '../core/policy/policy';
import { listModels } from './models-info';
import type { SettingsStore } from './settings-store';
import type { BatchService } from './batch-service';

/** The parsed (post-schema) input of a channel. */
export type ParsedInput<C extends InvokeChannel> = z.output<(typeof invokeContract)[C]['input']>;

/** A host-side handler: untrusted payload in, Result out. Never rejects. */
export type Handler<C extends InvokeChannel> = (payload: unknown) => Promise<Result<InvokeOutput<C>>>;
export type Handlers = { [C in InvokeChannel]: Handler<C> };

type Impl = { [C in InvokeChannel]: (input: ParsedInput<C>) => Promise<InvokeOutput<C>> | InvokeOutput<C> };

/** A history row as the repository returns it; mapped to the contract's HistoryEntry. */
type HistoryRow = Record<string, unknown>;
type HistoryPageLike = { rows: HistoryRow[]; total: number };

/**
 * The part of the history repository (src/core/history) the handlers use. Kept structural so the
 * handlers are testable with a small in-memory fake and follow the repository's real shape.
 */
export type HistoryPort = {
  list(query: Record<string, unknown>): HistoryPageLike | Promise<HistoryPageLike>;
  search(query: string, paging?: { limit?: number; offset?: number; textLimit?: number } & Record<string, unknown>): HistoryPageLike | Promise<HistoryPageLike>;
  get(id: number): HistoryRow | null | undefined | Promise<HistoryRow | null | undefined>;
  delete(id: number): boolean | number | void | Promise<boolean | number | void>;
  deleteAll(): number | void | Promise<number | void>;
  /** Writes the runs to `out` (not ended); resolves to the row count. */
  exportJsonl(out: NodeJS.WritableStream): Promise<number>;
  exportCsv(out: NodeJS.WritableStream): Promise<number>;
  applyRetention?(days: number): unknown;
  /** Privacy mode of new rows (no text stored); switched at run time from the settings. */
  privacyMode?: boolean;
};

/** Characters of text per row in list/search pages; the detail view gets the whole text. */
export const LIST_TEXT_LIMIT = 2000;

/** Runs an export into a string (history exports are bounded by the history itself). */
async function collect(write: (out: NodeJS.WritableStream) => Promise<number>): Promise<string> {
  const chunks: string[] = [];
  const out = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      chunks.push(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
      cb();
    },
  });
  await write(out);
  return chunks.join('');
}

/** What the handlers need from a host. */
export type HandlerHost = {
  engine: Pick<Engine, 'sanitize' | 'restore' | 'info'>;
  history: HistoryPort | null;
  settings: SettingsStore;
  kind: 'electron' | 'http';
  dataDir: string;
  /** Privacy mode in effect for the running engine (it is fixed when the engine opens). */
  privacyMode: boolean;
  /** Source recorded in history for workbench runs. */
  source?: NonNullable<SanitizeOptions['source']>;
  /** Batch jobs; absent in hosts without a database (tests), where batch:* answer `unavailable`. */
  batch?: BatchService | null;
  /** The native open dialog (Electron only): resolves to the chosen CSV path, or null. */
  openFileDialog?: () => Promise<string | null>;
  /** The models folder, for `models:list`. */
  modelsDir?: string;
  /** Forgets every vault entry; resolves to how many. */
  clearVault?: () => number;
  /** Execution provider asked for when the engine started. */
  requestedProvider?: string;
};

/**
 * The policy a run uses: the preset (the request's, else the saved one) with the settings'
 * per-category actions, thresholds and allow/deny lists on top, when there are any.
 */
export function effectivePolicy(settings: Settings, preset?: Settings['policy']): Settings['policy'] | Policy {
  const name = preset ?? settings.policy;
  const custom =
    Object.keys(settings.categoryActions).length + Object.keys(settings.thresholds).length + settings.allowList.length + settings.denyList.length > 0;
  if (!custom) return name;
  return resolvePolicy({
    name: `${name}+settings`,
    extends: name,
    actions: settings.categoryActions,
    thresholds: settings.thresholds,
    allowList: settings.allowList,
    denyList: settings.denyList,
  });
}

/** An error with a stable code, for handlers to throw; converted to `{ ok: false, error }`. */
export class AppFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AppFailure';
  }
}

/** Builds the handler map for one host. */
export function createHandlers(host: HandlerHost): Handlers {
  const history = (): HistoryPort => {
    if (!host.history) throw new AppFailure(ERROR_CODES.unavailable, 'History is turned off for this session.');
    return host.history;
  };

  const batch = (): BatchService => {
    if (!host.batch) throw new AppFailure(ERROR_CODES.unavailable, 'Batch jobs are not available in this host.');
    return host.batch;
  };

  const impl: Impl = {
    'engine:sanitize': (input) =>
      host.engine.sanitize(input.text, {
        policy: effectivePolicy(host.settings.get(), input.policy),
        source: host.source ?? 'workbench',
      }),
    'engine:restore': (input) => host.engine.restore(input.text),
    'engine:apply': (input) => ({ cleaned: applyEdits(input.text, input.edits) }),
    'engine:info': () => {
      const settings = host.settings.get();
      return {
        ...host.engine.info(),
        host: {
          kind: host.kind,
          history: host.history !== null && settings.history,
          privacyMode: host.privacyMode,
          dataDir: host.dataDir,
          lockedSettings: host.settings.locked?.() ?? [],
          adminPolicy: host.settings.adminPolicy?.() ?? null,
          requestedProvider: host.requestedProvider,
          modelsDir: host.modelsDir,
        },
      };
    },
    'history:list': async (input) => toPage(await history().list({ ...input, textLimit: LIST_TEXT_LIMIT })),
    'history:search': async (input) =>
      toPage(await history().search(input.query, { ...withoutQuery(input), textLimit: LIST_TEXT_LIMIT })),
    'history:get': async (input) => {
      const row = await history().get(input.id);
      return row ? toHistoryEntry(row) : null;
    },
    'history:delete': async (input) => {
      const r = await history().delete(input.id);
      return { deleted: typeof r === 'number' ? r > 0 : r !== false };
    },
    'history:deleteAll': async () => {
      const r = await history().deleteAll();
      return { deleted: typeof r === 'number' ? r : 0 };
    },
    'history:export': async (input) => {
      const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
      if (input.format === 'csv') {
        return { filename: `diffguard-history-${stamp}.csv`, mime: 'text/csv', content: await collect((out) => history().exportCsv(out)) };
      }
      return { filename: `diffguard-history-${stamp}.jsonl`, mime: 'application/x-ndjson', content: await collect((out) => history().exportJsonl(out)) };
    },
    'settings:get': () => host.settings.get(),
    'settings:set': (input) => {
      const next: Settings = host.settings.set(input);
      if (input.retentionDays != null && host.history?.applyRetention) host.history.applyRetention(input.retentionDays);
      if (input.privacyMode !== undefined && host.history) {
        host.history.privacyMode = input.privacyMode;
        host.privacyMode = input.privacyMode;
      }
      return next;
    },
    'models:list': () => (host.modelsDir ? listModels(host.modelsDir) : []),
    'vault:clear': () => {
      if (!host.clearVault) throw new AppFailure(ERROR_CODES.unavailable, 'The vault cannot be cleared in this host.');
      return { cleared: host.clearVault() };
    },
    'batch:upload': (input) => batch().saveText(input.name, input.content),
    'batch:preview': (input) => batch().preview(input.fileId),
    'batch:start': (input) => batch().start(input.fileId, input.textColumn, input.policy ?? host.settings.get().policy),
    'batch:status': (input) => batch().status(input.jobId),
    'batch:list': () => batch().list(),
    'batch:pause': (input) => batch().pause(input.jobId),
    'batch:resume': (input) => batch().resume(input.jobId),
    'batch:cancel': (input) => batch().cancel(input.jobId),
    'batch:summary': (input) => batch().summary(input.jobId),
    'batch:rows': (input) => batch().rows(input.jobId, input),
    'batch:export': (input) => batch().export(input.jobId, input.format, input.protect, input.bom),
    'dialog:openFile': async () => {
      if (!host.openFileDialog) throw new AppFailure(ERROR_CODES.unavailable, 'The native file dialog exists only in the desktop app; choose a file instead.');
      const path = await host.openFileDialog();
      return path ? batch().registerPath(path) : null;
    },
  };

  const wrap = <C extends InvokeChannel>(channel: C): Handler<C> => {
    return async (payload) => {
      const parsed = parseInvokeInput(channel, payload);
      if (!parsed.ok) return parsed;
      try {
        const fn = impl[channel] as (input: ParsedInput<C>) => Promise<InvokeOutput<C>> | InvokeOutput<C>;
        return { ok: true, value: await fn(parsed.value) };
      } catch (err) {
        return { ok: false, error: toAppError(err) };
      }
    };
  };

  const handlers = {} as Record<InvokeChannel, Handler<InvokeChannel>>;
  for (const channel of Object.keys(impl) as InvokeChannel[]) handlers[channel] = wrap(channel);
  return handlers as Handlers;
}

/** The search request minus the query: its filters and paging, undefined keys dropped. */
function withoutQuery(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) if (k !== 'query' && v !== undefined) out[k] = v;
  return out;
}

/** Runs a channel by name for a transport that receives the name as a string. */
export async function dispatch(handlers: Handlers, channel: InvokeChannel, payload: unknown): Promise<Result<unknown>> {
  return (handlers[channel] as Handler<InvokeChannel>)(payload);
}

/** Converts anything thrown into the contract's error shape (no stack traces leave the host). */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppFailure) return { code: err.code, message: err.message };
  const code = typeof (err as { code?: unknown })?.code === 'string' ? String((err as { code: string }).code) : ERROR_CODES.internal;
  const message = err instanceof Error ? err.message : String(err);
  return { code, message: message || 'Unexpected error' };
}

function toPage(page: HistoryPageLike): { rows: HistoryEntry[]; total: number } {
  return { rows: page.rows.map(toHistoryEntry), total: page.total };
}

const pick = (row: HistoryRow, ...keys: string[]): unknown => {
  for (const k of keys) if (row[k] !== undefined) return row[k];
  return undefined;
};
const json = (v: unknown): unknown => {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
};

/** Maps a repository row (snake_case or camelCase, JSON columns as text or parsed) to the contract. */
export function toHistoryEntry(row: HistoryRow): HistoryEntry {
  const created = pick(row, 'createdAt', 'created_at', 'ts');
  return HistoryEntrySchema.parse({
    id: Number(pick(row, 'id')),
    createdAt: typeof created === 'number' ? new Date(created).toISOString() : String(created ?? ''),
    source: String(pick(row, 'source') ?? 'unknown'),
    policy: (pick(row, 'policy') as string | undefined) ?? null,
    verdict: pick(row, 'verdict'),
    text: (pick(row, 'text', 'original', 'input') as string | undefined) ?? null,
    cleaned: (pick(row, 'cleaned') as string | undefined) ?? null,
    categories: json(pick(row, 'categories')) ?? [],
    findings: json(pick(row, 'findings')) ?? [],
    risk_before: Number(pick(row, 'risk_before', 'riskBefore') ?? 0),
    risk_after: Number(pick(row, 'risk_after', 'riskAfter') ?? 0),
    semantic: Number(pick(row, 'semantic') ?? 0),
    elapsed_ms: Number(pick(row, 'elapsed_ms', 'elapsedMs') ?? 0),
    suggestion: (pick(row, 'suggestion') as string | null | undefined) ?? null,
    error: (pick(row, 'error') as string | null | undefined) ?? null,
    privacy: Boolean(pick(row, 'privacy', 'is_private') ?? false),
    truncated: Boolean(pick(row, 'truncated', 'is_truncated') ?? false),
  });
}
