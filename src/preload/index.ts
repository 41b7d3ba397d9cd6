/**
 * @file The preload bridge: exposes exactly `invoke` and `on` as `window.api`, each checked against
 * the channel allow-lists. `on` strips the IpcRendererEvent and returns an unsubscribe function.
 * Imports only the dependency-free channel list, so the sandboxed bundle stays tiny.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { isEventChannel, isInvokeChannel } from '../shared/ipc-channels';
import type { DesktopApi } from '../shared/ipc';

const api = {
  invoke(channel, input) {
    if (!isInvokeChannel(channel)) {
      return Promise.resolve({ ok: false, error: { code: 'unknown_channel', message: `Unknown channel "${String(channel)}"` } });
    }
    return ipcRenderer.invoke(channel, input);
  },
  on(event, listener) {
    if (!isEventChannel(event)) throw new Error(`Unknown event "${String(event)}"`);
    const wrapped = (_e: IpcRendererEvent, payload: unknown): void => listener(payload as never);
    ipcRenderer.on(event, wrapped);
    return () => {
      ipcRenderer.removeListener(event, wrapped);
    };
  },
} satisfies DesktopApi;

contextBridge.exposeInMainWorld('api', api);
