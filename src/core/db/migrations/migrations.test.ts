import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../__fixtures__/temp-dir';
import { appliedMigrations, openDatabase } from '../open-database';
import { MIGRATIONS } from './index';

let dir: string;
let cleanup: () => void;
let db: Database.Database | undefined;
beforeEach(() => {
  ({ dir, cleanup } = makeTempDir());
});
afterEach(() => {
  db?.close();
  db = undefined;
  cleanup();
});

/** Opens a real temp database with the migrations up to `version` applied. */
function migrateTo(version: number): Database.Database {
  db = openDatabase(join(dir, `v${version}.db`), { migrations: MIGRATIONS.filter((m) => m.version <= version) });
  expect(appliedMigrations(db).map((a) => a.version)).toEqual(MIGRATIONS.filter((m) => m.version <= version).map((m) => m.version));
  return db;
}

const historyRow = {
  created_at: Date.UTC(2026, 0, 5, 9, 30),
  source: 'workbench',
  verdict: 'cleaned',
  original: 'Email the invoice to maria.lopez@example.org before Friday',
  cleaned: 'Email the invoice to [EMAIL_1] before Friday',
  findings: '[]',
  categories: '["pii"]',
  risk_before: 0.62,
  risk_after: 0.04,
  semantic: 0.93,
  elapsed_ms: 1.8,
};
const insertHistory = (d: Database.Database, row: Record<string, unknown>) =>
  d
    .prepare(
      `INSERT INTO history (created_at, source, verdict, original, cleaned, findings, categories, risk_before, risk_after, semantic, elapsed_ms)
       VALUES (@created_at, @source, @verdict, @original, @cleaned, @findings, @categories, @risk_before, @risk_after, @semantic, @elapsed_ms)`,
    )
    .run(row);
const ftsIds = (d: Database.Database, q: string): number[] =>
  (d.prepare('SELECT rowid FROM history_fts WHERE history_fts MATCH ? ORDER BY rowid').all(q) as { rowid: number }[]).map((r) => r.rowid);

describe('0001-create-history', () => {
  it('creates a STRICT history table that rejects wrong types, unknown sources and missing values', () => {
    const d = migrateTo(1);
    expect(Number(insertHistory(d, historyRow).lastInsertRowid)).toBe(1);
    expect(() => insertHistory(d, { ...historyRow, risk_before: 'high' })).toThrow(/cannot store TEXT value in REAL column/);
    expect(() => insertHistory(d, { ...historyRow, source: 'email' })).toThrow(/CHECK constraint failed/);
    expect(() => insertHistory(d, { ...historyRow, verdict: 'ok' })).toThrow(/CHECK constraint failed/);
    expect(() => insertHistory(d, { ...historyRow, findings: 'not json' })).toThrow(/CHECK constraint failed/);
    expect(() => insertHistory(d, { ...historyRow, created_at: null })).toThrow(/NOT NULL/);
    expect(() => insertHistory(d, { ...historyRow, original: null, cleaned: null })).not.toThrow();
  });

  it('keeps the FTS5 index in sync on insert, update and delete, with porter stemming', () => {
    const d = migrateTo(1);
    insertHistory(d, historyRow);
    insertHistory(d, { ...historyRow, original: 'Summarise the attached contracts', cleaned: 'Summarise the attached contracts' });
    expect(ftsIds(d, 'invoice')).toEqual([1]);
    expect(ftsIds(d, 'contract')).toEqual([2]); // porter: contracts → contract
    expect(ftsIds(d, '"EMAIL 1"')).toEqual([1]); // the placeholder in the cleaned text
    d.prepare("UPDATE history SET original = 'Translate the receipt', cleaned = 'Translate the receipt' WHERE id = 1").run();
    expect(ftsIds(d, 'invoice')).toEqual([]);
    expect(ftsIds(d, 'receipt')).toEqual([1]);
    d.prepare('DELETE FROM history WHERE id = 2').run();
    expect(ftsIds(d, 'contract')).toEqual([]);
  });

  it('deletes a run’s categories with it (foreign key cascade)', () => {
    const d = migrateTo(1);
    insertHistory(d, historyRow);
    d.prepare("INSERT INTO history_categories (history_id, category) VALUES (1, 'pii'), (1, 'secret')").run();
    expect(() => d.prepare("INSERT INTO history_categories (history_id, category) VALUES (99, 'pii')").run()).toThrow(/FOREIGN KEY/);
    d.prepare('DELETE FROM history WHERE id = 1').run();
    expect(d.prepare('SELECT count(*) AS n FROM history_categories').get()).toEqual({ n: 0 });
  });
});

describe('0002-create-vault', () => {
  const entry = (over: Record<string, unknown> = {}) => ({
    type: 'EMAIL',
    seq: 1,
    lookup: Buffer.alloc(32, 1),
    iv: Buffer.alloc(12, 2),
    tag: Buffer.alloc(16, 3),
    ciphertext: Buffer.from([9, 8, 7]),
    created_at: 1,
    ...over,
  });
  const insertEntry = (d: Database.Database, e: Record<string, unknown>) =>
    d
      .prepare('INSERT INTO vault_entries (type, seq, lookup, iv, tag, ciphertext, created_at) VALUES (@type, @seq, @lookup, @iv, @tag, @ciphertext, @created_at)')
      .run(e);

  it('creates vault tables that enforce one placeholder per value and per (type, number)', () => {
    const d = migrateTo(2);
    insertEntry(d, entry());
    expect(() => insertEntry(d, entry({ seq: 2 }))).toThrow(/UNIQUE constraint failed: vault_entries.lookup/);
    expect(() => insertEntry(d, entry({ lookup: Buffer.alloc(32, 4) }))).toThrow(/UNIQUE constraint failed: vault_entries.type, vault_entries.seq/);
    expect(() => insertEntry(d, entry({ lookup: Buffer.alloc(32, 5), seq: 0 }))).toThrow(/CHECK constraint failed/);
    // STRICT: a value can never be stored as TEXT by mistake.
    expect(() => insertEntry(d, entry({ lookup: Buffer.alloc(32, 6), seq: 3, ciphertext: 'maria.lopez@example.org' }))).toThrow(
      /cannot store TEXT value in BLOB column/,
    );
    insertEntry(d, entry({ type: 'PHONE', lookup: Buffer.alloc(32, 7) }));
    expect(d.prepare('SELECT count(*) AS n FROM vault_entries').get()).toEqual({ n: 2 });
  });

  it('keeps the history data of migration 0001 intact', () => {
    const d = migrateTo(2);
    insertHistory(d, historyRow);
    expect(d.prepare('SELECT verdict FROM history').get()).toEqual({ verdict: 'cleaned' });
    d.prepare("INSERT INTO vault_meta (name, value) VALUES ('key_check', ?)").run(Buffer.alloc(32));
    expect(() => d.prepare("INSERT INTO vault_meta (name, value) VALUES ('key_check', ?)").run(Buffer.alloc(32))).toThrow(/UNIQUE|PRIMARY/);
  });
});
