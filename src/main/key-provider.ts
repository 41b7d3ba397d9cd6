/**
 * @file The vault key for the desktop app: 32 random bytes, stored only encrypted by the
 * operating system's keychain through Electron `safeStorage` (userData/vault.key.enc). A key file
 * that exists but cannot be decrypted is an error, never silently replaced (that would orphan
 * every stored value); without OS encryption the app refuses rather than writing plaintext.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { VaultKeyError, type GetKeyOptions, type KeyProvider } from '../core/vault';

/** The part of Electron's safeStorage this module uses. */
export type SafeStorageLike = {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
};

export const VAULT_KEY_BYTES = 32;

/** A KeyProvider backed by safeStorage and a file; the key is created on first use and cached. */
export class SafeStorageKeyProvider implements KeyProvider {
  private key: Buffer | null = null;

  constructor(
    private readonly storage: SafeStorageLike,
    private readonly file: string,
  ) {}

  getKey(options: GetKeyOptions = {}): Buffer {
    if (this.key) return Buffer.from(this.key);
    if (!this.storage.isEncryptionAvailable()) {
      throw new VaultKeyError('VAULT_KEY_MISSING', 'The operating system keychain is not available, so the vault key cannot be protected. DiffGuard will not store it in plaintext.');
    }
    if (this.storage.getSelectedStorageBackend?.() === 'basic_text') {
      console.warn('[diffguard] safeStorage uses the basic_text backend (no keyring found): the vault key is only obfuscated on disk.');
    }
    if (existsSync(this.file)) this.key = this.read();
    else if (options.create === false) {
      throw new VaultKeyError('VAULT_KEY_MISSING', `The vault key ${this.file} is missing while the vault holds entries; they cannot be restored. Nothing was overwritten.`);
    } else this.key = this.create();
    return Buffer.from(this.key);
  }

  private read(): Buffer {
    let plain: string;
    try {
      plain = this.storage.decryptString(readFileSync(this.file));
    } catch (err) {
      throw new VaultKeyError('VAULT_KEY_WRONG', `The vault key in ${this.file} cannot be decrypted (${(err as Error).message}). It was left untouched; restore the keychain or delete the file to start a new, empty vault.`);
    }
    const key = Buffer.from(plain, 'base64');
    if (key.length !== VAULT_KEY_BYTES) throw new VaultKeyError('VAULT_KEY_INVALID', `The vault key in ${this.file} is malformed (expected ${VAULT_KEY_BYTES} bytes). It was left untouched.`);
    return key;
  }

  private create(): Buffer {
    const key = randomBytes(VAULT_KEY_BYTES);
    const encrypted = this.storage.encryptString(key.toString('base64'));
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, encrypted, { mode: 0o600 });
    renameSync(tmp, this.file);
    return key;
  }
}
