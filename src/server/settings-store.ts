/**
 * @file User settings for both hosts: a small JSON file in the data folder, validated with the
 * shared schema on read (a corrupt or hand-edited file falls back to defaults, never crashes) and
 * written atomically (temp file + rename) on every change.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SettingsSchema, type Settings } from '../shared/ipc';

export const DEFAULT_SETTINGS: Settings = {
  policy: 'balanced',
  history: true,
  privacyMode: false,
  retentionDays: null,
  theme: 'system',
};

export type SettingsStore = {
  get(): Settings;
  set(patch: Partial<Settings>): Settings;
};

/** Opens (or creates on first write) `<dataDir>/settings.json`. */
export function openSettingsStore(dataDir: string): SettingsStore {
  const file = join(dataDir, 'settings.json');
  let current = load(file);
  return {
    get: () => ({ ...current }),
    set(patch) {
      const next = SettingsSchema.parse({ ...current, ...patch });
      mkdirSync(dataDir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(next, null, 2) + '\n', { mode: 0o600 });
      renameSync(tmp, file);
      current = next;
      return { ...current };
    },
  };
}

function load(file: string): Settings {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
  try {
    const parsed = SettingsSchema.partial().safeParse(JSON.parse(raw));
    return parsed.success ? { ...DEFAULT_SETTINGS, ...parsed.data } : { ...DEFAULT_SETTINGS };
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
}
