/**
 * Handler layer tests: completeness (one handler per channel), validation of untrusted payloads,
 * errors as data, settings defaults, and the history mapping.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS } from '../shared/ipc';
import { createHandlers, type HandlerHost } from './handlers';
import { openSettingsStore } from './settings-store';
import { fakeEngine, fakeHistory, historyRow } from './test-fakes';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function host(overrides: Partial<HandlerHost> = {}, log?: Array<{ text: string; policy?: string; source?: string }>): HandlerHost {
  const dir = mkdtempSync(join(tmpdir(), 'dg-handlers-'));
  dirs.push(dir);
  return { engine: fakeEngine(log), history: fakeHistory(), settings: openSettingsStore(dir), kind: 'http', dataDir: dir, privacyMode: false, ...overrides };
}

describe('createHandlers', () => {
  it('has exactly one handler per invoke channel', () => {
    expect(Object.keys(createHandlers(host())).sort()).toEqual([...INVOKE_CHANNELS].sort());
  });

  it('sanitizes with the saved policy unless the request names one, and tags the run as a workbench run', async () => {
    const log: Array<{ text: string; policy?: string; source?: string }> = [];
    const h = host({}, log);
    h.settings.set({ policy: 'strict' });
    const handlers = createHandlers(h);
    const r = await handlers['engine:sanitize']({ text: 'Reply to ana.garcia@example.com by Friday' });
    expect(r.ok && r.value.cleaned).toBe('Reply to [EMAIL_1] by Friday');
    await handlers['engine:sanitize']({ text: 'x', policy: 'permissive' });
    expect(log).toEqual([
      { text: 'Reply to ana.garcia@example.com by Friday', policy: 'strict', source: 'workbench' },
      { text: 'x', policy: 'permissive', source: 'workbench' },
    ]);
  });

  it('returns invalid_input for a bad payload without calling the engine', async () => {
    const log: Array<{ text: string }> = [];
    const handlers = createHandlers(host({}, log));
    const r = await handlers['engine:sanitize']({ text: ['not', 'a', 'string'] });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(log).toHaveLength(0);
  });

  it('turns an engine exception into an error result', async () => {
    const engine = { ...fakeEngine(), sanitize: async () => Promise.reject(new Error('vault key cannot be decrypted')) };
    const r = await createHandlers(host({ engine }))['engine:sanitize']({ text: 'hello' });
    expect(r).toEqual({ ok: false, error: { code: 'internal', message: 'vault key cannot be decrypted' } });
  });

  it('reports history as unavailable when it is off', async () => {
    const r = await createHandlers(host({ history: null }))['history:list']({});
    expect(r).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('maps repository rows to history entries and deletes them', async () => {
    const history = fakeHistory();
    history.rows.push(historyRow(1, 'mail bob@example.org', 'mail [EMAIL_1]'), historyRow(2, 'what is 2+2', 'what is 2+2', 'pass'));
    const handlers = createHandlers(host({ history }));
    const page = await handlers['history:list']({ verdict: 'cleaned' });
    expect(page.ok && page.value).toEqual({
      total: 1,
      rows: [expect.objectContaining({ id: 1, createdAt: '2026-11-26T10:00:00.000Z', text: 'mail bob@example.org', categories: ['pii'], verdict: 'cleaned' })],
    });
    expect(await handlers['history:get']({ id: 2 })).toMatchObject({ ok: true, value: { cleaned: 'what is 2+2' } });
    expect(await handlers['history:get']({ id: 99 })).toEqual({ ok: true, value: null });
    expect(await handlers['history:delete']({ id: 1 })).toEqual({ ok: true, value: { deleted: true } });
    expect(await handlers['history:deleteAll']({})).toEqual({ ok: true, value: { deleted: 1 } });
  });

  it('exports history as JSONL and CSV text with a dated file name', async () => {
    const history = fakeHistory();
    history.rows.push(historyRow(1, 'mail bob@example.org', 'mail [EMAIL_1]'));
    const handlers = createHandlers(host({ history }));
    const jsonl = await handlers['history:export']({ format: 'jsonl' });
    expect(jsonl.ok && jsonl.value.filename).toMatch(/^diffguard-history-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}\.jsonl$/);
    expect(jsonl.ok && JSON.parse(jsonl.value.content.trim())).toMatchObject({ id: 1, text: 'mail bob@example.org' });
    const csv = await handlers['history:export']({ format: 'csv' });
    expect(csv.ok && csv.value).toMatchObject({ mime: 'text/csv', content: 'id,verdict\n1,cleaned\n' });
  });

  it('restores placeholders from an earlier run', async () => {
    const handlers = createHandlers(host());
    await handlers['engine:sanitize']({ text: 'Contact li.wei@example.cn' });
    const r = await handlers['engine:restore']({ text: 'I wrote to [EMAIL_1] and [EMAIL_7].' });
    expect(r).toEqual({ ok: true, value: { text: 'I wrote to li.wei@example.cn and [EMAIL_7].', restored: 1, unknown: ['[EMAIL_7]'] } });
  });

  it('persists settings and rejects invalid ones', async () => {
    const h = host();
    const handlers = createHandlers(h);
    expect(await handlers['settings:get']({})).toMatchObject({ ok: true, value: { policy: 'balanced', theme: 'system', history: true } });
    expect(await handlers['settings:set']({ theme: 'dark', retentionDays: 30 })).toMatchObject({ ok: true, value: { theme: 'dark', retentionDays: 30 } });
    expect(openSettingsStore(h.dataDir).get()).toMatchObject({ theme: 'dark', retentionDays: 30 });
    expect(await handlers['settings:set']({ policy: 'none' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
