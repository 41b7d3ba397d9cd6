/**
 * Native parts of the desktop app through Playwright's Electron driver: the Go menu switches
 * views (Batch, History, Settings), File → Open CSV… and the batch view's Open… button use the
 * native dialog (stubbed in the main process to return a real CSV path) and show its preview,
 * batch progress arrives as pushed `batch:progress` events, and a file dropped on the batch view
 * is previewed. Skipped where the Electron binary is absent.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import { writeTicketsCsv } from '../pages/batch-csv';

const hasElectron = existsSync('node_modules/electron/dist/electron');
test.skip(!hasElectron, 'Electron binary not installed here (it is downloaded lazily on first run on a user machine)');

let app: ElectronApplication;

test.beforeAll(async () => {
  const userData = mkdtempSync(join(tmpdir(), 'diffguard-electron-native-'));
  app = await electron.launch({ args: ['.', `--user-data-dir=${userData}`], env: { ...process.env, ELECTRON_RENDERER_URL: '' } });
});
test.afterAll(async () => {
  await app?.close();
});

/** Makes the main process's open dialog return `path` without showing anything. */
async function stubDialog(path: string): Promise<void> {
  await app.evaluate(({ dialog }, p) => {
    dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: [p] })) as typeof dialog.showOpenDialog;
  }, path);
}

/** Clicks a menu item by its top-level and item labels. */
async function clickMenu(top: string, item: string): Promise<void> {
  await app.evaluate(({ Menu, BrowserWindow }, [t, i]) => {
    const menu = Menu.getApplicationMenu();
    const group = menu?.items.find((m) => m.label.replace('&', '') === t);
    const entry = group?.submenu?.items.find((m) => m.label === i);
    if (!entry) throw new Error(`no menu item ${t} → ${i}`);
    entry.click(undefined, BrowserWindow.getAllWindows()[0], undefined as never);
  }, [top, item] as const);
}

test('the Go menu switches views', async () => {
  const page = await app.firstWindow();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  for (const [label, view] of [
    ['Batch', 'batch'],
    ['History', 'history'],
    ['Settings', 'settings'],
    ['Workbench', 'workbench'],
  ] as const) {
    await clickMenu('Go', label);
    await expect(page.getByTestId('app')).toHaveAttribute('data-view', view);
  }
});

test('File → Open CSV… shows the native dialog and previews the file; the job reports progress by push', async () => {
  const page = await app.firstWindow();
  await stubDialog(writeTicketsCsv(40, 'menu-tickets.csv'));
  await clickMenu('File', 'Open CSV…');
  await expect(page.getByTestId('app')).toHaveAttribute('data-view', 'batch');
  await expect(page.getByTestId('batch-preview')).toContainText('menu-tickets.csv');
  await page.getByTestId('batch-start').click();
  await expect(page.getByTestId('batch-progress')).toHaveAttribute('data-state', 'done', { timeout: 20_000 });
  await expect(page.getByTestId('batch-done')).toHaveText('40 / 40');
});

test('the batch view Open… button uses the native dialog', async () => {
  const page = await app.firstWindow();
  await stubDialog(writeTicketsCsv(5, 'dialog-tickets.csv'));
  await clickMenu('Go', 'Batch');
  await page.getByTestId('batch-back').click().catch(() => undefined);
  await page.getByTestId('batch-open-dialog').click();
  await expect(page.getByTestId('batch-preview')).toContainText('dialog-tickets.csv');
});

test('a file dropped on the batch view is previewed', async () => {
  const page = await app.firstWindow();
  const content = readFileSync(writeTicketsCsv(6, 'dropped-desktop.csv'), 'utf8');
  const dataTransfer = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'dropped-desktop.csv', { type: 'text/csv' }));
    return dt;
  }, content);
  await page.getByTestId('batch-page').dispatchEvent('drop', { dataTransfer });
  await expect(page.getByTestId('batch-preview')).toContainText('dropped-desktop.csv');
});
