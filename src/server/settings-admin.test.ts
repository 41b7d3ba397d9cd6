/**
 * Settings beyond the skeleton: the policy built from per-category actions and lists, the admin
 * policy file that locks what it sets (read as the admin's value, refused by settings:set), the
 * model listing with model cards, and clearing the vault.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHandlers, effectivePolicy } from './handlers';
import { listModels } from './models-info';
import { DEFAULT_SETTINGS, openSettingsStore } from './settings-store';
import { fakeEngine, fakeHistory } from './test-fakes';

const dirs: string[] = [];
const temp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'dg-settings-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('settings', () => {
  it('uses the bare preset until the user customises it, then the preset with the overrides', () => {
    expect(effectivePolicy(DEFAULT_SETTINGS)).toBe('balanced');
    const p = effectivePolicy({ ...DEFAULT_SETTINGS, categoryActions: { pii: 'remove' }, denyList: ['Project Falcon'] }, 'strict');
    expect(typeof p).toBe('object');
    if (typeof p === 'object') {
      expect(p.actions.pii).toBe('remove');
      expect(p.actions.secret).toBe('redact');
      expect(p.actions['kind:encoded_base64']).toBe('remove'); // strict's own
      expect(p.denyList).toEqual(['Project Falcon']);
    }
  });

  it('an admin policy file locks what it sets: read as the admin value, refused on change, reported by engine:info', async () => {
    const dir = temp();
    writeFileSync(join(dir, 'admin-policy.json'), JSON.stringify({ privacyMode: true, policy: 'strict' }));
    const settings = openSettingsStore(dir);
    expect(settings.get()).toMatchObject({ privacyMode: true, policy: 'strict', theme: 'system' });
    expect(settings.locked().sort()).toEqual(['policy', 'privacyMode']);
    const handlers = createHandlers({ engine: fakeEngine(), history: fakeHistory(), settings, kind: 'http', dataDir: dir, privacyMode: true });
    expect(await handlers['settings:set']({ privacyMode: false })).toMatchObject({ ok: false, error: { code: 'locked', message: expect.stringContaining('privacyMode') } });
    expect(await handlers['settings:set']({ theme: 'dark' })).toMatchObject({ ok: true, value: { theme: 'dark', privacyMode: true } });
    const info = await handlers['engine:info']({});
    expect(info.ok && info.value.host?.lockedSettings?.sort()).toEqual(['policy', 'privacyMode']);
    expect(info.ok && info.value.host?.adminPolicy).toBe(join(dir, 'admin-policy.json'));
  });

  it('a broken admin policy file locks nothing', () => {
    const dir = temp();
    writeFileSync(join(dir, 'admin-policy.json'), '{ "privacyMode": "yes" }');
    const settings = openSettingsStore(dir);
    expect(settings.locked()).toEqual([]);
    expect(settings.adminPolicy()).toBeNull();
  });

  it('lists models with the version in use and its model card', () => {
    const dir = temp();
    mkdirSync(join(dir, 'analyzer', '2026.11.1'), { recursive: true });
    mkdirSync(join(dir, 'analyzer', '2026.10.2'), { recursive: true });
    writeFileSync(join(dir, 'analyzer', 'LATEST'), '2026.11.1\n');
    writeFileSync(join(dir, 'analyzer', '2026.11.1', 'MODEL_CARD.md'), '# Analyzer 2026.11.1\nTrained on synthetic prompts.');
    mkdirSync(join(dir, 'rewriter-tiny'), { recursive: true });
    expect(listModels(dir)).toEqual([
      { name: 'analyzer', current: '2026.11.1', versions: ['2026.10.2', '2026.11.1'], card: '# Analyzer 2026.11.1\nTrained on synthetic prompts.' },
      { name: 'rewriter-tiny', current: null, versions: [], card: null },
    ]);
    expect(listModels(join(dir, 'missing'))).toEqual([]);
  });
});
