/**
 * @file Electron main: the composition root of the desktop app. Builds the engine once (through
 * the shared app host, data in userData, vault key protected by safeStorage), registers the IPC
 * contract, applies the security policy (sandboxed renderer, strict CSP, no navigation, no new
 * windows, no network), the native menu, and restores the window's size. Logic lives elsewhere.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, safeStorage, screen, session } from 'electron';
import type { BatchJob, View } from '../shared/ipc';
import { openAppHost, type AppHost } from '../server/app-host';
import { registerIpc } from './ipc/handle';
import { SafeStorageKeyProvider } from './key-provider';
import { menuTemplate } from './menu';
import { hardenWebContents, installSessionSecurity, type RendererOrigin } from './security';
import { loadWindowState, saveWindowState } from './window-state';
import { throttleByKey } from './throttle';

const devUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined;
const devOrigin = devUrl ? new URL(devUrl).origin : undefined;
const rendererFile = join(__dirname, '../renderer/index.html');
const expected: RendererOrigin = devOrigin ? { devOrigin } : { fileUrl: pathToFileURL(rendererFile).href };

let appHost: AppHost | null = null;
let mainWindow: BrowserWindow | null = null;

app.enableSandbox();
if (!app.requestSingleInstanceLock()) app.quit();

app.on('second-instance', () => {
  if (mainWindow) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  }
});

app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, expected));

function createWindow(): BrowserWindow {
  const stateFile = join(app.getPath('userData'), 'window-state.json');
  const state = loadWindowState(stateFile, screen.getAllDisplays().map((d) => d.workArea));
  const win = new BrowserWindow({
    width: state.width,
    height: state.height,
    x: state.x,
    y: state.y,
    minWidth: 720,
    minHeight: 520,
    show: false,
    title: 'DiffGuard',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#15171a' : '#f6f7f9',
    webPreferences: {
      preload: join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.on('close', () => {
    const b = win.getNormalBounds();
    saveWindowState(stateFile, { width: b.width, height: b.height, x: b.x, y: b.y, maximized: win.isMaximized() });
  });
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  if (devUrl) void win.loadURL(devUrl);
  else void win.loadFile(rendererFile);
  return win;
}

function navigate(view: View): void {
  mainWindow?.webContents.send('app:navigate', { view });
}

/** File → Open CSV…: the native dialog, then the batch view with the file's preview. */
function openCsv(): void {
  if (!appHost || !mainWindow) return;
  const host = appHost;
  void dialog
    .showOpenDialog(mainWindow, { title: 'Open a CSV file', properties: ['openFile'], filters: [{ name: 'CSV', extensions: ['csv', 'tsv', 'txt'] }] })
    .then((r) => {
      const path = r.canceled ? undefined : r.filePaths[0];
      if (!path) return;
      navigate('batch');
      mainWindow?.webContents.send('batch:fileOpened', host.batch.registerPath(path));
    });
}

async function start(): Promise<void> {
  installSessionSecurity(session.defaultSession, devOrigin);
  const userData = app.getPath('userData');
  const keyProvider = new SafeStorageKeyProvider(safeStorage, join(userData, 'vault.key.enc'));
  try {
    // Batch progress: about 10 events per second per job, the final state always delivered.
    const pushProgress = throttleByKey<BatchJob>((job) => mainWindow?.webContents.send('batch:progress', job), 100);
    appHost = await openAppHost({
      dataDir: userData,
      kind: 'electron',
      keyProvider,
      onBatchProgress: (job) => pushProgress(job.jobId, job),
      openFileDialog: async () => {
        const opts = { title: 'Open a CSV file', properties: ['openFile' as const], filters: [{ name: 'CSV', extensions: ['csv', 'tsv', 'txt'] }] };
        const r = mainWindow ? await dialog.showOpenDialog(mainWindow, opts) : await dialog.showOpenDialog(opts);
        return r.canceled ? null : (r.filePaths[0] ?? null);
      },
    });
  } catch (err) {
    dialog.showErrorBox('DiffGuard could not start', `${(err as Error).message}\n\nData folder: ${userData}`);
    app.exit(1);
    return;
  }
  registerIpc(ipcMain, appHost.handlers, expected);
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(menuTemplate({ navigate, openCsv, isDev: !!devUrl, isMac: process.platform === 'darwin', appName: app.name })),
  );
  mainWindow = createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
}

app.whenReady().then(start, (err: unknown) => {
  console.error(err);
  app.exit(1);
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

let closing = false;
app.on('will-quit', (event) => {
  if (!appHost || closing) return;
  closing = true;
  event.preventDefault();
  appHost
    .close()
    .catch((err: unknown) => console.error('[diffguard] close failed:', err))
    .finally(() => app.quit());
});
