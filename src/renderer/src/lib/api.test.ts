import { describe, expect, it, vi } from 'vitest';
import { createHttpApi, takeTokenFromLocation } from './api';

describe('HTTP transport', () => {
  it('posts the payload with the bearer token and returns the result', async () => {
    const fetchImpl = vi.fn(async () => new Response(JSON.stringify({ ok: true, value: { text: 'x', restored: 0, unknown: [] } }), { status: 200 }));
    const api = createHttpApi(() => 'tok_0123456789abcdef', fetchImpl as unknown as typeof fetch);
    const r = await api.invoke('engine:restore', { text: 'x' });
    expect(r).toEqual({ ok: true, value: { text: 'x', restored: 0, unknown: [] } });
    expect(fetchImpl).toHaveBeenCalledWith('/api/invoke/engine%3Arestore', expect.objectContaining({ method: 'POST', body: '{"text":"x"}', headers: expect.objectContaining({ Authorization: 'Bearer tok_0123456789abcdef' }) }));
  });

  it('reports a missing token and an unreachable host as errors', async () => {
    expect(await createHttpApi(() => null).invoke('engine:info', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const down = createHttpApi(() => 't', (async () => Promise.reject(new TypeError('Failed to fetch'))) as unknown as typeof fetch);
    expect(await down.invoke('engine:info', {})).toMatchObject({ ok: false, error: { code: 'network' } });
  });

  it('takes the token from the fragment, keeps it for the tab, and clears the address bar', () => {
    const storage = new Map<string, string>();
    const store = { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v) } as unknown as Storage;
    const replaceState = vi.fn();
    const token = takeTokenFromLocation({ hash: '#token=abc_DEF-123', pathname: '/', search: '' } as Location, store, { replaceState } as unknown as History);
    expect(token).toBe('abc_DEF-123');
    expect(replaceState).toHaveBeenCalledWith(null, '', '/');
    expect(takeTokenFromLocation({ hash: '', pathname: '/', search: '' } as Location, store)).toBe('abc_DEF-123');
  });
});

describe('watchBatchJob', () => {
  it('polls batch:status over HTTP until stopped, and filters pushed events by job in Electron', async () => {
    const { watchBatchJob } = await import('./api');
    const states = ['running', 'running', 'done'];
    let calls = 0;
    const job = (state: string) => ({ jobId: 'j1', state, done: 0 }) as never;
    const fake = {
      invoke: async () => ({ ok: true, value: job(states[Math.min(calls++, 2)]!) }),
      on: (_e: string, l: (p: unknown) => void) => {
        l(job('other'));
        l({ ...(job('paused') as object), jobId: 'j2' });
        l(job('paused'));
        return () => undefined;
      },
    } as never;
    const seen: string[] = [];
    const stop = watchBatchJob('j1', (j) => seen.push(j.state), 5, fake, 'http');
    await new Promise((r) => setTimeout(r, 40));
    stop();
    const after = calls;
    await new Promise((r) => setTimeout(r, 30));
    expect(calls).toBe(after);
    expect(seen.slice(0, 3)).toEqual(['running', 'running', 'done']);
    const pushed: string[] = [];
    watchBatchJob('j1', (j) => pushed.push(j.state), 5, fake, 'electron');
    expect(pushed).toEqual(['other', 'paused']);
  });
});
