import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_STATE, loadWindowState, saveWindowState } from './window-state';

const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];
const file = () => join(mkdtempSync(join(tmpdir(), 'dg-win-')), 'window-state.json');

describe('window state', () => {
  it('round-trips size, position and maximised state', () => {
    const f = file();
    saveWindowState(f, { width: 1400, height: 900, x: 100, y: 50, maximized: true });
    expect(loadWindowState(f, screen)).toEqual({ width: 1400, height: 900, x: 100, y: 50, maximized: true });
  });
  it('gives defaults for a missing or corrupt file', () => {
    const f = file();
    expect(loadWindowState(f, screen)).toEqual(DEFAULT_WINDOW_STATE);
    writeFileSync(f, '{"width": ');
    expect(loadWindowState(f, screen)).toEqual(DEFAULT_WINDOW_STATE);
  });
  it('drops a position that is on no display and clamps absurd sizes', () => {
    const f = file();
    saveWindowState(f, { width: 50, height: 99999, x: 5000, y: 40, maximized: false });
    expect(loadWindowState(f, screen)).toEqual({ width: 720, height: 10000, maximized: false });
  });
});
