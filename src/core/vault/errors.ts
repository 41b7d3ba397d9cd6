/**
 * @file Typed errors of the vault. The key errors never fall back to a new key or to plaintext:
 * hosts show `message` and stop.
 */

/** Stable codes of {@link VaultKeyError}. */
export type VaultKeyErrorCode =
  /** The key does not match the one the vault was created with. */
  | 'VAULT_KEY_WRONG'
  /** No key is available (no key file, variable unset) while the vault needs one. */
  | 'VAULT_KEY_MISSING'
  /** The key material is not 32 bytes of base64. */
  | 'VAULT_KEY_INVALID'
  /** The key file can be read by group or others. */
  | 'VAULT_KEY_PERMISSIONS';

/** A problem with the vault key; `code` is stable, `message` says how to fix it. */
export class VaultKeyError extends Error {
  override readonly name = 'VaultKeyError';
  readonly code: VaultKeyErrorCode;

  constructor(code: VaultKeyErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** A vault entry that fails authentication (tampered or damaged ciphertext). */
export class VaultIntegrityError extends Error {
  override readonly name = 'VaultIntegrityError';
  readonly code = 'VAULT_ENTRY_CORRUPT';
}
