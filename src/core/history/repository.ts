/**
 * @file The history repository: records sanitize runs in SQLite and reads them back (list with
 * filters and paging, FTS5 search, get, delete, export, retention). Owns every SQL statement on the
 * `history*` tables; callers never see SQL. In privacy mode it stores scores, categories, verdict
 * and findings but no text at all. Opening the database and its migrations live in src/core/db.
 */
import { once } from 'node:events';
import { stringify } from 'csv-stringify/sync';
import type { Finding, SanitizeResult } from '../../shared/result';
import { withDatabaseErrors } from '../db/errors';
import type { SqliteDatabase } from '../db/open-database';
import {
  HISTORY_SOURCES,
  type HistoryFilter,
  type HistoryListQuery,
  type HistoryPage,
  type HistoryPaging,
  type HistoryRecord,
  type HistorySource,
  type NewHistoryEntry,
} from './types';

/** Options of {@link createHistoryRepository}. */
export type HistoryRepositoryOptions = {
  /** When true, rows are written without any text (original, cleaned, finding text, suggestion, error). */
  privacyMode?: boolean;
};

/** The history store as hosts and the engine use it. */
export interface HistoryRepository {
  /** Privacy mode of new rows; hosts flip it when the user changes the setting. */
  privacyMode: boolean;
  /** Records one run; returns its id. */
  add(entry: NewHistoryEntry): number;
  /** Records many runs in one transaction; returns their ids in order. */
  addMany(entries: readonly NewHistoryEntry[]): number[];
  /** A page of runs matching the filters, newest first by default, and the total match count. */
  list(query?: HistoryListQuery): HistoryPage;
  /**
   * Full-text search (FTS5, porter stemming) over original and cleaned text, best match first.
   * Every word of `query` must occur; `word*` matches a prefix. Any input is safe: FTS syntax is
   * quoted away. An empty query returns an empty page.
   */
  search(query: string, paging?: HistoryPaging & HistoryFilter): HistoryPage;
  /** One run, or null when no row has that id. */
  get(id: number): HistoryRecord | null;
  /**
   * Deletes one run; true when it existed. The row's pages are zeroed (`secure_delete`); its words
   * may linger in FTS5 index segments until SQLite merges them (`deleteAll` purges the index).
   */
  delete(id: number): boolean;
  /** Deletes every run and purges the search index; returns how many rows were deleted. */
  deleteAll(): number;
  /** Deletes runs older than `days` days (relative to `now`); returns how many rows were deleted. */
  applyRetention(days: number, now?: number): number;
  /**
   * Writes matching runs, oldest first, one JSON object per line, honouring back-pressure.
   * Does not end `out`. Resolves to the number of rows written.
   */
  exportJsonl(out: NodeJS.WritableStream, filter?: HistoryFilter): Promise<number>;
  /**
   * Writes matching runs as CSV with a header row, oldest first. Cells that a spreadsheet would
   * run as a formula (starting with = + - @ tab or CR) are prefixed with a single quote.
   * Does not end `out`. Resolves to the number of rows written.
   */
  exportCsv(out: NodeJS.WritableStream, filter?: HistoryFilter): Promise<number>;
}

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
const EXPORT_PAGE = 500;
const DAY_MS = 86_400_000;

type HistoryRow = {
  id: number;
  created_at: number;
  source: string;
  verdict: string;
  original: string | null;
  cleaned: string | null;
  findings: string;
  categories: string;
  risk_before: number;
  risk_after: number;
  semantic: number;
  elapsed_ms: number;
  policy: string | null;
  batch_job_id: string | null;
  suggestion: string | null;
  error: string | null;
  is_private: number;
  is_truncated: number;
};

/** Converts an accepted time value to ms since the epoch. */
function toMillis(value: number | string | Date, what: string): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) throw new RangeError(`${what} is not a valid date: ${String(value)}`);
  return Math.trunc(ms);
}

/**
 * Turns free user input into a safe FTS5 MATCH expression: every whitespace-separated word becomes
 * a quoted string (so `AND`, `NEAR`, `-`, `:`, `(`, `"` … are plain text), joined with implicit AND;
 * a trailing `*` keeps its prefix meaning. Words without any letter or digit are dropped.
 * Returns null when nothing searchable remains.
 */
export function toFtsQuery(input: string): string | null {
  const terms: string[] = [];
  for (const word of input.split(/\s+/u)) {
    const isPrefix = word.length > 1 && word.endsWith('*');
    const body = isPrefix ? word.replace(/\*+$/u, '') : word;
    if (!/[\p{L}\p{N}]/u.test(body)) continue;
    terms.push(`"${body.replace(/"/g, '""')}"${isPrefix ? '*' : ''}`);
  }
  return terms.length > 0 ? terms.join(' ') : null;
}

/** A WHERE clause (without the keyword, `1` when empty) and its parameters. */
type Clause = { sql: string; params: unknown[] };

function filterClause(filter: HistoryFilter): Clause {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (filter.verdict !== undefined) {
    parts.push('h.verdict = ?');
    params.push(filter.verdict);
  }
  if (filter.source !== undefined) {
    parts.push('h.source = ?');
    params.push(filter.source);
  }
  if (filter.batchJobId !== undefined) {
    parts.push('h.batch_job_id = ?');
    params.push(filter.batchJobId);
  }
  if (filter.from !== undefined) {
    parts.push('h.created_at >= ?');
    params.push(toMillis(filter.from, 'from'));
  }
  if (filter.to !== undefined) {
    parts.push('h.created_at <= ?');
    params.push(toMillis(filter.to, 'to'));
  }
  if (filter.category !== undefined) {
    // EXISTS keeps the walk in the sort index's order, so a page stops after `limit` matches.
    if (filter.category.includes(':')) {
      parts.push('EXISTS (SELECT 1 FROM history_categories c WHERE c.history_id = h.id AND c.category = ?)');
      params.push(filter.category);
    } else {
      // A base category also matches its sub-categories: `harmful` matches `harmful:hate`.
      // ';' is the character after ':', so the range is exactly the `harmful:` prefix.
      parts.push(
        'EXISTS (SELECT 1 FROM history_categories c WHERE c.history_id = h.id AND (c.category = ? OR (c.category > ? AND c.category < ?)))',
      );
      params.push(filter.category, `${filter.category}:`, `${filter.category};`);
    }
  }
  return { sql: parts.length > 0 ? parts.join(' AND ') : '1', params };
}

function orderClause(query: HistoryListQuery): string {
  const dir = query.order === 'asc' ? 'ASC' : 'DESC';
  switch (query.sort ?? 'created_at') {
    case 'created_at':
      return `h.created_at ${dir}, h.id ${dir}`;
    case 'risk_before':
      return `h.risk_before ${dir}, h.id ${dir}`;
    case 'risk_after':
      return `h.risk_after ${dir}, h.id ${dir}`;
    case 'verdict':
      return `h.verdict ${dir}, h.created_at ${dir}, h.id ${dir}`;
    default:
      throw new RangeError(`unknown sort key: ${String(query.sort)}`);
  }
}

function pagingOf(paging: HistoryPaging): { limit: number; offset: number; textLimit: number | null } {
  const limit = paging.limit ?? DEFAULT_LIMIT;
  const offset = paging.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new RangeError(`limit must be an integer in 1..${MAX_LIMIT}, got ${limit}`);
  }
  if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`offset must be a non-negative integer, got ${offset}`);
  const textLimit = paging.textLimit ?? null;
  if (textLimit !== null && (!Number.isInteger(textLimit) || textLimit < 0)) {
    throw new RangeError(`textLimit must be a non-negative integer, got ${textLimit}`);
  }
  return { limit, offset, textLimit };
}

/** The selected columns; with a text limit, text is cut in SQL so long texts never leave SQLite. */
function columns(textLimit: number | null): { sql: string; params: unknown[] } {
  const base =
    'h.id, h.created_at, h.source, h.verdict, h.findings, h.categories, h.risk_before, h.risk_after, ' +
    'h.semantic, h.elapsed_ms, h.policy, h.batch_job_id, h.suggestion, h.error, h.is_private';
  if (textLimit === null) return { sql: `${base}, h.original, h.cleaned, 0 AS is_truncated`, params: [] };
  return {
    sql:
      `${base}, substr(h.original, 1, ?) AS original, substr(h.cleaned, 1, ?) AS cleaned, ` +
      '(length(h.original) > ? OR length(h.cleaned) > ?) AS is_truncated',
    params: [textLimit, textLimit, textLimit, textLimit],
  };
}

/**
 * The SQL of `list` for a query (exported so tests can assert its query plan uses an index).
 */
export function buildListQuery(query: HistoryListQuery = {}): { sql: string; params: unknown[]; countSql: string; countParams: unknown[] } {
  const where = filterClause(query);
  const { limit, offset, textLimit } = pagingOf(query);
  const cols = columns(textLimit);
  return {
    sql: `SELECT ${cols.sql} FROM history h WHERE ${where.sql} ORDER BY ${orderClause(query)} LIMIT ? OFFSET ?`,
    params: [...cols.params, ...where.params, limit, offset],
    countSql: `SELECT count(*) AS n FROM history h WHERE ${where.sql}`,
    countParams: where.params,
  };
}

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function toRecord(row: HistoryRow): HistoryRecord {
  return {
    id: row.id,
    createdAt: new Date(row.created_at).toISOString(),
    source: row.source as HistorySource,
    policy: row.policy,
    verdict: row.verdict as HistoryRecord['verdict'],
    text: row.original,
    cleaned: row.cleaned,
    categories: parseJson<string[]>(row.categories, []),
    findings: parseJson<Finding[]>(row.findings, []),
    risk_before: row.risk_before,
    risk_after: row.risk_after,
    semantic: row.semantic,
    elapsed_ms: row.elapsed_ms,
    batchJobId: row.batch_job_id,
    suggestion: row.suggestion,
    error: row.error,
    privacy: row.is_private === 1,
    truncated: row.is_truncated === 1,
  };
}

const PLACEHOLDER_RE = /^\[[A-Z][A-Z0-9_]*_\d+\]$/;

/** A finding with every piece of user text removed (privacy mode). */
function redactFinding(f: Finding): Finding {
  const replacement = f.replacement === null || f.replacement === '' || PLACEHOLDER_RE.test(f.replacement) ? f.replacement : null;
  return {
    kind: f.kind,
    category: f.category,
    start: f.start,
    end: f.end,
    text: '',
    score: f.score,
    action: f.action,
    replacement,
  };
}

function checkEntry(entry: NewHistoryEntry): void {
  if (!(HISTORY_SOURCES as readonly string[]).includes(entry.source)) {
    throw new TypeError(`history source must be one of ${HISTORY_SOURCES.join(', ')}; got "${String(entry.source)}"`);
  }
  if (typeof entry.text !== 'string') throw new TypeError('history entry text must be a string');
}

/** Escapes a CSV cell that a spreadsheet would evaluate as a formula. */
export function protectCsvCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const CSV_COLUMNS = [
  'id',
  'created_at',
  'source',
  'policy',
  'verdict',
  'text',
  'cleaned',
  'categories',
  'risk_before',
  'risk_after',
  'semantic',
  'elapsed_ms',
  'findings',
  'batch_job_id',
  'privacy',
] as const;

function csvRow(r: HistoryRecord): Array<string | number> {
  const cells: Array<string | number | null> = [
    r.id,
    r.createdAt,
    r.source,
    r.policy,
    r.verdict,
    r.text,
    r.cleaned,
    JSON.stringify(r.categories),
    r.risk_before,
    r.risk_after,
    r.semantic,
    r.elapsed_ms,
    JSON.stringify(r.findings),
    r.batchJobId,
    r.privacy ? 'true' : 'false',
  ];
  return cells.map((c) => (c === null ? '' : typeof c === 'string' ? protectCsvCell(c) : c));
}

async function writeChunk(out: NodeJS.WritableStream, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out as unknown as NodeJS.EventEmitter, 'drain');
}

/**
 * Creates the history repository over an open database (see `openDatabase` in src/core/db).
 * SQLite failures surface as `DatabaseError` (for example `DB_LOCKED` when another process holds
 * the write lock past the busy timeout).
 */
export function createHistoryRepository(db: SqliteDatabase, opts: HistoryRepositoryOptions = {}): HistoryRepository {
  const insertRow = db.prepare(`INSERT INTO history (
      created_at, source, verdict, original, cleaned, findings, categories,
      risk_before, risk_after, semantic, elapsed_ms, policy, batch_job_id, suggestion, error, is_private
    ) VALUES (
      @created_at, @source, @verdict, @original, @cleaned, @findings, @categories,
      @risk_before, @risk_after, @semantic, @elapsed_ms, @policy, @batch_job_id, @suggestion, @error, @is_private
    )`);
  const insertCategory = db.prepare('INSERT OR IGNORE INTO history_categories (history_id, category) VALUES (?, ?)');
  const getRow = db.prepare(`SELECT ${columns(null).sql} FROM history h WHERE h.id = ?`);
  const deleteRow = db.prepare('DELETE FROM history WHERE id = ?');
  const deleteOlder = db.prepare('DELETE FROM history WHERE created_at < ?');
  const exportPage = (filter: HistoryFilter, afterId: number): HistoryRecord[] => {
    const where = filterClause(filter);
    const rows = db
      .prepare(`SELECT ${columns(null).sql} FROM history h WHERE ${where.sql} AND h.id > ? ORDER BY h.id ASC LIMIT ?`)
      .all(...where.params, afterId, EXPORT_PAGE) as HistoryRow[];
    return rows.map(toRecord);
  };

  const insertOne = (entry: NewHistoryEntry, isPrivate: boolean): number => {
    checkEntry(entry);
    const r: SanitizeResult = entry.result;
    const createdAt = entry.createdAt === undefined ? Date.now() : toMillis(entry.createdAt, 'createdAt');
    const findings = isPrivate ? r.findings.map(redactFinding) : r.findings;
    const categories = [...new Set(r.categories)];
    const info = insertRow.run({
      created_at: createdAt,
      source: entry.source,
      verdict: r.verdict,
      original: isPrivate ? null : entry.text,
      cleaned: isPrivate ? null : r.cleaned,
      findings: JSON.stringify(findings),
      categories: JSON.stringify(categories),
      risk_before: r.risk_before,
      risk_after: r.risk_after,
      semantic: r.semantic,
      elapsed_ms: r.elapsed_ms,
      policy: entry.policy ?? null,
      batch_job_id: entry.batchJobId ?? null,
      suggestion: isPrivate ? null : (r.suggestion ?? null),
      // Error messages may quote the input (e.g. a JSON parse error), so they count as text.
      error: isPrivate ? null : (r.error ?? null),
      is_private: isPrivate ? 1 : 0,
    });
    const id = Number(info.lastInsertRowid);
    for (const c of categories) insertCategory.run(id, c);
    return id;
  };
  const insertMany = db.transaction((entries: readonly NewHistoryEntry[], isPrivate: boolean) =>
    entries.map((e) => insertOne(e, isPrivate)),
  );

  const repo: HistoryRepository = {
    privacyMode: opts.privacyMode ?? false,

    add(entry) {
      return withDatabaseErrors(() => insertMany([entry], repo.privacyMode)[0]!);
    },

    addMany(entries) {
      if (entries.length === 0) return [];
      return withDatabaseErrors(() => insertMany(entries, repo.privacyMode));
    },

    list(query = {}) {
      const q = buildListQuery(query);
      return withDatabaseErrors(() => {
        const rows = db.prepare(q.sql).all(...q.params) as HistoryRow[];
        const { n } = db.prepare(q.countSql).get(...q.countParams) as { n: number };
        return { rows: rows.map(toRecord), total: n };
      });
    },

    search(query, paging = {}) {
      const match = toFtsQuery(query);
      const { limit, offset, textLimit } = pagingOf(paging);
      if (match === null) return { rows: [], total: 0 };
      const where = filterClause(paging);
      const cols = columns(textLimit);
      const from = 'FROM history_fts JOIN history h ON h.id = history_fts.rowid';
      const cond = `history_fts MATCH ? AND ${where.sql}`;
      return withDatabaseErrors(() => {
        const rows = db
          .prepare(`SELECT ${cols.sql} ${from} WHERE ${cond} ORDER BY history_fts.rank, h.created_at DESC, h.id DESC LIMIT ? OFFSET ?`)
          .all(...cols.params, match, ...where.params, limit, offset) as HistoryRow[];
        const { n } = db.prepare(`SELECT count(*) AS n ${from} WHERE ${cond}`).get(match, ...where.params) as { n: number };
        return { rows: rows.map(toRecord), total: n };
      });
    },

    get(id) {
      return withDatabaseErrors(() => {
        const row = getRow.get(id) as HistoryRow | undefined;
        return row ? toRecord(row) : null;
      });
    },

    delete(id) {
      return withDatabaseErrors(() => deleteRow.run(id).changes > 0);
    },

    deleteAll() {
      return withDatabaseErrors(() => {
        const n = db.transaction(() => {
          const changes = db.prepare('DELETE FROM history').run().changes;
          // Rebuild the (now empty) index so no token of deleted text stays in FTS segments.
          db.prepare("INSERT INTO history_fts (history_fts) VALUES ('rebuild')").run();
          return changes;
        })();
        // Move the change out of the WAL into the main file (best effort: skipped while readers are active).
        db.pragma('wal_checkpoint(TRUNCATE)');
        return n;
      });
    },

    applyRetention(days, now = Date.now()) {
      if (!Number.isFinite(days) || days <= 0) throw new RangeError(`retention days must be a positive number, got ${days}`);
      return withDatabaseErrors(() => deleteOlder.run(now - days * DAY_MS).changes);
    },

    async exportJsonl(out, filter = {}) {
      let count = 0;
      let afterId = 0;
      for (;;) {
        const page = withDatabaseErrors(() => exportPage(filter, afterId));
        if (page.length === 0) return count;
        let chunk = '';
        for (const r of page) chunk += `${JSON.stringify(r)}\n`;
        await writeChunk(out, chunk);
        count += page.length;
        afterId = page[page.length - 1]!.id;
      }
    },

    async exportCsv(out, filter = {}) {
      let count = 0;
      let afterId = 0;
      await writeChunk(out, stringify([[...CSV_COLUMNS]]));
      for (;;) {
        const page = withDatabaseErrors(() => exportPage(filter, afterId));
        if (page.length === 0) return count;
        await writeChunk(out, stringify(page.map(csvRow)));
        count += page.length;
        afterId = page[page.length - 1]!.id;
      }
    },
  };
  return repo;
}
