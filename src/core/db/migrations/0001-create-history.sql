-- 0001: the history of sanitize runs, with FTS5 search over the original and cleaned text.
-- Released migrations are never edited: their sha256 is recorded in schema_migrations.

CREATE TABLE history (
  id INTEGER PRIMARY KEY,
  -- Milliseconds since the Unix epoch (UTC).
  created_at INTEGER NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('workbench', 'cli', 'batch', 'http')),
  verdict TEXT NOT NULL CHECK (verdict IN ('pass', 'cleaned', 'blocked', 'error')),
  -- NULL when the row was written in privacy mode.
  original TEXT,
  cleaned TEXT,
  -- JSON array of findings (their `text` blanked in privacy mode).
  findings TEXT NOT NULL CHECK (json_valid(findings)),
  -- JSON array of category strings; mirrored in history_categories for filtering.
  categories TEXT NOT NULL CHECK (json_valid(categories)),
  risk_before REAL NOT NULL,
  risk_after REAL NOT NULL,
  semantic REAL NOT NULL,
  elapsed_ms REAL NOT NULL,
  policy TEXT,
  batch_job_id TEXT,
  suggestion TEXT,
  error TEXT,
  is_private INTEGER NOT NULL DEFAULT 0 CHECK (is_private IN (0, 1))
) STRICT;

CREATE INDEX history_created_at ON history (created_at, id);
CREATE INDEX history_verdict_created_at ON history (verdict, created_at, id);
CREATE INDEX history_source_created_at ON history (source, created_at, id);
CREATE INDEX history_risk_before ON history (risk_before, id);
CREATE INDEX history_risk_after ON history (risk_after, id);
CREATE INDEX history_batch_job_id ON history (batch_job_id) WHERE batch_job_id IS NOT NULL;

CREATE TABLE history_categories (
  history_id INTEGER NOT NULL REFERENCES history (id) ON DELETE CASCADE,
  category TEXT NOT NULL,
  PRIMARY KEY (category, history_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX history_categories_history_id ON history_categories (history_id);

CREATE VIRTUAL TABLE history_fts USING fts5 (
  original,
  cleaned,
  content = 'history',
  content_rowid = 'id',
  tokenize = 'porter unicode61'
);

CREATE TRIGGER history_fts_after_insert AFTER INSERT ON history BEGIN
  INSERT INTO history_fts (rowid, original, cleaned) VALUES (new.id, new.original, new.cleaned);
END;

CREATE TRIGGER history_fts_after_delete AFTER DELETE ON history BEGIN
  INSERT INTO history_fts (history_fts, rowid, original, cleaned)
  VALUES ('delete', old.id, old.original, old.cleaned);
END;

CREATE TRIGGER history_fts_after_update AFTER UPDATE OF original, cleaned ON history BEGIN
  INSERT INTO history_fts (history_fts, rowid, original, cleaned)
  VALUES ('delete', old.id, old.original, old.cleaned);
  INSERT INTO history_fts (rowid, original, cleaned) VALUES (new.id, new.original, new.cleaned);
END;
