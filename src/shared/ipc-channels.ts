/**
 * @file The IPC channel names, and nothing else. Dependency-free on purpose: the sandboxed
 * preload imports only this file, so its bundle stays tiny and carries no zod. The schemas
 * for each channel live in ./ipc.ts, which proves (by type) that it covers exactly these lists.
 */

/** Request/response channels (`domain:verb`), reached with `invoke`. */
export const INVOKE_CHANNELS = [
  'engine:sanitize',
  'engine:restore',
  'engine:info',
  'engine:apply',
  'history:list',
  'history:search',
  'history:get',
  'history:delete',
  'history:deleteAll',
  'history:export',
  'settings:get',
  'settings:set',
  'models:list',
  'vault:clear',
  'batch:upload',
  'batch:preview',
  'batch:start',
  'batch:status',
  'batch:list',
  'batch:pause',
  'batch:resume',
  'batch:cancel',
  'batch:summary',
  'batch:rows',
  'batch:export',
  'dialog:openFile',
] as const;

/** Pushed events (`domain:noun`), reached with `on`. */
export const EVENT_CHANNELS = ['batch:progress', 'app:navigate', 'batch:fileOpened'] as const;

export type InvokeChannel = (typeof INVOKE_CHANNELS)[number];
export type EventChannel = (typeof EVENT_CHANNELS)[number];

/** True when `name` is one of the invoke channels (a runtime allow-list check). */
export function isInvokeChannel(name: unknown): name is InvokeChannel {
  return typeof name === 'string' && (INVOKE_CHANNELS as readonly string[]).includes(name);
}

/** True when `name` is one of the event channels. */
export function isEventChannel(name: unknown): name is EventChannel {
  return typeof name === 'string' && (EVENT_CHANNELS as readonly string[]).includes(name);
}
