/**
 * @file Opens the app's SQLite database (better-sqlite3) and brings its schema up to date.
 * Owns the connection settings (WAL, foreign keys, busy timeout), the migration runner with its
 * sha256 check, and the translation of open failures into {@link DatabaseError}s. It never
 * deletes, truncates or recreates an existing file: a damaged or foreign file is an error.
 */
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { DatabaseError, toDatabaseError } from './errors';
import { MIGRATIONS, type Migration } from './migrations';

/** A better-sqlite3 connection, as returned by {@link openDatabase}. */
export type SqliteDatabase = Database.Database;

/** Options of {@link openDatabase}. */
export type OpenDatabaseOptions = {
  /** How long a statement waits for another connection's lock before failing with DB_LOCKED. Default 2000 ms. */
  busyTimeoutMs?: number;
  /** Migrations to apply; defaults to the app's {@link MIGRATIONS}. Tests pass their own lists. */
  migrations?: readonly Migration[];
};

/** A row of the `schema_migrations` table. */
export type AppliedMigration = { version: number; name: string; sha256: string; applied_at: number };

const DEFAULT_BUSY_TIMEOUT_MS = 2000;

/**
 * The sha256 (hex) of a migration's SQL, with line endings normalised to `\n` so that a checkout
 * with CRLF line endings hashes the same.
 */
export function migrationHash(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n'), 'utf8').digest('hex');
}

/**
 * Opens (creating if needed) the database at `path` with WAL journaling, foreign keys on,
 * `secure_delete` on and a short busy timeout, then applies pending migrations in order inside
 * one IMMEDIATE transaction.
 * `':memory:'` opens a private in-memory database.
 *
 * @throws DatabaseError `DB_READONLY` when the file or its folder is not writable, `DB_CORRUPT`
 *   when the file is not a SQLite database (the file is left byte-for-byte untouched), `DB_LOCKED`
 *   when another connection holds a lock past the busy timeout, `MIGRATION_CHANGED` when an
 *   applied migration's SQL was edited, `SCHEMA_NEWER` when the file was migrated by a newer app.
 */
export function openDatabase(path: string, opts: OpenDatabaseOptions = {}): SqliteDatabase {
  const busyTimeoutMs = opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  const migrations = opts.migrations ?? MIGRATIONS;
  checkMigrationList(migrations);
  const inMemory = path === ':memory:';
  const fullPath = inMemory ? path : resolve(path);
  if (!inMemory) checkLocationWritable(fullPath);

  let db: SqliteDatabase;
  try {
    db = new Database(fullPath, { timeout: busyTimeoutMs });
  } catch (err) {
    throw toDatabaseError(err, fullPath);
  }
  try {
    if (!inMemory) {
      // Reading the journal mode reads the header first: a non-database file fails here with
      // SQLITE_NOTADB before SQLite writes anything.
      const mode = retryBusy(() => db.pragma('journal_mode = WAL', { simple: true }), busyTimeoutMs);
      if (mode !== 'wal') {
        throw new DatabaseError('DB_FAILED', `could not switch ${fullPath} to WAL journaling (got "${String(mode)}")`, {
          path: fullPath,
        });
      }
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    // Deleted rows (history text, vault ciphertext) are overwritten with zeros, not left in free pages.
    db.pragma('secure_delete = ON');
    retryBusy(() => applyMigrations(db, migrations, fullPath), busyTimeoutMs);
    return db;
  } catch (err) {
    db.close();
    throw toDatabaseError(err, fullPath);
  }
}

/**
 * Runs `step` again while another connection holds a lock it needs, until the busy timeout. Two
 * connections opening a brand-new file at once (the CLI's worker threads do) can get SQLITE_BUSY
 * from the switch to WAL or from the first read of the schema without SQLite's busy handler ever
 * waiting (seen once under heavy load); every opening step is idempotent, so a retry is safe.
 */
function retryBusy<T>(step: () => T, busyTimeoutMs: number): T {
  const deadline = Date.now() + busyTimeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      return step();
    } catch (err) {
      const code = (err as { code?: string }).code;
      if ((code !== 'SQLITE_BUSY' && code !== 'SQLITE_LOCKED') || Date.now() >= deadline) throw err;
      Atomics.wait(pause, 0, 0, 25);
    }
  }
}

/** The migrations recorded in `schema_migrations`, in version order ([] for a fresh database). */
export function appliedMigrations(db: SqliteDatabase): AppliedMigration[] {
  const exists = db
    .prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  if (!exists) return [];
  return db
    .prepare('SELECT version, name, sha256, applied_at FROM schema_migrations ORDER BY version')
    .all() as AppliedMigration[];
}

function checkMigrationList(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const m of migrations) {
    if (!Number.isInteger(m.version) || m.version <= previous) {
      throw new Error(`migration list out of order at ${m.name} (version ${m.version} after ${previous})`);
    }
    previous = m.version;
  }
}

function isPermissionError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EACCES' || code === 'EPERM' || code === 'EROFS';
}

/**
 * SQLite needs to write the file and, for WAL, create `-wal` and `-shm` beside it, so both the file
 * and its folder must be writable. Checked up front to give a clear error instead of a late
 * SQLITE_READONLY on the first write.
 */
function checkLocationWritable(fullPath: string): void {
  const dir = dirname(fullPath);
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    if (existsSync(fullPath)) accessSync(fullPath, constants.R_OK | constants.W_OK);
  } catch (err) {
    if (isPermissionError(err)) {
      throw new DatabaseError(
        'DB_READONLY',
        `cannot write the database ${fullPath}: the file or its folder is read-only (${(err as Error).message}). Choose a writable data folder.`,
        { path: fullPath, cause: err },
      );
    }
    throw new DatabaseError('DB_FAILED', `cannot prepare the database location ${fullPath}: ${(err as Error).message}`, {
      path: fullPath,
      cause: err,
    });
  }
}

function hasPendingWork(applied: AppliedMigration[], migrations: readonly Migration[]): boolean {
  return applied.length !== migrations.length || applied.some((a, i) => a.version !== migrations[i]?.version);
}

function verifyApplied(applied: AppliedMigration[], migrations: readonly Migration[], path: string): void {
  const known = new Map(migrations.map((m) => [m.version, m]));
  for (const a of applied) {
    const m = known.get(a.version);
    if (!m) {
      throw new DatabaseError(
        'SCHEMA_NEWER',
        `the database ${path} has migration ${a.version} (${a.name}), which this version of DiffGuard does not know: it was created by a newer version.`,
        { path },
      );
    }
    const hash = migrationHash(m.sql);
    if (hash !== a.sha256) {
      throw new DatabaseError(
        'MIGRATION_CHANGED',
        `migration ${m.name} was changed after it was applied to ${path} (recorded sha256 ${a.sha256.slice(0, 12)}…, code has ${hash.slice(0, 12)}…). Released migrations must never be edited; add a new migration instead.`,
        { path },
      );
    }
  }
}

function applyMigrations(db: SqliteDatabase, migrations: readonly Migration[], path: string): void {
  // Fast path without a write lock: everything applied and unchanged.
  const before = appliedMigrations(db);
  verifyApplied(before, migrations, path);
  if (!hasPendingWork(before, migrations)) return;

  const run = db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      applied_at INTEGER NOT NULL
    ) STRICT`);
    // Re-read under the write lock: another process may have migrated meanwhile.
    const applied = appliedMigrations(db);
    verifyApplied(applied, migrations, path);
    const done = new Set(applied.map((a) => a.version));
    const record = db.prepare('INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES (?, ?, ?, ?)');
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      db.exec(m.sql);
      record.run(m.version, m.name, migrationHash(m.sql), Date.now());
    }
  });
  run.immediate();
}
