/**
 * @file DatabaseError: the typed errors of the SQLite layer, and the mapping from raw
 * better-sqlite3 / file-system errors to them. Hosts show `message` to the user and branch on `code`.
 */

/** Stable codes of {@link DatabaseError}. */
export type DatabaseErrorCode =
  /** Another connection or process holds a lock longer than the busy timeout. */
  | 'DB_LOCKED'
  /** The file is not a SQLite database or is damaged. The file is left untouched. */
  | 'DB_CORRUPT'
  /** The file or its folder cannot be written (permissions, read-only file system). */
  | 'DB_READONLY'
  /** An already-applied migration's SQL differs from the one recorded in the database. */
  | 'MIGRATION_CHANGED'
  /** The database was migrated by a newer version of the app (unknown migration recorded). */
  | 'SCHEMA_NEWER'
  /** Any other SQLite failure. */
  | 'DB_FAILED';

/** An error of the database layer with a stable `code`; `cause` keeps the original error. */
export class DatabaseError extends Error {
  override readonly name = 'DatabaseError';
  readonly code: DatabaseErrorCode;
  /** The database file the error concerns, when known. */
  readonly path: string | undefined;

  constructor(code: DatabaseErrorCode, message: string, options: { path?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = options.path;
  }
}

/** True for errors raised by better-sqlite3 (`SqliteError`, with a `SQLITE_*` code). */
function sqliteCode(err: unknown): string | undefined {
  if (err && typeof err === 'object' && 'code' in err) {
    const code = (err as { code: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_')) return code;
  }
  return undefined;
}

/**
 * Converts any error thrown while using a database into a {@link DatabaseError} with a clear
 * message. A `DatabaseError` passes through unchanged; other non-SQLite errors are returned as is
 * (they are programming errors, not database conditions).
 */
export function toDatabaseError(err: unknown, path?: string): unknown {
  if (err instanceof DatabaseError) return err;
  const code = sqliteCode(err);
  if (code === undefined) return err;
  const where = path === undefined ? 'the database' : `the database ${path}`;
  const detail = err instanceof Error ? err.message : String(err);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new DatabaseError(
      'DB_LOCKED',
      `${where} is locked by another connection or process (${detail}). Close the other DiffGuard window or command and try again.`,
      { path, cause: err },
    );
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new DatabaseError(
      'DB_CORRUPT',
      `${where} is not a valid SQLite database or is damaged (${detail}). The file was left untouched; move it aside to start a new one.`,
      { path, cause: err },
    );
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM') {
    return new DatabaseError(
      'DB_READONLY',
      `cannot write ${where} (${detail}): the file or its folder is read-only or not accessible.`,
      { path, cause: err },
    );
  }
  return new DatabaseError('DB_FAILED', `${where} failed: ${detail}`, { path, cause: err });
}

/** Runs `fn`, rethrowing SQLite errors as {@link DatabaseError}. */
export function withDatabaseErrors<T>(fn: () => T, path?: string): T {
  try {
    return fn();
  } catch (err) {
    throw toDatabaseError(err, path);
  }
}
