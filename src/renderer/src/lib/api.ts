/**
 * @file The renderer's only way to the engine. Inside Electron it wraps `window.api` (the
 * preload bridge); in a browser it speaks the same contract over HTTP to the local host, with
 * the bearer token taken from the URL fragment (`#token=…`) and kept in sessionStorage.
 * Components never touch window.api or fetch directly.
 */
import type { DesktopApi, EventChannel, EventPayload, InvokeChannel, InvokeInput, InvokeOutput, Result } from '../../../shared/ipc';

const TOKEN_KEY = 'diffguard.token';

/** Reads `#token=…` once, stores it for this tab and removes it from the address bar. */
export function takeTokenFromLocation(loc: Location, storage: Storage, history?: History): string | null {
  const m = /(?:^#|&)token=([^&]+)/.exec(loc.hash);
  if (m) {
    const token = decodeURIComponent(m[1]);
    storage.setItem(TOKEN_KEY, token);
    history?.replaceState(null, '', loc.pathname + loc.search);
    return token;
  }
  return storage.getItem(TOKEN_KEY);
}

/** The HTTP transport: POST /api/invoke/<channel> with the bearer token. */
export function createHttpApi(getToken: () => string | null, fetchImpl: typeof fetch = (...a) => fetch(...a)): DesktopApi {
  return {
    async invoke<C extends InvokeChannel>(channel: C, input: InvokeInput<C>): Promise<Result<InvokeOutput<C>>> {
      const token = getToken();
      if (!token) {
        return { ok: false, error: { code: 'unauthorized', message: 'No access token. Open the address printed by `npm run serve` (it ends with #token=…).' } };
      }
      let res: Response;
      try {
        res = await fetchImpl(`/api/invoke/${encodeURIComponent(channel)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify(input ?? {}),
        });
      } catch (err) {
        return { ok: false, error: { code: 'network', message: `The DiffGuard host is not reachable (${(err as Error).message}).` } };
      }
      try {
        return (await res.json()) as Result<InvokeOutput<C>>;
      } catch {
        return { ok: false, error: { code: 'internal', message: `Unexpected response from the host (HTTP ${res.status}).` } };
      }
    },
    on<E extends EventChannel>(_event: E, _listener: (payload: EventPayload<E>) => void): () => void {
      // The HTTP transport has no push channel yet; nothing is pushed outside Electron.
      return () => undefined;
    },
  };
}

function pickApi(): DesktopApi {
  if (typeof window !== 'undefined' && window.api) return window.api;
  let token: string | null = null;
  if (typeof window !== 'undefined') {
    try {
      token = takeTokenFromLocation(window.location, window.sessionStorage, window.history);
    } catch {
      token = null;
    }
  }
  return createHttpApi(() => token);
}

/** The transport in use: `window.api` when present, else HTTP. */
export const api: DesktopApi = pickApi();

/** Which host the renderer talks to. */
export const transport: 'electron' | 'http' = typeof window !== 'undefined' && window.api ? 'electron' : 'http';
