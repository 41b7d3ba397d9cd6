/**
 * @file The ordered list of schema migrations. Each migration is a `NNNN-description.sql` file
 * imported as a string (`?raw`), so the bundled app and CLI carry the SQL inside the JS bundle and
 * never read it from disk. Add new files at the end; never edit or renumber a released one.
 */
import createHistory from './0001-create-history.sql?raw';
import createVault from './0002-create-vault.sql?raw';
import createBatchJobs from './0003-create-batch-jobs.sql?raw';

/** One schema migration: applied once, in `version` order, recorded with the sha256 of `sql`. */
export type Migration = {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
};

/** Every migration the code knows, in the order they are applied. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: '0001-create-history', sql: createHistory },
  { version: 2, name: '0002-create-vault', sql: createVault },
  { version: 3, name: '0003-create-batch-jobs', sql: createBatchJobs },
];
