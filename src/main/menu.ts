/**
 * @file The native application menu: the usual roles (edit, view, window) with their standard
 * shortcuts, plus Go → Workbench / Batch / History / Settings, pushed to the renderer as
 * `app:navigate`, and File → Open CSV… (the native dialog, then the batch view).
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { View } from '../shared/ipc';

export type MenuActions = {
  navigate(view: View): void;
  /** File → Open CSV…: shows the native dialog and hands the file to the batch view. */
  openCsv?(): void;
  isDev: boolean;
  isMac: boolean;
  appName: string;
};

/** The menu template; pure data so it can be tested without Electron. */
export function menuTemplate(actions: MenuActions): MenuItemConstructorOptions[] {
  const template: MenuItemConstructorOptions[] = [];
  if (actions.isMac) {
    template.push({
      label: actions.appName,
      submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }],
    });
  }
  template.push(
    {
      label: '&File',
      submenu: [
        ...(actions.openCsv ? ([{ label: 'Open CSV…', accelerator: 'CmdOrCtrl+O', click: () => actions.openCsv?.() }, { type: 'separator' }] as MenuItemConstructorOptions[]) : []),
        actions.isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&Go',
      submenu: [
        { label: 'Workbench', accelerator: 'CmdOrCtrl+1', click: () => actions.navigate('workbench') },
        { label: 'Batch', accelerator: 'CmdOrCtrl+2', click: () => actions.navigate('batch') },
        { label: 'History', accelerator: 'CmdOrCtrl+3', click: () => actions.navigate('history') },
        { label: 'Settings', accelerator: 'CmdOrCtrl+,', click: () => actions.navigate('settings') },
      ],
    },
    {
      label: '&View',
      submenu: [
        ...(actions.isDev ? ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as MenuItemConstructorOptions[]) : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  );
  if (!actions.isMac) template.push({ label: '&Help', submenu: [{ role: 'about' }] });
  return template;
}
