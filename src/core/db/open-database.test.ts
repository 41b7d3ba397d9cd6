import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { holdExclusiveLock } from './__fixtures__/lock-holder';
import { makeReadOnly, makeTempDir } from './__fixtures__/temp-dir';
import { DatabaseError, MIGRATIONS, appliedMigrations, migrationHash, openDatabase, type Migration } from './index';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = makeTempDir());
});
afterEach(() => cleanup());

/** Runs `fn` and returns the DatabaseError it throws (fails the test when it does not throw one). */
function catchDbError(fn: () => unknown): DatabaseError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DatabaseError);
    return err as DatabaseError;
  }
  throw new Error('expected a DatabaseError, nothing was thrown');
}

const tableNames = (db: Database.Database): string[] =>
  (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map(
    (r) => r.name,
  );

describe('openDatabase', () => {
  it('creates the file with WAL, foreign keys, busy timeout and every migration recorded with its sha256', () => {
    const path = join(dir, 'nested', 'diffguard.db');
    const db = openDatabase(path);
    try {
      expect(existsSync(path)).toBe(true);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(2000);
      const applied = appliedMigrations(db);
      expect(applied.map((a) => a.version)).toEqual(MIGRATIONS.map((m) => m.version));
      for (const [i, a] of applied.entries()) {
        expect(a.name).toBe(MIGRATIONS[i]!.name);
        expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
        expect(a.sha256).toBe(migrationHash(MIGRATIONS[i]!.sql));
      }
      expect(tableNames(db)).toEqual(
        expect.arrayContaining(['history', 'history_categories', 'history_fts', 'schema_migrations', 'vault_entries', 'vault_meta']),
      );
    } finally {
      db.close();
    }
  });

  it('migration files are named NNNN-description and numbered consecutively from 1', () => {
    MIGRATIONS.forEach((m, i) => {
      expect(m.version).toBe(i + 1);
      expect(m.name).toMatch(new RegExp(`^${String(i + 1).padStart(4, '0')}-[a-z0-9-]+$`));
      expect(m.sql.length).toBeGreaterThan(0);
    });
  });

  it('reopening applies nothing again and keeps the data', () => {
    const path = join(dir, 'a.db');
    const db1 = openDatabase(path);
    const first = appliedMigrations(db1);
    db1.exec("INSERT INTO vault_meta (name, value) VALUES ('probe', x'01')");
    db1.close();
    const db2 = openDatabase(path);
    try {
      expect(appliedMigrations(db2)).toEqual(first);
      expect(db2.prepare("SELECT count(*) AS n FROM vault_meta WHERE name = 'probe'").get()).toEqual({ n: 1 });
    } finally {
      db2.close();
    }
  });

  it('upgrades a database that has only the first migration, keeping its rows', () => {
    const path = join(dir, 'old.db');
    const old = openDatabase(path, { migrations: MIGRATIONS.slice(0, 1) });
    expect(tableNames(old)).not.toContain('vault_entries');
    old
      .prepare(
        "INSERT INTO history (created_at, source, verdict, original, cleaned, findings, categories, risk_before, risk_after, semantic, elapsed_ms) VALUES (1, 'cli', 'pass', 'hello', 'hello', '[]', '[]', 0, 0, 1, 0.5)",
      )
      .run();
    old.close();
    const db = openDatabase(path);
    try {
      expect(appliedMigrations(db).map((a) => a.version)).toEqual(MIGRATIONS.map((m) => m.version));
      expect(tableNames(db)).toContain('vault_entries');
      expect(db.prepare('SELECT original FROM history').get()).toEqual({ original: 'hello' });
    } finally {
      db.close();
    }
  });

  it('refuses to open when an applied migration was edited (MIGRATION_CHANGED) and changes nothing', () => {
    const path = join(dir, 'm.db');
    const v1: Migration[] = [{ version: 1, name: '0001-create-notes', sql: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL) STRICT;' }];
    openDatabase(path, { migrations: v1 }).close();
    const edited: Migration[] = [{ ...v1[0]!, sql: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT) STRICT;' }];
    const err = catchDbError(() => openDatabase(path, { migrations: edited }));
    expect(err.code).toBe('MIGRATION_CHANGED');
    expect(err.message).toContain('0001-create-notes');
    const raw = new Database(path, { readonly: true });
    try {
      expect((raw.prepare('SELECT sha256 FROM schema_migrations').get() as { sha256: string }).sha256).toBe(migrationHash(v1[0]!.sql));
    } finally {
      raw.close();
    }
  });

  it('hashes CRLF and LF checkouts of a migration the same', () => {
    expect(migrationHash('CREATE TABLE a (x INTEGER);\r\nCREATE TABLE b (y INTEGER);\r\n')).toBe(
      migrationHash('CREATE TABLE a (x INTEGER);\nCREATE TABLE b (y INTEGER);\n'),
    );
  });

  it('refuses a database migrated by a newer version (SCHEMA_NEWER)', () => {
    const path = join(dir, 'new.db');
    openDatabase(path).close();
    const err = catchDbError(() => openDatabase(path, { migrations: MIGRATIONS.slice(0, 1) }));
    expect(err.code).toBe('SCHEMA_NEWER');
  });

  it('rolls back every migration of the run when one fails', () => {
    const path = join(dir, 'bad.db');
    const broken: Migration[] = [
      MIGRATIONS[0]!,
      { version: 2, name: '0002-broken', sql: 'CREATE TABLE broken (id INTEGER PRIMARY KEY) STRICT; INSERT INTO no_such_table VALUES (1);' },
    ];
    expect(() => openDatabase(path, { migrations: broken })).toThrow(/no_such_table/);
    const raw = new Database(path, { readonly: true });
    try {
      expect(tableNames(raw)).not.toContain('history');
      expect(tableNames(raw)).not.toContain('broken');
    } finally {
      raw.close();
    }
  });

  it('reports a file of random bytes as DB_CORRUPT and leaves it byte-for-byte untouched', () => {
    const path = join(dir, 'garbage.db');
    const bytes = randomBytes(64 * 1024);
    writeFileSync(path, bytes);
    const err = catchDbError(() => openDatabase(path));
    expect(err.code).toBe('DB_CORRUPT');
    expect(err.message).toContain(path);
    expect(err.message).toMatch(/untouched/);
    expect(readFileSync(path).equals(bytes)).toBe(true);
    expect(readdirSync(dir)).toEqual(['garbage.db']);
  });

  it('reports a database whose pages were overwritten as DB_CORRUPT without rewriting it', () => {
    const path = join(dir, 'damaged.db');
    const db = openDatabase(path);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const good = readFileSync(path);
    const pageSize = good.readUInt16BE(16);
    // Keep the header page, scribble over every other page (the tables' b-trees).
    const damaged = Buffer.concat([good.subarray(0, pageSize), randomBytes(good.length - pageSize)]);
    writeFileSync(path, damaged);
    const err = catchDbError(() => openDatabase(path));
    expect(err.code).toBe('DB_CORRUPT');
    expect(readFileSync(path).equals(damaged)).toBe(true);
  });

  it('fails with DB_LOCKED within about the busy timeout when another process holds an exclusive lock', async () => {
    const path = join(dir, 'locked.db');
    const holder = await holdExclusiveLock(path, 'rollback');
    try {
      const t0 = Date.now();
      const err = catchDbError(() => openDatabase(path, { busyTimeoutMs: 300 }));
      const waited = Date.now() - t0;
      expect(err.code).toBe('DB_LOCKED');
      expect(err.message).toMatch(/locked/);
      expect(waited).toBeGreaterThanOrEqual(250);
      expect(waited).toBeLessThan(5000);
    } finally {
      await holder.release();
    }
    // Once the other process is gone the same file opens and migrates normally.
    const db = openDatabase(path);
    expect(appliedMigrations(db)).toHaveLength(MIGRATIONS.length);
    db.close();
  });

  it('reports a folder the process cannot write to as DB_READONLY', (ctx) => {
    const roDir = join(dir, 'ro');
    openDatabase(join(roDir, 'seed.db')).close();
    const undo = makeReadOnly(roDir);
    if (!undo) ctx.skip();
    try {
      const err = catchDbError(() => openDatabase(join(roDir, 'new.db')));
      expect(err.code).toBe('DB_READONLY');
      expect(err.message).toMatch(/read-only/);
      expect(existsSync(join(roDir, 'new.db'))).toBe(false);
      // An existing database in that folder cannot get its WAL files either: same clear error.
      expect(catchDbError(() => openDatabase(join(roDir, 'seed.db'))).code).toBe('DB_READONLY');
    } finally {
      undo?.();
    }
  });

  it('opens an in-memory database for tests', () => {
    const db = openDatabase(':memory:');
    try {
      expect(appliedMigrations(db)).toHaveLength(MIGRATIONS.length);
    } finally {
      db.close();
    }
  });
});
