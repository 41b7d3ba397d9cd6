/**
 * The composition root under a mocked Electron: the window gets the security settings and the
 * CJS preload, IPC is registered, the menu is built, navigation and new windows are denied.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';

const userData = mkdtempSync(join(tmpdir(), 'dg-main-'));
const state = vi.hoisted(() => ({
  windows: [] as Array<{ options: Record<string, unknown> }>,
  handled: [] as string[],
  appHandlers: new Map<string, (...args: unknown[]) => void>(),
  menu: null as unknown,
  beforeRequest: null as null | ((d: { url: string }, cb: (r: { cancel: boolean }) => void) => void),
  headers: null as null | ((d: { responseHeaders: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void),
  sandboxEnabled: false,
}));

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = { send: vi.fn() };
    constructor(public options: Record<string, unknown>) {
      state.windows.push(this);
    }
    static getAllWindows = () => state.windows;
    maximize = vi.fn();
    once = vi.fn();
    on = vi.fn();
    loadFile = vi.fn(async () => undefined);
    loadURL = vi.fn(async () => undefined);
  }
  return {
    app: {
      isPackaged: true,
      name: 'DiffGuard',
      enableSandbox: () => void (state.sandboxEnabled = true),
      requestSingleInstanceLock: () => true,
      on: (name: string, fn: (...args: unknown[]) => void) => void state.appHandlers.set(name, fn),
      whenReady: () => Promise.resolve(),
      getPath: () => userData,
      exit: vi.fn(),
      quit: vi.fn(),
    },
    BrowserWindow,
    dialog: { showErrorBox: vi.fn() },
    ipcMain: { handle: (c: string) => void state.handled.push(c), removeHandler: vi.fn() },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: unknown) => void (state.menu = m) },
    nativeTheme: { shouldUseDarkColors: false },
    safeStorage: { isEncryptionAvailable: () => false, encryptString: vi.fn(), decryptString: vi.fn() },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    session: {
      defaultSession: {
        webRequest: {
          onHeadersReceived: (fn: typeof state.headers) => void (state.headers = fn),
          onBeforeRequest: (fn: typeof state.beforeRequest) => void (state.beforeRequest = fn),
        },
        setPermissionRequestHandler: vi.fn(),
        setPermissionCheckHandler: vi.fn(),
      },
    },
  };
});

vi.mock('../server/app-host', () => ({
  openAppHost: vi.fn(async () => ({ handlers: {}, settings: {}, close: async () => undefined })),
}));

beforeAll(async () => {
  await import('./index');
  await vi.waitFor(() => expect(state.windows).toHaveLength(1));
});

describe('Electron main', () => {
  it('opens one sandboxed, context-isolated window with the CJS preload', () => {
    expect(state.sandboxEnabled).toBe(true);
    const prefs = state.windows[0].options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false, webSecurity: true });
    expect(String(prefs.preload)).toMatch(/out[/\\]preload[/\\]index\.js$|preload[/\\]index\.js$/);
  });

  it('registers every IPC channel and a native menu', async () => {
    const { INVOKE_CHANNELS } = await import('../shared/ipc');
    expect(state.handled.sort()).toEqual([...INVOKE_CHANNELS].sort());
    const labels = (state.menu as Array<{ label?: string; role?: string }>).map((m) => m.label ?? m.role);
    expect(labels).toEqual(expect.arrayContaining(['&File', 'editMenu', '&Go', '&View', 'windowMenu']));
  });

  it('blocks renderer requests to the network and sets the CSP header', () => {
    const decide = (url: string): boolean => {
      let cancel = false;
      state.beforeRequest!({ url }, (r) => (cancel = r.cancel));
      return cancel;
    };
    expect(decide('https://fonts.gstatic.com/s/inter.woff2')).toBe(true);
    expect(decide('file:///app/out/renderer/assets/index.js')).toBe(false);
    let headers: Record<string, string[]> = {};
    state.headers!({ responseHeaders: {} }, (r) => (headers = r.responseHeaders));
    expect(headers['Content-Security-Policy'][0]).toContain("script-src 'self'");
  });

  it('denies navigation and new windows for every web contents', () => {
    const listeners = new Map<string, (event: { preventDefault(): void }, url?: string) => void>();
    let openHandler: (() => { action: string }) | null = null;
    const contents = {
      on: (name: string, fn: (event: { preventDefault(): void }, url?: string) => void) => void listeners.set(name, fn),
      setWindowOpenHandler: (fn: () => { action: string }) => void (openHandler = fn),
    };
    state.appHandlers.get('web-contents-created')!({}, contents);
    const prevented = vi.fn();
    listeners.get('will-navigate')!({ preventDefault: prevented }, 'https://example.com/phish');
    expect(prevented).toHaveBeenCalled();
    expect(openHandler!()).toEqual({ action: 'deny' });
  });
});
