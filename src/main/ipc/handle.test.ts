/**
 * The IPC registration helper: every contract channel is registered, untrusted senders are
 * refused before any handler runs, payloads are validated, errors come back as data.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { INVOKE_CHANNELS } from '../../shared/ipc';
import { createHandlers } from '../../server/handlers';
import { openSettingsStore } from '../../server/settings-store';
import { fakeEngine, fakeHistory } from '../../server/test-fakes';
import { registerIpc } from './handle';

vi.mock('electron', () => ({}));

const expected = { fileUrl: 'file:///app/out/renderer/index.html' };
const appFrame = { url: 'file:///app/out/renderer/index.html', parent: null };

function setup() {
  const log: Array<{ text: string }> = [];
  const dir = mkdtempSync(join(tmpdir(), 'dg-ipc-'));
  const handlers = createHandlers({ engine: fakeEngine(log), history: fakeHistory(), settings: openSettingsStore(dir), kind: 'electron', dataDir: dir, privacyMode: false });
  const registered = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>();
  const ipcMain = {
    handle: vi.fn((channel: string, fn: (event: unknown, payload: unknown) => Promise<unknown>) => void registered.set(channel, fn)),
    removeHandler: vi.fn((channel: string) => void registered.delete(channel)),
  };
  const dispose = registerIpc(ipcMain as never, handlers, expected);
  return { log, registered, dispose };
}

describe('registerIpc', () => {
  it('registers every channel of the contract once and removes them all', () => {
    const { registered, dispose } = setup();
    expect([...registered.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    dispose();
    expect(registered.size).toBe(0);
  });

  it('runs the handler for the app main frame', async () => {
    const { registered } = setup();
    const r = await registered.get('engine:sanitize')!({ senderFrame: appFrame }, { text: 'cc tom@example.net' });
    expect(r).toMatchObject({ ok: true, value: { cleaned: 'cc [EMAIL_1]' } });
  });

  it('refuses a subframe or a foreign page before the engine sees the text', async () => {
    const { registered, log } = setup();
    const fromIframe = await registered.get('engine:sanitize')!({ senderFrame: { ...appFrame, parent: {} } }, { text: 'a@b.co' });
    const fromOther = await registered.get('engine:sanitize')!({ senderFrame: { url: 'https://evil.example/', parent: null } }, { text: 'a@b.co' });
    const noFrame = await registered.get('engine:sanitize')!({ senderFrame: null }, { text: 'a@b.co' });
    for (const r of [fromIframe, fromOther, noFrame]) expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(log).toHaveLength(0);
  });

  it('returns a validation error as data', async () => {
    const { registered } = setup();
    expect(await registered.get('history:get')!({ senderFrame: appFrame }, { id: 'one' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
