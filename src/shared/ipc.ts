/**
 * @file The one IPC contract between the renderer and a host (Electron main or the local HTTP
 * host). Each invoke channel maps to a zod input schema (the renderer is untrusted: hosts parse
 * every payload) and an output schema; each event channel maps to a payload schema. Every type
 * the renderer sees (`DesktopApi`, inputs, outputs) is derived from this map, never rewritten.
 */
import { z } from 'zod';
import { PolicyNameSchema, SanitizeResultSchema, VerdictSchema, FindingSchema } from './result';
import type { EventChannel, InvokeChannel } from './ipc-channels';

export { INVOKE_CHANNELS, EVENT_CHANNELS, isInvokeChannel, isEventChannel } from './ipc-channels';
export type { InvokeChannel, EventChannel } from './ipc-channels';

/** Largest text accepted by one sanitize/restore call (characters). 5 MB prompts must pass. */
export const MAX_TEXT_CHARS = 6_000_000;

const Empty = z.object({}).strict();
const Text = z.string().max(MAX_TEXT_CHARS);

/** Error carried as data across the boundary (Electron forwards only `message` from a throw). */
export const AppErrorSchema = z.object({ code: z.string(), message: z.string() });
export type AppError = z.infer<typeof AppErrorSchema>;

/** What every invoke resolves to: errors are values, never rejections. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

/** Error codes produced by the hosts themselves (handlers may add others). */
export const ERROR_CODES = {
  invalidInput: 'invalid_input',
  unknownChannel: 'unknown_channel',
  forbidden: 'forbidden',
  unauthorized: 'unauthorized',
  tooLarge: 'too_large',
  unavailable: 'unavailable',
  notFound: 'not_found',
  internal: 'internal',
  network: 'network',
} as const;

export const SanitizeRequestSchema = z.object({ text: Text, policy: PolicyNameSchema.optional() }).strict();

export const RestoreRequestSchema = z.object({ text: Text }).strict();
export const RestoreResultSchema = z.object({
  text: z.string(),
  restored: z.number().int().nonnegative(),
  unknown: z.array(z.string()),
});

export const EngineInfoSchema = z.object({
  version: z.string(),
  analyzer: z
    .object({ name: z.string(), version: z.string(), provider: z.string(), fallbackReason: z.string().optional() })
    .nullable(),
  rewriter: z.object({ name: z.string() }).nullable(),
  degraded: z.array(z.string()),
  /** Host facts the renderer shows: whether history is on, privacy mode, data folder. */
  host: z
    .object({ kind: z.enum(['electron', 'http']), history: z.boolean(), privacyMode: z.boolean(), dataDir: z.string() })
    .optional(),
});

/** One logged run. `text`/`cleaned` are null in privacy mode (scores and findings only). */
export const HistoryEntrySchema = z.object({
  id: z.number().int(),
  createdAt: z.string(),
  source: z.string(),
  policy: z.string().nullable(),
  verdict: VerdictSchema,
  text: z.string().nullable(),
  cleaned: z.string().nullable(),
  categories: z.array(z.string()),
  findings: z.array(FindingSchema),
  risk_before: z.number(),
  risk_after: z.number(),
  semantic: z.number(),
  elapsed_ms: z.number(),
  suggestion: z.string().nullable().optional(),
  error: z.string().nullable().optional(),
  /** True when the row was written in privacy mode. */
  privacy: z.boolean().optional(),
  /** True when text/cleaned were shortened for a list view (get returns them whole). */
  truncated: z.boolean().optional(),
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

const Paging = {
  limit: z.number().int().min(1).max(500).optional(),
  offset: z.number().int().min(0).optional(),
};

export const HistoryFilterSchema = z
  .object({
    verdict: VerdictSchema.optional(),
    category: z.string().max(100).optional(),
    source: z.string().max(50).optional(),
    /** ISO date-times, inclusive. */
    from: z.string().max(40).optional(),
    to: z.string().max(40).optional(),
    sort: z.enum(['created_at', 'risk_before', 'risk_after', 'verdict']).optional(),
    order: z.enum(['asc', 'desc']).optional(),
    ...Paging,
  })
  .strict();
export type HistoryFilter = z.infer<typeof HistoryFilterSchema>;

export const HistorySearchSchema = z.object({ query: z.string().min(1).max(1000), ...Paging }).strict();
export const HistoryPageSchema = z.object({ rows: z.array(HistoryEntrySchema), total: z.number().int().nonnegative() });
export type HistoryPage = z.infer<typeof HistoryPageSchema>;

const Id = z.object({ id: z.number().int().positive() }).strict();

export const HistoryExportRequestSchema = z.object({ format: z.enum(['jsonl', 'csv']) }).strict();
export const HistoryExportSchema = z.object({ filename: z.string(), mime: z.string(), content: z.string() });

export const ThemeSchema = z.enum(['system', 'light', 'dark']);
/** User settings persisted by the host. */
export const SettingsSchema = z.object({
  policy: PolicyNameSchema,
  history: z.boolean(),
  privacyMode: z.boolean(),
  /** Days to keep history; null keeps everything. */
  retentionDays: z.number().int().min(1).max(3650).nullable(),
  theme: ThemeSchema,
});
export type Settings = z.infer<typeof SettingsSchema>;
export const SettingsPatchSchema = SettingsSchema.partial().strict();

export const BatchProgressSchema = z.object({
  jobId: z.string(),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative().nullable(),
  rowsPerSecond: z.number().nonnegative(),
});

/** The main views of the window; `app:navigate` is pushed by the native menu. */
export const ViewSchema = z.enum(['workbench', 'history']);
export type View = z.infer<typeof ViewSchema>;

/** Channel → schemas. `satisfies` proves the map covers exactly the invoke channel list. */
export const invokeContract = {
  'engine:sanitize': { input: SanitizeRequestSchema, output: SanitizeResultSchema },
  'engine:restore': { input: RestoreRequestSchema, output: RestoreResultSchema },
  'engine:info': { input: Empty, output: EngineInfoSchema },
  'history:list': { input: HistoryFilterSchema, output: HistoryPageSchema },
  'history:search': { input: HistorySearchSchema, output: HistoryPageSchema },
  'history:get': { input: Id, output: HistoryEntrySchema.nullable() },
  'history:delete': { input: Id, output: z.object({ deleted: z.boolean() }) },
  'history:deleteAll': { input: Empty, output: z.object({ deleted: z.number().int().nonnegative() }) },
  'history:export': { input: HistoryExportRequestSchema, output: HistoryExportSchema },
  'settings:get': { input: Empty, output: SettingsSchema },
  'settings:set': { input: SettingsPatchSchema, output: SettingsSchema },
} satisfies Record<InvokeChannel, { input: z.ZodType; output: z.ZodType }>;

/** Event → payload schema. */
export const eventContract = {
  'batch:progress': BatchProgressSchema,
  'app:navigate': z.object({ view: ViewSchema }),
} satisfies Record<EventChannel, z.ZodType>;

export type InvokeInput<C extends InvokeChannel> = z.input<(typeof invokeContract)[C]['input']>;
export type InvokeOutput<C extends InvokeChannel> = z.output<(typeof invokeContract)[C]['output']>;
export type EventPayload<E extends EventChannel> = z.output<(typeof eventContract)[E]>;

/** The whole surface the renderer gets (window.api in Electron, the HTTP transport otherwise). */
export type DesktopApi = {
  invoke<C extends InvokeChannel>(channel: C, input: InvokeInput<C>): Promise<Result<InvokeOutput<C>>>;
  on<E extends EventChannel>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

/** Parses an invoke payload with its channel's schema; failures come back as an `invalid_input` error. */
export function parseInvokeInput<C extends InvokeChannel>(channel: C, payload: unknown): Result<z.output<(typeof invokeContract)[C]['input']>> {
  const parsed = invokeContract[channel].input.safeParse(payload ?? {});
  if (parsed.success) return { ok: true, value: parsed.data as z.output<(typeof invokeContract)[C]['input']> };
  const message = parsed.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(input)'}: ${i.message}`)
    .join('; ');
  return { ok: false, error: { code: ERROR_CODES.invalidInput, message: `Invalid input for ${channel}: ${message}` } };
}
