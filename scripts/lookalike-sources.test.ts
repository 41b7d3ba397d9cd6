import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOOKALIKE_SOURCES } from './lookalike-sources';

describe('look-alike sources', () => {
  it('are the same list as the training pipeline thresholds use', () => {
    const py = readFileSync(resolve(__dirname, '../training/diffguard_train/thresholds.py'), 'utf8');
    const block = /LOOKALIKE_SOURCES = frozenset\(\{([^}]*)\}\)/.exec(py);
    expect(block).not.toBeNull();
    const names = [...block![1]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(5);
    expect([...LOOKALIKE_SOURCES].sort()).toEqual(names.sort());
  });
});
