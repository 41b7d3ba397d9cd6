/**
 * @file User settings for both hosts: a small JSON file in the data folder, validated with the
 * shared schema on read (a corrupt or hand-edited file falls back to defaults, never crashes) and
 * written atomically (temp file + rename) on every change. An admin policy file
 * (`$DIFFGUARD_ADMIN_POLICY`, else `<dataDir>/admin-policy.json`) fixes the settings it names:
 * they read as the admin's values, are reported as locked, and `set` refuses to change them.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SettingsPatchSchema, SettingsSchema, type Settings } from '../shared/ipc';

export const DEFAULT_SETTINGS: Settings = {
  policy: 'balanced',
  history: true,
  privacyMode: false,
  retentionDays: null,
  theme: 'system',
  categoryActions: {},
  thresholds: {},
  allowList: [],
  denyList: [],
  provider: 'auto',
  semanticHead: true,
};

/** Thrown by `set` for a locked setting (code `locked`). */
export class SettingsLockedError extends Error {
  readonly code = 'locked';
  constructor(keys: string[], source: string) {
    super(`${keys.join(', ')} ${keys.length === 1 ? 'is' : 'are'} set by your administrator (${source}) and cannot be changed here.`);
    this.name = 'SettingsLockedError';
  }
}

export type SettingsStore = {
  get(): Settings;
  set(patch: Partial<Settings>): Settings;
  /** Keys fixed by the admin policy file. */
  locked(): string[];
  /** The admin policy file in effect, or null. */
  adminPolicy(): string | null;
};

/** The admin policy file's path: `$DIFFGUARD_ADMIN_POLICY`, else `<dataDir>/admin-policy.json`. */
export function adminPolicyPath(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.DIFFGUARD_ADMIN_POLICY?.trim() || join(dataDir, 'admin-policy.json');
}

/** Reads the admin policy (a partial settings object); a missing file means none, a broken one locks nothing but is reported. */
function loadAdmin(path: string): { values: Partial<Settings>; error: string | null; present: boolean } {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch {
    return { values: {}, error: null, present: false };
  }
  try {
    const parsed = SettingsPatchSchema.safeParse(JSON.parse(raw));
    if (!parsed.success) return { values: {}, error: `${path}: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? 'invalid'}`, present: true };
    return { values: parsed.data, error: null, present: true };
  } catch (err) {
    return { values: {}, error: `${path}: not valid JSON (${(err as Error).message})`, present: true };
  }
}

/** Opens (or creates on first write) `<dataDir>/settings.json`. */
export function openSettingsStore(dataDir: string, options: { adminPolicyPath?: string } = {}): SettingsStore {
  const file = join(dataDir, 'settings.json');
  const adminPath = options.adminPolicyPath ?? adminPolicyPath(dataDir);
  const admin = loadAdmin(adminPath);
  if (admin.error) console.warn(`[diffguard] admin policy ignored: ${admin.error}`);
  const lockedKeys = Object.keys(admin.values);
  let current = load(file);
  const view = (): Settings => ({ ...current, ...admin.values });
  return {
    get: view,
    set(patch) {
      const touched = Object.keys(patch).filter((k) => lockedKeys.includes(k) && JSON.stringify(patch[k as keyof Settings]) !== JSON.stringify(admin.values[k as keyof Settings]));
      if (touched.length) throw new SettingsLockedError(touched, adminPath);
      const next = SettingsSchema.parse({ ...current, ...patch });
      mkdirSync(dataDir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(next, null, 2) + '\n', { mode: 0o600 });
      renameSync(tmp, file);
      current = next;
      return view();
    },
    locked: () => [...lockedKeys],
    adminPolicy: () => (admin.present && !admin.error ? adminPath : null),
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
    return parsed.success ? SettingsSchema.parse({ ...DEFAULT_SETTINGS, ...parsed.data }) : { ...DEFAULT_SETTINGS };
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
}
