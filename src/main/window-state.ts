/**
 * @file Remembers the window's size, position, and maximised state in
 * userData/window-state.json. A missing or corrupt file gives the defaults; a position that is no
 * longer on any display is dropped so the window never opens off-screen.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export type WindowState = { width: number; height: number; x?: number; y?: number; maximized: boolean };
export type Rect = { x: number; y: number; width: number; height: number };

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 860, maximized: false };

/** Reads the saved state; `displays` are the work areas of the current screens. */
export function loadWindowState(file: string, displays: Rect[]): WindowState {
  let raw: Partial<WindowState>;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<WindowState>;
  } catch {
    return { ...DEFAULT_WINDOW_STATE };
  }
  const num = (v: unknown, min: number, max: number, d: number): number => (typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, Math.round(v))) : d);
  const state: WindowState = {
    width: num(raw.width, 720, 10000, DEFAULT_WINDOW_STATE.width),
    height: num(raw.height, 520, 10000, DEFAULT_WINDOW_STATE.height),
    maximized: raw.maximized === true,
  };
  if (typeof raw.x === 'number' && typeof raw.y === 'number') {
    const { x, y } = raw;
    const visible = displays.some((d) => x + 100 > d.x && x < d.x + d.width - 100 && y >= d.y - 10 && y < d.y + d.height - 100);
    if (visible) Object.assign(state, { x: Math.round(x), y: Math.round(y) });
  }
  return state;
}

/** Writes the state (best effort: a read-only profile must not crash the app on quit). */
export function saveWindowState(file: string, state: WindowState): void {
  try {
    writeFileSync(file, JSON.stringify(state, null, 2) + '\n');
  } catch (err) {
    console.warn('[diffguard] could not save the window state:', (err as Error).message);
  }
}
