/**
 * @file The one place that registers IPC handlers in Electron main. Each channel of the shared
 * contract is registered once; every call is checked (sender is the app's main frame), its
 * payload parsed by the shared handlers, and errors returned as data (Electron would forward only
 * the message of a thrown error).
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { ERROR_CODES, INVOKE_CHANNELS, type InvokeChannel, type Result } from '../../shared/ipc';
import { dispatch, type Handlers } from '../../server/handlers';
import { isTrustedSender, type RendererOrigin } from '../security';

/** Handles one invoke: sender check first, then the shared handler. Exported for tests. */
export async function handleInvoke(
  handlers: Handlers,
  expected: RendererOrigin,
  channel: InvokeChannel,
  event: Pick<IpcMainInvokeEvent, 'senderFrame'>,
  payload: unknown,
): Promise<Result<unknown>> {
  const frame = event.senderFrame;
  if (!isTrustedSender(frame ? { url: frame.url, parent: frame.parent } : null, expected)) {
    return { ok: false, error: { code: ERROR_CODES.forbidden, message: `IPC ${channel} refused: untrusted sender` } };
  }
  return dispatch(handlers, channel, payload);
}

/** Registers every invoke channel on `ipcMain`. Returns a function that removes them. */
export function registerIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, handlers: Handlers, expected: RendererOrigin): () => void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, (event, payload: unknown) => handleInvoke(handlers, expected, channel, event, payload));
  }
  return () => {
    for (const channel of INVOKE_CHANNELS) ipcMain.removeHandler(channel);
  };
}
