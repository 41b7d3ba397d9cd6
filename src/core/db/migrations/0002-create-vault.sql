-- 0002: the placeholder vault. Values are stored only encrypted (AES-256-GCM); `lookup` is an
-- HMAC-SHA256 of type and value so the same value finds its placeholder without decrypting.
-- Released migrations are never edited: their sha256 is recorded in schema_migrations.

CREATE TABLE vault_meta (
  name TEXT PRIMARY KEY,
  value BLOB NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE vault_entries (
  id INTEGER PRIMARY KEY,
  type TEXT NOT NULL,
  -- The N of the placeholder [TYPE_N], numbered per type within the vault session.
  seq INTEGER NOT NULL CHECK (seq > 0),
  lookup BLOB NOT NULL UNIQUE,
  iv BLOB NOT NULL,
  tag BLOB NOT NULL,
  ciphertext BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (type, seq)
) STRICT;
