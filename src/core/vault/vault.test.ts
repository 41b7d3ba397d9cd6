import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, readdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../db/__fixtures__/temp-dir';
import { openDatabase, type SqliteDatabase } from '../db';
import {
  BufferKeyProvider,
  EnvKeyProvider,
  FileKeyProvider,
  VaultIntegrityError,
  VaultKeyError,
  createMemoryVault,
  createSqliteVault,
  defaultKeyProvider,
  normalisePlaceholderType,
  parsePlaceholder,
  renumberPlaceholders,
  type Vault,
} from './index';

let dir: string;
let cleanup: () => void;
const open: SqliteDatabase[] = [];
beforeEach(() => {
  ({ dir, cleanup } = makeTempDir());
});
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  cleanup();
});

function db(name = 'diffguard.db'): SqliteDatabase {
  const d = openDatabase(join(dir, name));
  open.push(d);
  return d;
}

function keyError(fn: () => unknown): VaultKeyError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(VaultKeyError);
    return err as VaultKeyError;
  }
  throw new Error('expected a VaultKeyError');
}

const KEY = randomBytes(32);

describe.each([
  ['sqlite vault', (): Vault => createSqliteVault(db(), new BufferKeyProvider(KEY))],
  ['memory vault', (): Vault => createMemoryVault()],
])('%s', (_name, make) => {
  it('gives the same value the same placeholder and numbers each type separately', () => {
    const v = make();
    expect(v.placeholderFor('EMAIL', 'ana.souza@example.com.br')).toBe('[EMAIL_1]');
    expect(v.placeholderFor('PHONE', '+55 11 91234-5678')).toBe('[PHONE_1]');
    expect(v.placeholderFor('EMAIL', 'r.tanaka@example.jp')).toBe('[EMAIL_2]');
    expect(v.placeholderFor('EMAIL', 'ana.souza@example.com.br')).toBe('[EMAIL_1]');
    expect(v.placeholderFor('email', 'ana.souza@example.com.br')).toBe('[EMAIL_1]');
    expect(v.placeholderFor('credit card', '4539 1488 0343 6467')).toBe('[CREDIT_CARD_1]');
    expect(v.size()).toBe(4);
  });

  it('looks values up by canonical placeholder only', () => {
    const v = make();
    v.placeholderFor('EMAIL', 'ana.souza@example.com.br');
    expect(v.lookup('[EMAIL_1]')).toBe('ana.souza@example.com.br');
    expect(v.lookup('[EMAIL_2]')).toBeUndefined();
    expect(v.lookup('[email_1]')).toBeUndefined();
    expect(v.lookup('EMAIL_1')).toBeUndefined();
  });

  it('treats values case- and whitespace-exactly and keeps non-ASCII intact', () => {
    const v = make();
    const a = v.placeholderFor('NAME', 'Zoë Ørsted-Łukasiewicz');
    const b = v.placeholderFor('NAME', 'zoë ørsted-łukasiewicz');
    expect(a).not.toBe(b);
    expect(v.lookup(a)).toBe('Zoë Ørsted-Łukasiewicz');
    expect(v.lookup(v.placeholderFor('NAME', '北京 王小明 🙂'))).toBe('北京 王小明 🙂');
  });

  it('clear() starts a new session: nothing known, numbering restarts', () => {
    const v = make();
    v.placeholderFor('EMAIL', 'ana.souza@example.com.br');
    v.placeholderFor('EMAIL', 'r.tanaka@example.jp');
    v.clear();
    expect(v.size()).toBe(0);
    expect(v.lookup('[EMAIL_1]')).toBeUndefined();
    expect(v.placeholderFor('EMAIL', 'r.tanaka@example.jp')).toBe('[EMAIL_1]');
  });
});

describe('sqlite vault persistence and encryption', () => {
  const fileBytes = (): Buffer =>
    Buffer.concat(readdirSync(dir).filter((f) => f.startsWith('diffguard.db')).map((f) => readFileSync(join(dir, f))));

  it('remembers placeholders across connections (the persisted vault is the session)', () => {
    const v1 = createSqliteVault(db(), new BufferKeyProvider(KEY));
    expect(v1.placeholderFor('IBAN', 'DE89370400440532013000')).toBe('[IBAN_1]');
    open[0]!.close();
    const v2 = createSqliteVault(db(), new BufferKeyProvider(KEY));
    expect(v2.lookup('[IBAN_1]')).toBe('DE89370400440532013000');
    expect(v2.placeholderFor('IBAN', 'DE89370400440532013000')).toBe('[IBAN_1]');
    expect(v2.placeholderFor('IBAN', 'GB29NWBK60161331926819')).toBe('[IBAN_2]');
  });

  it('two connections on the same file share one numbering', () => {
    const a = createSqliteVault(db(), new BufferKeyProvider(KEY));
    const b = createSqliteVault(db(), new BufferKeyProvider(KEY));
    expect(a.placeholderFor('EMAIL', 'one@example.org')).toBe('[EMAIL_1]');
    expect(b.placeholderFor('EMAIL', 'two@example.org')).toBe('[EMAIL_2]');
    expect(b.placeholderFor('EMAIL', 'one@example.org')).toBe('[EMAIL_1]');
    expect(a.lookup('[EMAIL_2]')).toBe('two@example.org');
  });

  it('never writes a value in plaintext to the database files', () => {
    const v = createSqliteVault(db(), new BufferKeyProvider(KEY));
    const values = ['henrike.vosskamp@posteo.de', 'sk-proj-7fQ2mZ9xLw3RtY8uVb1NcD4eHg6JkP0s', 'DE89370400440532013000'];
    values.forEach((value, i) => v.placeholderFor(i === 0 ? 'EMAIL' : i === 1 ? 'SECRET' : 'IBAN', value));
    const bytes = fileBytes();
    for (const value of values) {
      expect(bytes.includes(Buffer.from(value, 'utf8')), value).toBe(false);
      expect(bytes.includes(Buffer.from(value, 'utf16le')), value).toBe(false);
    }
    const rows = open[0]!.prepare('SELECT iv, ciphertext FROM vault_entries').all() as { iv: Buffer; ciphertext: Buffer }[];
    expect(rows).toHaveLength(3);
    expect(rows[0]!.ciphertext.length).toBe(Buffer.byteLength(values[0]!));
    expect(new Set(rows.map((r) => r.iv.toString('hex'))).size).toBe(3);
  });

  it('uses a fresh random IV each time a value is stored', () => {
    const v = createSqliteVault(db(), new BufferKeyProvider(KEY));
    const row = () => open[0]!.prepare('SELECT iv, ciphertext FROM vault_entries').get() as { iv: Buffer; ciphertext: Buffer };
    v.placeholderFor('EMAIL', 'ana.souza@example.com.br');
    const first = row();
    v.clear();
    v.placeholderFor('EMAIL', 'ana.souza@example.com.br');
    const second = row();
    expect(second.iv.equals(first.iv)).toBe(false);
    expect(second.ciphertext.equals(first.ciphertext)).toBe(false);
  });

  it('detects a tampered entry: ciphertexts are bound to their placeholder', () => {
    const v = createSqliteVault(db(), new BufferKeyProvider(KEY));
    v.placeholderFor('EMAIL', 'alice@example.org');
    v.placeholderFor('EMAIL', 'mallory@example.org');
    // Swap the two encrypted values: each still decrypts under the key, but not for the other placeholder.
    const d = open[0]!;
    const rows = d.prepare('SELECT id, iv, tag, ciphertext FROM vault_entries ORDER BY id').all() as { id: number; iv: Buffer; tag: Buffer; ciphertext: Buffer }[];
    const upd = d.prepare('UPDATE vault_entries SET iv = ?, tag = ?, ciphertext = ? WHERE id = ?');
    upd.run(rows[1]!.iv, rows[1]!.tag, rows[1]!.ciphertext, rows[0]!.id);
    upd.run(rows[0]!.iv, rows[0]!.tag, rows[0]!.ciphertext, rows[1]!.id);
    expect(() => v.lookup('[EMAIL_1]')).toThrow(VaultIntegrityError);
  });

  it('refuses a wrong key with VAULT_KEY_WRONG and changes nothing', () => {
    const v = createSqliteVault(db(), new BufferKeyProvider(KEY));
    v.placeholderFor('EMAIL', 'ana.souza@example.com.br');
    const err = keyError(() => createSqliteVault(db(), new BufferKeyProvider(randomBytes(32))));
    expect(err.code).toBe('VAULT_KEY_WRONG');
    expect(err.message).toMatch(/does not match/);
    expect(v.size()).toBe(1);
    expect(v.lookup('[EMAIL_1]')).toBe('ana.souza@example.com.br');
  });

  it('refuses a wrong key even on a vault that was cleared (the key check stays)', () => {
    const v = createSqliteVault(db(), new BufferKeyProvider(KEY));
    v.placeholderFor('EMAIL', 'ana.souza@example.com.br');
    v.clear();
    expect(keyError(() => createSqliteVault(db(), new BufferKeyProvider(randomBytes(32)))).code).toBe('VAULT_KEY_WRONG');
  });
});

describe('FileKeyProvider', () => {
  it('creates a 32-byte key file with mode 0600 on first use and reuses it', () => {
    const keyFile = join(dir, 'keys', 'vault.key');
    const v = createSqliteVault(db(), new FileKeyProvider(keyFile));
    expect(existsSync(keyFile)).toBe(true);
    if (process.platform !== 'win32') expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64')).toHaveLength(32);
    v.placeholderFor('PHONE', '+44 20 7946 0958');
    const again = createSqliteVault(db(), new FileKeyProvider(keyFile));
    expect(again.lookup('[PHONE_1]')).toBe('+44 20 7946 0958');
  });

  it('refuses a key file that group or others can access', () => {
    const keyFile = join(dir, 'vault.key');
    writeFileSync(keyFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    chmodSync(keyFile, 0o644);
    const err = keyError(() => new FileKeyProvider(keyFile).getKey());
    expect(err.code).toBe('VAULT_KEY_PERMISSIONS');
    expect(err.message).toContain('chmod 600');
    expect(err.message).toContain('644');
    chmodSync(keyFile, 0o600);
    expect(new FileKeyProvider(keyFile).getKey()).toHaveLength(32);
  });

  it('reports VAULT_KEY_MISSING when the key file is gone but the vault has entries, and creates no new key', () => {
    const keyFile = join(dir, 'vault.key');
    createSqliteVault(db(), new FileKeyProvider(keyFile)).placeholderFor('EMAIL', 'ana.souza@example.com.br');
    const before = open[0]!.prepare('SELECT count(*) AS n FROM vault_entries').get();
    writeFileSync(join(dir, 'moved.key'), readFileSync(keyFile));
    chmodSync(join(dir, 'moved.key'), 0o600);
    // The user deleted or lost the key file.
    unlinkSync(keyFile);
    const err = keyError(() => createSqliteVault(db(), new FileKeyProvider(keyFile)));
    expect(err.code).toBe('VAULT_KEY_MISSING');
    expect(err.message).toContain(keyFile);
    expect(existsSync(keyFile)).toBe(false);
    expect(open[0]!.prepare('SELECT count(*) AS n FROM vault_entries').get()).toEqual(before);
    // With the key back, everything is readable again.
    const restored = createSqliteVault(db(), new FileKeyProvider(join(dir, 'moved.key')));
    expect(restored.lookup('[EMAIL_1]')).toBe('ana.souza@example.com.br');
  });

  it('rejects a key file that is not base64 of 32 bytes', () => {
    const keyFile = join(dir, 'vault.key');
    writeFileSync(keyFile, 'correct horse battery staple\n', { mode: 0o600 });
    expect(keyError(() => new FileKeyProvider(keyFile).getKey()).code).toBe('VAULT_KEY_INVALID');
    writeFileSync(keyFile, randomBytes(16).toString('base64'), { mode: 0o600 });
    expect(keyError(() => new FileKeyProvider(keyFile).getKey()).code).toBe('VAULT_KEY_INVALID');
  });
});

describe('EnvKeyProvider and defaultKeyProvider', () => {
  it('reads base64 of 32 bytes from DIFFGUARD_VAULT_KEY', () => {
    const env = { DIFFGUARD_VAULT_KEY: KEY.toString('base64') };
    expect(new EnvKeyProvider(env).getKey().equals(KEY)).toBe(true);
    const v = createSqliteVault(db(), new EnvKeyProvider(env));
    v.placeholderFor('EMAIL', 'ana.souza@example.com.br');
    expect(createSqliteVault(db(), new BufferKeyProvider(KEY)).lookup('[EMAIL_1]')).toBe('ana.souza@example.com.br');
  });

  it('reports a missing or malformed variable', () => {
    expect(keyError(() => new EnvKeyProvider({}).getKey()).code).toBe('VAULT_KEY_MISSING');
    expect(keyError(() => new EnvKeyProvider({ DIFFGUARD_VAULT_KEY: 'c2hvcnQ=' }).getKey()).code).toBe('VAULT_KEY_INVALID');
    expect(keyError(() => createSqliteVault(db(), new EnvKeyProvider({}))).code).toBe('VAULT_KEY_MISSING');
  });

  it('prefers the variable when set, else the key file', () => {
    expect(defaultKeyProvider(join(dir, 'k'), { DIFFGUARD_VAULT_KEY: KEY.toString('base64') })).toBeInstanceOf(EnvKeyProvider);
    expect(defaultKeyProvider(join(dir, 'k'), {})).toBeInstanceOf(FileKeyProvider);
  });

  it('BufferKeyProvider rejects keys of the wrong length', () => {
    expect(keyError(() => new BufferKeyProvider(randomBytes(16))).code).toBe('VAULT_KEY_INVALID');
  });
});

describe('placeholder format', () => {
  it('normalises types and parses canonical placeholders only', () => {
    expect(normalisePlaceholderType('aws_access_key')).toBe('AWS_ACCESS_KEY');
    expect(normalisePlaceholderType(' credit-card ')).toBe('CREDIT_CARD');
    expect(normalisePlaceholderType('42')).toBe('REDACTED');
    expect(parsePlaceholder('[AWS_ACCESS_KEY_12]')).toEqual({ type: 'AWS_ACCESS_KEY', n: 12 });
    expect(parsePlaceholder('[EMAIL_0]')).toBeUndefined();
    expect(parsePlaceholder('[EMAIL 1]')).toBeUndefined();
    expect(parsePlaceholder('EMAIL_1')).toBeUndefined();
  });
});

describe('renumberPlaceholders', () => {
  it('renumbers each type from 1 in order of first appearance and keeps repeats together', () => {
    expect(renumberPlaceholders('[NAME_14] met [NAME_3] at [ADDRESS_9]; [NAME_14] paid.')).toBe('[NAME_1] met [NAME_2] at [ADDRESS_1]; [NAME_1] paid.');
  });

  it('leaves other bracketed text alone', () => {
    expect(renumberPlaceholders('see [1], [Note_2] and [NAME_0] or [name_4]')).toBe('see [1], [Note_2] and [NAME_0] or [name_4]');
    expect(renumberPlaceholders('[CREDIT_CARD_12]')).toBe('[CREDIT_CARD_1]');
  });
});
