import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';

it('the shipped letter-trigram table is what scripts/gen-letter-trigrams.mjs makes from WordNet', () => {
  const r = spawnSync(process.execPath, [resolve(__dirname, 'gen-letter-trigrams.mjs'), '--check'], { encoding: 'utf8' });
  expect(r.stdout + r.stderr).toMatch(/is up to date/);
  expect(r.status).toBe(0);
});
