/**
 * @file Where the vault's 32-byte master key comes from: a key file with 0600 permissions (CLI),
 * an environment variable (CI, servers), or a buffer the host supplies (Electron main wraps
 * `safeStorage` itself; this folder never imports electron). Providers never store plaintext values
 * and never replace an existing key.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { VaultKeyError } from './errors';

/** Length of the vault master key in bytes (AES-256). */
export const VAULT_KEY_BYTES = 32;

/** Name of the environment variable read by {@link EnvKeyProvider}. */
export const VAULT_KEY_ENV = 'DIFFGUARD_VAULT_KEY';

/** Options the vault passes to {@link KeyProvider.getKey}. */
export type GetKeyOptions = {
  /**
   * Whether a provider that can create keys may create one when none exists. The vault passes
   * false once it holds entries, so a lost key is an error instead of a silent new key.
   */
  create?: boolean;
};

/** Supplies the vault's 32-byte master key. */
export interface KeyProvider {
  /** The key (32 bytes). Throws {@link VaultKeyError} when it is missing or unusable. */
  getKey(options?: GetKeyOptions): Buffer;
}

/** Decodes base64 key material, insisting on exactly 32 bytes. */
export function decodeVaultKey(text: string, where: string): Buffer {
  const trimmed = text.trim();
  const key = Buffer.from(trimmed, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) || key.length !== VAULT_KEY_BYTES) {
    throw new VaultKeyError(
      'VAULT_KEY_INVALID',
      `${where} must hold the base64 encoding of ${VAULT_KEY_BYTES} bytes (for example the output of \`openssl rand -base64 32\`).`,
    );
  }
  return key;
}

/** A fixed key held in memory (for example one that Electron `safeStorage` decrypted). */
export class BufferKeyProvider implements KeyProvider {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== VAULT_KEY_BYTES) {
      throw new VaultKeyError('VAULT_KEY_INVALID', `the vault key must be ${VAULT_KEY_BYTES} bytes, got ${key.length}.`);
    }
    this.#key = Buffer.from(key);
  }

  getKey(): Buffer {
    return Buffer.from(this.#key);
  }
}

/** Reads the key from an environment variable (default `DIFFGUARD_VAULT_KEY`, base64 of 32 bytes). */
export class EnvKeyProvider implements KeyProvider {
  constructor(
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly variable: string = VAULT_KEY_ENV,
  ) {}

  getKey(): Buffer {
    const value = this.env[this.variable];
    if (value === undefined || value.trim() === '') {
      throw new VaultKeyError(
        'VAULT_KEY_MISSING',
        `the vault key is missing: set ${this.variable} to the base64 encoding of ${VAULT_KEY_BYTES} random bytes.`,
      );
    }
    return decodeVaultKey(value, `the ${this.variable} variable`);
  }
}

/**
 * A key stored as base64 in a file that only its owner may read (mode 0600). The file is created
 * (with a fresh random key, mode 0600, parent folder 0700) only when absent and creation is allowed.
 * A file readable or writable by group or others is refused.
 */
export class FileKeyProvider implements KeyProvider {
  constructor(readonly path: string) {}

  getKey(options: GetKeyOptions = {}): Buffer {
    const create = options.create ?? true;
    let mode: number;
    try {
      const st = statSync(this.path);
      if (!st.isFile()) throw new VaultKeyError('VAULT_KEY_INVALID', `the vault key file ${this.path} is not a regular file.`);
      mode = st.mode;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      if (!create) {
        throw new VaultKeyError(
          'VAULT_KEY_MISSING',
          `the vault key file ${this.path} is missing, but the vault holds encrypted entries. Restore the key file, or clear the vault to start over (its entries cannot be recovered without the key).`,
        );
      }
      return this.#create();
    }
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
      throw new VaultKeyError(
        'VAULT_KEY_PERMISSIONS',
        `the vault key file ${this.path} is accessible to other users (mode ${(mode & 0o777).toString(8).padStart(3, '0')}). Run \`chmod 600 ${this.path}\`.`,
      );
    }
    return decodeVaultKey(readFileSync(this.path, 'utf8'), `the vault key file ${this.path}`);
  }

  #create(): Buffer {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const key = randomBytes(VAULT_KEY_BYTES);
    try {
      // 'wx': never overwrite a key another process created meanwhile.
      writeFileSync(this.path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return this.getKey({ create: false });
      throw err;
    }
    chmodSync(this.path, 0o600);
    return key;
  }
}

/**
 * The CLI's choice: the environment variable when it is set, else the key file.
 */
export function defaultKeyProvider(keyFile: string, env: NodeJS.ProcessEnv = process.env): KeyProvider {
  const fromEnv = env[VAULT_KEY_ENV];
  return fromEnv !== undefined && fromEnv.trim() !== '' ? new EnvKeyProvider(env) : new FileKeyProvider(keyFile);
}
