/**
 * @file Data shapes of the history repository. Plain JSON-serialisable objects only, so hosts can
 * send them over IPC/HTTP unchanged (a `HistoryRecord` satisfies `HistoryEntrySchema` in
 * src/shared/ipc.ts; its extra fields are dropped by that schema).
 */
import type { Finding, PolicyName, SanitizeResult, Verdict } from '../../shared/result';

/** Where a logged run came from. */
export const HISTORY_SOURCES = ['workbench', 'cli', 'batch', 'http'] as const;
/** Where a logged run came from: the desktop workbench, the CLI, a batch job or the local HTTP host. */
export type HistorySource = (typeof HISTORY_SOURCES)[number];

/** One run to record. */
export type NewHistoryEntry = {
  source: HistorySource;
  /** The user's original text (not stored in privacy mode). */
  text: string;
  result: SanitizeResult;
  policy?: PolicyName | string | null;
  /** Id of the batch job the row belongs to, if any. */
  batchJobId?: string | null;
  /** When the run happened: ms since the epoch, an ISO string or a Date. Defaults to now. */
  createdAt?: number | string | Date;
};

/** One recorded run as read back from the database. */
export type HistoryRecord = {
  id: number;
  /** ISO 8601 UTC timestamp. */
  createdAt: string;
  source: HistorySource;
  policy: string | null;
  verdict: Verdict;
  /** The original text; null when the row was written in privacy mode. */
  text: string | null;
  /** The cleaned text; null when the row was written in privacy mode. */
  cleaned: string | null;
  categories: string[];
  /** Findings; their `text` is '' when the row was written in privacy mode. */
  findings: Finding[];
  risk_before: number;
  risk_after: number;
  semantic: number;
  elapsed_ms: number;
  batchJobId: string | null;
  suggestion: string | null;
  error: string | null;
  /** True when the row was written in privacy mode (no text stored). */
  privacy: boolean;
  /** True when `text`/`cleaned` were cut to the query's `textLimit`. */
  truncated: boolean;
};

/** Filters shared by list, search and export. All optional; combined with AND. */
export type HistoryFilter = {
  verdict?: Verdict;
  /** A category string, e.g. `pii` or `harmful:hate`; `harmful` also matches `harmful:<sub>`. */
  category?: string;
  source?: HistorySource | string;
  batchJobId?: string;
  /** Inclusive lower bound: ms since the epoch or an ISO date-time. */
  from?: number | string;
  /** Inclusive upper bound: ms since the epoch or an ISO date-time. */
  to?: number | string;
};

/** Sortable columns of {@link HistoryListQuery}. */
export type HistorySortKey = 'created_at' | 'risk_before' | 'risk_after' | 'verdict';

/** Paging options shared by list and search. */
export type HistoryPaging = {
  /** Rows per page, 1..500; default 50. */
  limit?: number;
  offset?: number;
  /** When set, `text` and `cleaned` are cut to this many characters (list views of 5 MB texts). */
  textLimit?: number;
};

/** Query of `list`: filters, sort (default newest first) and paging. */
export type HistoryListQuery = HistoryFilter &
  HistoryPaging & {
    sort?: HistorySortKey;
    order?: 'asc' | 'desc';
  };

/** A page of records and the total number of rows matching the query. */
export type HistoryPage = { rows: HistoryRecord[]; total: number };
