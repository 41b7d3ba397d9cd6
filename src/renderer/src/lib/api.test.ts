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
