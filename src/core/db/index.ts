/**
 * @file Public surface of the SQLite layer: opening the app database with its migrations, and the
 * typed errors. The history repository and the vault take the returned connection.
 */
export { openDatabase, appliedMigrations, migrationHash } from './open-database';
export type { SqliteDatabase, OpenDatabaseOptions, AppliedMigration } from './open-database';
export { DatabaseError, toDatabaseError, withDatabaseErrors } from './errors';
export type { DatabaseErrorCode } from './errors';
export { MIGRATIONS } from './migrations';
export type { Migration } from './migrations';
