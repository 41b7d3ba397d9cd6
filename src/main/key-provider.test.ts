/**
 * The safeStorage-backed vault key: created once, reused, never replaced when unreadable, never
 * written in plaintext.
 */
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { VaultKeyError } from '../core/vault';
import { SafeStorageKeyProvider, type SafeStorageLike } from './key-provider';

vi.mock('electron', () => ({}));

/** A reversible stand-in for the OS keychain (XOR with a secret byte + a marker). */
function fakeSafeStorage(available = true, secret = 0x5a): SafeStorageLike {
  return {
    isEncryptionAvailable: () => available,
    encryptString: (plain) => Buffer.concat([Buffer.from('v10'), Buffer.from(Buffer.from(plain).map((b) => b ^ secret))]),
    decryptString: (enc) => {
      if (enc.subarray(0, 3).toString() !== 'v10') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Buffer.from(enc.subarray(3).map((b) => b ^ secret)).toString();
    },
  };
}

const tmp = () => join(mkdtempSync(join(tmpdir(), 'dg-key-')), 'vault.key.enc');

describe('SafeStorageKeyProvider', () => {
  it('creates a 32-byte key, stores it only encrypted with 0600, and returns the same key later', () => {
    const file = tmp();
    const key = new SafeStorageKeyProvider(fakeSafeStorage(), file).getKey();
    expect(key).toHaveLength(32);
    const onDisk = readFileSync(file);
    expect(onDisk.includes(Buffer.from(key.toString('base64')))).toBe(false);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(new SafeStorageKeyProvider(fakeSafeStorage(), file).getKey().equals(key)).toBe(true);
  });

  it('refuses to work without OS encryption and writes nothing', () => {
    const file = tmp();
    expect(() => new SafeStorageKeyProvider(fakeSafeStorage(false), file).getKey()).toThrow(VaultKeyError);
    expect(existsSync(file)).toBe(false);
  });

  it('fails clearly on a key it cannot decrypt and leaves the file untouched', () => {
    const file = tmp();
    writeFileSync(file, 'garbage from another keychain');
    expect(() => new SafeStorageKeyProvider(fakeSafeStorage(), file).getKey()).toThrow(/cannot be decrypted.*left untouched/);
    expect(readFileSync(file, 'utf8')).toBe('garbage from another keychain');
  });

  it('does not invent a new key when the vault already holds entries', () => {
    const file = tmp();
    expect(() => new SafeStorageKeyProvider(fakeSafeStorage(), file).getKey({ create: false })).toThrow(/missing/);
    expect(existsSync(file)).toBe(false);
  });

  it('fails on a decryptable key of the wrong length', () => {
    const file = tmp();
    writeFileSync(file, fakeSafeStorage().encryptString(Buffer.alloc(16).toString('base64')));
    expect(() => new SafeStorageKeyProvider(fakeSafeStorage(), file).getKey()).toThrow(/malformed/);
  });
});
