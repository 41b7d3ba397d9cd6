/**
 * @file The persisted vault: placeholder ↔ value pairs in the app's SQLite database (tables from
 * migration 0002). Values are stored only as AES-256-GCM ciphertext with a random 96-bit IV each,
 * authenticated together with their placeholder; a value is found again through an
 * HMAC-SHA256 of (type, value), so no decryption is needed to reuse a placeholder. A key-check
 * value (an HMAC of a constant) detects a wrong key before anything is read or written.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { withDatabaseErrors } from '../db/errors';
import type { SqliteDatabase } from '../db/open-database';
import { VaultIntegrityError, VaultKeyError } from './errors';
import { VAULT_KEY_BYTES, type KeyProvider } from './key-providers';
import { formatPlaceholder, normalisePlaceholderType, parsePlaceholder } from './placeholder';
import type { Vault } from './types';

const KDF_SALT = Buffer.from('diffguard-vault-v1', 'utf8');
const KEY_CHECK_CONSTANT = 'diffguard-vault-key-check-v1';
const IV_BYTES = 12;

type VaultKeys = { enc: Buffer; mac: Buffer; check: Buffer };

type EntryRow = { type: string; seq: number; iv: Buffer; tag: Buffer; ciphertext: Buffer };

/** Separate encryption and MAC keys derived from the master key (HKDF-SHA256). */
function deriveKeys(master: Buffer): VaultKeys {
  if (master.length !== VAULT_KEY_BYTES) {
    throw new VaultKeyError('VAULT_KEY_INVALID', `the vault key must be ${VAULT_KEY_BYTES} bytes, got ${master.length}.`);
  }
  const enc = Buffer.from(hkdfSync('sha256', master, KDF_SALT, 'enc', 32));
  const mac = Buffer.from(hkdfSync('sha256', master, KDF_SALT, 'mac', 32));
  const check = createHmac('sha256', mac).update(KEY_CHECK_CONSTANT).digest();
  return { enc, mac, check };
}

function lookupHash(keys: VaultKeys, type: string, value: string): Buffer {
  return createHmac('sha256', keys.mac).update(type).update('\u0000').update(value, 'utf8').digest();
}

function encrypt(keys: VaultKeys, placeholder: string, value: string): { iv: Buffer; tag: Buffer; ciphertext: Buffer } {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keys.enc, iv);
  cipher.setAAD(Buffer.from(placeholder, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), ciphertext };
}

function decrypt(keys: VaultKeys, row: EntryRow): string {
  const placeholder = formatPlaceholder(row.type, row.seq);
  try {
    const decipher = createDecipheriv('aes-256-gcm', keys.enc, row.iv);
    decipher.setAAD(Buffer.from(placeholder, 'utf8'));
    decipher.setAuthTag(row.tag);
    return Buffer.concat([decipher.update(row.ciphertext), decipher.final()]).toString('utf8');
  } catch (err) {
    throw new VaultIntegrityError(`the vault entry ${placeholder} failed authentication (damaged or tampered).`, {
      cause: err,
    });
  }
}

/**
 * Opens the vault stored in `db` (which `openDatabase` has migrated). The key comes from
 * `keyProvider`; a provider may create a key only while the vault has never been used.
 *
 * @throws VaultKeyError `VAULT_KEY_WRONG` when the key differs from the vault's,
 *   `VAULT_KEY_MISSING` when no key is available but the vault holds entries, `VAULT_KEY_INVALID`
 *   or `VAULT_KEY_PERMISSIONS` from the provider.
 */
export function createSqliteVault(db: SqliteDatabase, keyProvider: KeyProvider): Vault {
  const getCheck = db.prepare("SELECT value FROM vault_meta WHERE name = 'key_check'");
  const putCheck = db.prepare("INSERT OR IGNORE INTO vault_meta (name, value) VALUES ('key_check', ?)");
  const countEntries = db.prepare('SELECT count(*) AS n FROM vault_entries');
  const anyEntry = db.prepare('SELECT type, seq, iv, tag, ciphertext FROM vault_entries ORDER BY id LIMIT 1');
  const byLookup = db.prepare('SELECT type, seq FROM vault_entries WHERE lookup = ?');
  const byPlaceholder = db.prepare('SELECT type, seq, iv, tag, ciphertext FROM vault_entries WHERE type = ? AND seq = ?');
  const nextSeq = db.prepare('SELECT coalesce(max(seq), 0) + 1 AS n FROM vault_entries WHERE type = ?');
  const insert = db.prepare(
    'INSERT INTO vault_entries (type, seq, lookup, iv, tag, ciphertext, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const deleteAll = db.prepare('DELETE FROM vault_entries');

  const keys = withDatabaseErrors(() => {
    const stored = getCheck.get() as { value: Buffer } | undefined;
    const entries = (countEntries.get() as { n: number }).n;
    const isInUse = stored !== undefined || entries > 0;
    const k = deriveKeys(keyProvider.getKey({ create: !isInUse }));
    const wrongKey = () =>
      new VaultKeyError(
        'VAULT_KEY_WRONG',
        'the vault key does not match the key this vault was created with. Use the original key (key file or DIFFGUARD_VAULT_KEY), or clear the vault to start over.',
      );
    if (stored !== undefined) {
      if (stored.value.length !== k.check.length || !timingSafeEqual(stored.value, k.check)) throw wrongKey();
      return k;
    }
    if (entries > 0) {
      // Entries without a key check (should not happen): prove the key on one entry first.
      try {
        decrypt(k, anyEntry.get() as EntryRow);
      } catch {
        throw wrongKey();
      }
    }
    putCheck.run(k.check);
    // Another process may have initialised the vault with another key at the same moment.
    const now = getCheck.get() as { value: Buffer };
    if (!timingSafeEqual(now.value, k.check)) throw wrongKey();
    return k;
  });

  const create = db.transaction((type: string, value: string, lookup: Buffer): string => {
    const again = byLookup.get(lookup) as { type: string; seq: number } | undefined;
    if (again) return formatPlaceholder(again.type, again.seq);
    const seq = (nextSeq.get(type) as { n: number }).n;
    const placeholder = formatPlaceholder(type, seq);
    const box = encrypt(keys, placeholder, value);
    insert.run(type, seq, lookup, box.iv, box.tag, box.ciphertext, Date.now());
    return placeholder;
  });

  return {
    placeholderFor(type, value) {
      const t = normalisePlaceholderType(type);
      const lookup = lookupHash(keys, t, value);
      return withDatabaseErrors(() => {
        const row = byLookup.get(lookup) as { type: string; seq: number } | undefined;
        if (row) return formatPlaceholder(row.type, row.seq);
        return create.immediate(t, value, lookup);
      });
    },
    lookup(placeholder) {
      const p = parsePlaceholder(placeholder);
      if (!p) return undefined;
      const row = withDatabaseErrors(() => byPlaceholder.get(p.type, p.n) as EntryRow | undefined);
      return row ? decrypt(keys, row) : undefined;
    },
    clear() {
      withDatabaseErrors(() => deleteAll.run());
    },
    size() {
      return withDatabaseErrors(() => (countEntries.get() as { n: number }).n);
    },
  };
}
