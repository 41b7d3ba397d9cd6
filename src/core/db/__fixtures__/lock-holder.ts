/**
 * @file Test helper: another OS process that opens a SQLite file and holds `BEGIN EXCLUSIVE` until
 * released, to test how the app behaves against a real lock held outside the process.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';

const SCRIPT = `
const Database = require('better-sqlite3');
const db = new Database(process.argv[1]);
if (process.argv[2] === 'wal') db.pragma('journal_mode = WAL');
db.exec('CREATE TABLE IF NOT EXISTS lock_holder (x INTEGER) STRICT');
db.exec('BEGIN EXCLUSIVE');
db.exec('INSERT INTO lock_holder VALUES (1)');
process.stdout.write('locked\\n');
process.stdin.on('end', () => { db.exec('ROLLBACK'); db.close(); process.exit(0); });
process.stdin.resume();
`;

/**
 * Starts a child process holding an exclusive lock on `path` (in WAL mode when `mode` is 'wal').
 * Resolves once the lock is held; `release()` ends the child.
 */
export async function holdExclusiveLock(path: string, mode: 'wal' | 'rollback'): Promise<{ release: () => Promise<void> }> {
  const child = spawn(process.execPath, ['-e', SCRIPT, path, mode], { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('locked')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`lock holder exited early (${code}): ${stderr}`)));
  });
  return {
    release: async () => {
      const exited = once(child, 'exit');
      child.stdin.end();
      await exited;
    },
  };
}
