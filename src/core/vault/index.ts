/**
 * @file Public surface of the vault: the `Vault` port, the SQLite-backed encrypted vault, the
 * in-memory vault, key providers and the placeholder format.
 */
export type { Vault } from './types';
export { createSqliteVault } from './sqlite-vault';
export { createMemoryVault } from './memory-vault';
export {
  BufferKeyProvider,
  EnvKeyProvider,
  FileKeyProvider,
  defaultKeyProvider,
  decodeVaultKey,
  VAULT_KEY_BYTES,
  VAULT_KEY_ENV,
} from './key-providers';
export type { KeyProvider, GetKeyOptions } from './key-providers';
export { VaultKeyError, VaultIntegrityError } from './errors';
export type { VaultKeyErrorCode } from './errors';
export { normalisePlaceholderType, formatPlaceholder, parsePlaceholder, renumberPlaceholders } from './placeholder';
