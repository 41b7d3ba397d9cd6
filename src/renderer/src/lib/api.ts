/**
 * @file The renderer's only way to the engine. Inside Electron it wraps `window.api` (the
 * preload bridge); in a browser it speaks the same contract over HTTP to the local host, with
 * the bearer token taken from the URL fragment (`#token=…`) and kept in sessionStorage.
 * Components never touch window.api or fetch directly.
 */
import type { BatchJob, DesktopApi, EventChannel, EventPayload, InvokeChannel, InvokeInput, InvokeOutput, Result } from '../../../shared/ipc';

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

let httpToken: string | null = null;

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
  httpToken = token;
  return createHttpApi(() => token);
}

/** The transport in use: `window.api` when present, else HTTP. */
export const api: DesktopApi = pickApi();

/** Which host the renderer talks to. */
export const transport: 'electron' | 'http' = typeof window !== 'undefined' && window.api ? 'electron' : 'http';

/**
 * Hands a file chosen or dropped in the window to the host and returns its id for `batch:preview`.
 * HTTP: streamed as the raw body of POST /api/upload (large files never pass through JSON);
 * Electron: its text through `batch:upload`.
 */
export async function uploadFile(file: File, fetchImpl: typeof fetch = (...a) => fetch(...a)): Promise<Result<InvokeOutput<'batch:upload'>>> {
  if (transport === 'electron') return api.invoke('batch:upload', { name: file.name, content: await file.text() });
  if (!httpToken) return { ok: false, error: { code: 'unauthorized', message: 'No access token.' } };
  try {
    const res = await fetchImpl(`/api/upload?name=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream', Authorization: `Bearer ${httpToken}` },
      body: file,
    });
    return (await res.json()) as Result<InvokeOutput<'batch:upload'>>;
  } catch (err) {
    return { ok: false, error: { code: 'network', message: `Upload failed (${(err as Error).message}).` } };
  }
}

/**
 * Follows one batch job: pushed `batch:progress` events in Electron, polling `batch:status` over
 * HTTP (every `pollMs`). The listener gets every new state; call the returned function to stop.
 */
export function watchBatchJob(jobId: string, listener: (job: BatchJob) => void, pollMs = 250, via: DesktopApi = api, kind: 'electron' | 'http' = transport): () => void {
  if (kind === 'electron') {
    return via.on('batch:progress', (job) => {
      if (job.jobId === jobId) listener(job);
    });
  }
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async (): Promise<void> => {
    const r = await via.invoke('batch:status', { jobId });
    if (stopped) return;
    if (r.ok && r.value) listener(r.value);
    timer = setTimeout(() => void tick(), pollMs);
  };
  void tick();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
