/**
 * @file Test helper: a fresh folder under the OS temp dir per test, removed afterwards, and a way to
 * make a folder read-only that also works when tests run as root (where permission bits are ignored).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Creates a temp folder; call the returned `cleanup` in afterEach. */
export function makeTempDir(prefix = 'diffguard-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Makes `dir` unwritable: chmod 0555 for normal users; for root (which ignores mode bits) the
 * immutable attribute via chattr. Returns an undo function, or null when neither works here.
 */
export function makeReadOnly(dir: string): (() => void) | null {
  if (process.platform === 'win32') return null;
  if (process.getuid?.() !== 0) {
    chmodSync(dir, 0o555);
    return () => chmodSync(dir, 0o755);
  }
  try {
    execFileSync('chattr', ['+i', dir], { stdio: 'ignore' });
    return () => execFileSync('chattr', ['-i', dir], { stdio: 'ignore' });
  } catch {
    return null;
  }
}
