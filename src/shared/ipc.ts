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

/** One edit to apply: a finding's span, action and replacement. */
export const ApplyRequestSchema = z
  .object({
    text: Text,
    edits: z
      .array(
        z
          .object({
            start: z.number().int().nonnegative(),
            end: z.number().int().nonnegative(),
            action: z.enum(['redact', 'remove', 'block', 'flag']),
            replacement: z.string().max(200).nullable(),
          })
          .strict()
          .refine((e) => e.end >= e.start, 'end before start'),
      )
      .max(100_000),
  })
  .strict()
  .refine((r) => r.edits.every((e) => e.end <= r.text.length), 'edit outside the text');

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
  /** The semantic harm head when loaded (fused: combined with the analyzer and lexical head into one harm score). */
  semantic: z.object({ version: z.string(), fused: z.boolean() }).nullable().optional(),
  degraded: z.array(z.string()),
  /** Host facts the renderer shows: whether history is on, privacy mode, data folder. */
  host: z
    .object({
      kind: z.enum(['electron', 'http']),
      history: z.boolean(),
      privacyMode: z.boolean(),
      dataDir: z.string(),
      /** Settings fixed by the admin policy file (shown locked, refused by settings:set). */
      lockedSettings: z.array(z.string()).optional(),
      /** Where the admin policy file was read from, when there is one. */
      adminPolicy: z.string().nullable().optional(),
      /** Execution provider asked for when the engine started. */
      requestedProvider: z.string().optional(),
      modelsDir: z.string().optional(),
    })
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

const FilterFields = {
  verdict: VerdictSchema.optional(),
  category: z.string().max(100).optional(),
  source: z.string().max(50).optional(),
  /** ISO date-times, inclusive. */
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
};

export const HistoryFilterSchema = z
  .object({
    ...FilterFields,
    sort: z.enum(['created_at', 'risk_before', 'risk_after', 'verdict']).optional(),
    order: z.enum(['asc', 'desc']).optional(),
    ...Paging,
  })
  .strict();
export type HistoryFilter = z.infer<typeof HistoryFilterSchema>;

/** Full-text search, optionally narrowed by the same filters as the list. */
export const HistorySearchSchema = z.object({ query: z.string().min(1).max(1000), ...FilterFields, ...Paging }).strict();
export const HistoryPageSchema = z.object({ rows: z.array(HistoryEntrySchema), total: z.number().int().nonnegative() });
export type HistoryPage = z.infer<typeof HistoryPageSchema>;

const Id = z.object({ id: z.number().int().positive() }).strict();

export const HistoryExportRequestSchema = z.object({ format: z.enum(['jsonl', 'csv']) }).strict();
export const HistoryExportSchema = z.object({ filename: z.string(), mime: z.string(), content: z.string() });

export const ThemeSchema = z.enum(['system', 'light', 'dark']);
/** What the settings may ask for a category (the policy's actions). */
export const PolicyActionSettingSchema = z.enum(['block', 'remove', 'redact', 'allow']);
/** User settings persisted by the host. */
export const SettingsSchema = z.object({
  policy: PolicyNameSchema,
  history: z.boolean(),
  privacyMode: z.boolean(),
  /** Days to keep history; null keeps everything. */
  retentionDays: z.number().int().min(1).max(3650).nullable(),
  theme: ThemeSchema,
  /** Action per category key (pii, secret, …, `harmful:<sub>`, `kind:<kind>`), over the preset's. */
  categoryActions: z.record(z.string().max(100), PolicyActionSettingSchema).default({}),
  /** Minimum calibrated score per category key for model-based findings, over the preset's. */
  thresholds: z.record(z.string().max(100), z.number().min(0).max(1)).default({}),
  /** Exact strings (case-insensitive) never flagged. */
  allowList: z.array(z.string().min(1).max(500)).max(5000).default([]),
  /** Terms always redacted as [CUSTOM_N]. */
  denyList: z.array(z.string().min(1).max(500)).max(5000).default([]),
  /** Execution provider for the models; applied when the engine next starts. */
  provider: z.enum(['auto', 'cpu', 'gpu']).default('auto'),
  /**
   * The semantic harm head (a sentence encoder fused with the analyzer and the lexical head): more
   * harmful requests blocked, batch work 10-20% slower. Applied when the engine next starts.
   */
  semanticHead: z.boolean().default(true),
});
export type Settings = z.infer<typeof SettingsSchema>;
/** The settings keys an admin policy file may lock. */
export const SETTINGS_KEYS = SettingsSchema.keyof().options;
export const SettingsPatchSchema = z
  .object({
    policy: PolicyNameSchema,
    history: z.boolean(),
    privacyMode: z.boolean(),
    retentionDays: z.number().int().min(1).max(3650).nullable(),
    theme: ThemeSchema,
    categoryActions: z.record(z.string().max(100), PolicyActionSettingSchema),
    thresholds: z.record(z.string().max(100), z.number().min(0).max(1)),
    allowList: z.array(z.string().min(1).max(500)).max(5000),
    denyList: z.array(z.string().min(1).max(500)).max(5000),
    provider: z.enum(['auto', 'cpu', 'gpu']),
    semanticHead: z.boolean(),
  })
  .partial()
  .strict();

export const ModelInfoSchema = z.object({
  name: z.string(),
  /** The version LATEST points at (or the only one), null when none is installed. */
  current: z.string().nullable(),
  versions: z.array(z.string()),
  /** MODEL_CARD.md of the current version (or of the model folder), null when missing. */
  card: z.string().nullable(),
});
export type ModelInfo = z.infer<typeof ModelInfoSchema>;

/** A batch job's state and progress (the `batch:progress` event and every batch:* answer). */
export const BatchJobSchema = z.object({
  jobId: z.string(),
  name: z.string(),
  state: z.enum(['running', 'paused', 'cancelled', 'done', 'failed']),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative().nullable(),
  rowsPerSecond: z.number().nonnegative(),
  secondsLeft: z.number().nonnegative().nullable(),
  header: z.array(z.string()),
  textColumn: z.number().int().nonnegative(),
  policy: z.string().nullable(),
  createdAt: z.string(),
  error: z.string().nullable(),
});
export type BatchJob = z.infer<typeof BatchJobSchema>;
export const BatchProgressSchema = BatchJobSchema;

/** Largest CSV accepted through `batch:upload` as text (the HTTP host also takes raw uploads at /api/upload). */
export const MAX_UPLOAD_CHARS = 64 * 1024 * 1024;
const FileId = z.string().min(1).max(100).regex(/^[A-Za-z0-9_-]+$/);
const JobId = z.object({ jobId: z.string().min(1).max(100) }).strict();

export const BatchFileSchema = z.object({ fileId: z.string(), name: z.string() });
export const BatchPreviewSchema = z.object({
  fileId: z.string(),
  name: z.string(),
  header: z.array(z.string()),
  delimiter: z.string(),
  /** The column the CLI's logic guesses (-1 when the file is empty). */
  textColumn: z.number().int(),
  rows: z.array(z.array(z.string())),
  notes: z.array(z.string()),
});
export type BatchPreview = z.infer<typeof BatchPreviewSchema>;
export const BatchSummarySchema = z.object({
  rows: z.number().int().nonnegative(),
  byVerdict: z.object({ pass: z.number(), cleaned: z.number(), blocked: z.number(), error: z.number() }),
  byCategory: z.array(z.object({ category: z.string(), count: z.number() })),
  riskHistogram: z.array(z.number()),
  topKinds: z.array(z.object({ kind: z.string(), count: z.number() })),
});
export type BatchSummary = z.infer<typeof BatchSummarySchema>;
export const BatchRowSchema = z.object({
  index: z.number().int().nonnegative(),
  line: z.number().int(),
  text: z.string(),
  result: SanitizeResultSchema.extend({
    risk_before: z.number().nullable(),
    risk_after: z.number().nullable(),
    semantic: z.number().nullable(),
  }),
});
export type BatchRow = z.infer<typeof BatchRowSchema>;
export const BatchExportRequestSchema = z
  .object({ jobId: z.string().min(1).max(100), format: z.enum(['csv', 'jsonl', 'html']), protect: z.boolean().optional(), bom: z.boolean().optional() })
  .strict();

/** The main views of the window; `app:navigate` is pushed by the native menu. */
export const ViewSchema = z.enum(['workbench', 'batch', 'history', 'settings']);
export type View = z.infer<typeof ViewSchema>;

/** Channel → schemas. `satisfies` proves the map covers exactly the invoke channel list. */
export const invokeContract = {
  'engine:sanitize': { input: SanitizeRequestSchema, output: SanitizeResultSchema },
  'engine:restore': { input: RestoreRequestSchema, output: RestoreResultSchema },
  'engine:info': { input: Empty, output: EngineInfoSchema },
  /** Rebuilds a cleaned text from the original and the edits still applied (undo / re-apply in the workbench). */
  'engine:apply': { input: ApplyRequestSchema, output: z.object({ cleaned: z.string() }) },
  'history:list': { input: HistoryFilterSchema, output: HistoryPageSchema },
  'history:search': { input: HistorySearchSchema, output: HistoryPageSchema },
  'history:get': { input: Id, output: HistoryEntrySchema.nullable() },
  'history:delete': { input: Id, output: z.object({ deleted: z.boolean() }) },
  'history:deleteAll': { input: Empty, output: z.object({ deleted: z.number().int().nonnegative() }) },
  'history:export': { input: HistoryExportRequestSchema, output: HistoryExportSchema },
  'settings:get': { input: Empty, output: SettingsSchema },
  'settings:set': { input: SettingsPatchSchema, output: SettingsSchema },
  /** The models folder: each model's versions, the one in use and its model card. */
  'models:list': { input: Empty, output: z.array(ModelInfoSchema) },
  /** Forgets every placeholder → value mapping (restore stops working for earlier texts). */
  'vault:clear': { input: Empty, output: z.object({ cleared: z.number().int().nonnegative() }) },
  'batch:upload': {
    input: z.object({ name: z.string().min(1).max(255), content: z.string().max(MAX_UPLOAD_CHARS) }).strict(),
    output: BatchFileSchema,
  },
  'batch:preview': { input: z.object({ fileId: FileId }).strict(), output: BatchPreviewSchema },
  'batch:start': {
    input: z.object({ fileId: FileId, textColumn: z.number().int().nonnegative(), policy: PolicyNameSchema.optional() }).strict(),
    output: BatchJobSchema,
  },
  'batch:status': { input: JobId, output: BatchJobSchema.nullable() },
  'batch:list': { input: Empty, output: z.array(BatchJobSchema) },
  'batch:pause': { input: JobId, output: BatchJobSchema },
  'batch:resume': { input: JobId, output: BatchJobSchema },
  'batch:cancel': { input: JobId, output: BatchJobSchema },
  'batch:summary': { input: JobId, output: BatchSummarySchema },
  'batch:rows': {
    input: z.object({ jobId: z.string().min(1).max(100), flaggedOnly: z.boolean().optional(), ...Paging }).strict(),
    output: z.object({ rows: z.array(BatchRowSchema), total: z.number().int().nonnegative() }),
  },
  'batch:export': { input: BatchExportRequestSchema, output: HistoryExportSchema },
  /** Electron only: the native open dialog; null when the user cancels. */
  'dialog:openFile': { input: Empty, output: BatchFileSchema.nullable() },
} satisfies Record<InvokeChannel, { input: z.ZodType; output: z.ZodType }>;

/** Event → payload schema. */
export const eventContract = {
  'batch:progress': BatchProgressSchema,
  'app:navigate': z.object({ view: ViewSchema }),
  /** A file opened from the native menu (File → Open CSV…), ready for `batch:preview`. */
  'batch:fileOpened': BatchFileSchema,
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
